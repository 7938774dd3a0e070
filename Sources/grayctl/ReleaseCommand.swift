import ArgumentParser
import Foundation
import GrayCore
import GrayProbe
import GrayRender
import GrayRuntime

/// `grayctl release`: drive a gray release against a live fleet, with the dashboard or headless.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Drive a gray release of a live fleet: step the canary weight up, roll back when a gate trips.",
        discussion: """
            Targets, plan and gates come from --config (see docs/gates.md; targets.stable/canary have admin URLs \
            and gRPC addresses, or instances, dns or prometheus_instances). targets.router.kind picks the router: \
            gateway (admin: the gateway's admin URL), envoy (admin, runtime_prefix), haproxy (socket, backend), \
            istio or httproute (name, namespace; kubeconfig or the pod's service account) — docs/endpoints.md. \
            The gateway's token is read from --router-token-file or $GRAYCTL_ROUTER_TOKEN, never from a flag \
            value; no credential is ever printed.

            The dashboard shows weight and plan, P99 and error ratios of stable and canary, gates, health, \
            breakers and events. Keys: p promote one step, r roll back (asks y/n), space pause/resume, \
            a auto-advance on/off, t theme, ? help, q quit (asks while a release is in flight). Auto-advance \
            starts as plan.auto_advance says (or --auto). A tripped gate rolls back without any key.

            --headless prints one JSON event per decision on stdout and a final verdict line, and always \
            auto-advances. Exit status: 0 promoted, 1 preflight checks to fix (not started), 3 rolled back, 2 bad input or configuration, \
            4 interrupted or still in progress at --max-duration (or quit), 5 a rollback was sent but the router \
            never read back 0% (the canary may still get traffic: check the router).

            Preflight: a release from 0% first runs `grayctl check`'s checks (read-only); a failing one is checked \
            again for up to 15 s (a fleet still starting), then the release does not start (exit 1; --force \
            overrides all but the critical ones). A resumed or adopted release, or a rollback to re-send, runs \
            no preflight: it starts at once, so its canary's traffic stays judged and a rollback goes out.

            Safety: every action is journalled (--journal, fsync) before it is sent; a promotion whose entry \
            cannot be written is not sent (a rollback always is). The journal is kept per router URL, so a \
            retry from another directory finds it. If it shows a release still in flight (grayctl stopped \
            mid-release), grayctl shows where it stood and changes no weight until you say how to go on: \
            --resume continues at the journalled weight (that step earns fresh evidence before the next), \
            --new-release starts over. If it ends with a rollback the router never confirmed, weight 0 is sent \
            again. If the router reads a canary weight above 0 that no journal explains, grayctl says so and \
            refuses to start unless you pass --adopt (continue at that weight) or set the router to 0%. The \
            router's weight, not grayctl's, decides whether a tripped gate rolls back. A lock per router keeps \
            a second grayctl from driving it.

            A rollback counts as done only when a read-back of the router shows 0%; until then it is re-sent \
            every round and shown as ROLLING BACK / ROLLBACK UNCONFIRMED (q asks before quitting).
            """
    )

    @Option(help: ArgumentHelp(
        "Targets, plan and gates (YAML, see docs/gates.md); default ./grayctl.yaml, then $XDG_CONFIG_HOME/grayctl/grayctl.yaml.",
        valueName: "grayctl.yaml"))
    var config: String?

    @OptionGroup var live: LiveOptions

    @Option(
        name: .customLong("journal"),
        help: ArgumentHelp(
            "Append every action and weight change here (fsync). Default: one journal per router URL in $XDG_STATE_HOME/grayctl/ (else ~/.local/state/grayctl/), found from any directory.",
            valueName: "file"))
    var journalPath: String?

    @Option(name: .customLong("router-token-file"), help: "File holding the router's bearer token.")
    var routerTokenFile: String?

    @Flag(name: .customLong("new-release"), help: "Start a new release although the journal shows one in flight.")
    var newRelease = false

    @Flag(help: "Continue the release the journal shows in flight, at its journalled weight.")
    var resume = false

    @Flag(help: "Continue at the weight the router reads when no journal explains it (that step earns fresh evidence first).")
    var adopt = false

    @Flag(help: "Start although preflight checks failed (never on a critical one: router unreadable or refusing writes, canary unseen).")
    var force = false

    @Flag(help: "Start with auto-advance on (the dashboard; headless always auto-advances).")
    var auto = false

    @Option(name: .customLong("as"), help: "Operator name written to the journal and the router's log.")
    var operatorName: String = ProcessInfo.processInfo.environment["USER"] ?? "grayctl"

    func validate() throws {
        guard !(resume && newRelease) else { throw ValidationError("--resume and --new-release exclude each other") }
        guard !(resume && adopt) else { throw ValidationError("--resume and --adopt exclude each other: --resume takes the journal's weight") }
    }

    func run() async throws {
        let configuration = try LiveOptions.loadConfig(LiveOptions.configPath(config), needsRouter: true)
        let session = try await ReleaseSetup.session(
            configuration: configuration, live: live, mode: .release, journalPath: journalPath, newRelease: newRelease,
            resume: resume, adopt: adopt, token: try ReleaseSetup.token(file: routerTokenFile),
            autoAdvance: auto || configuration.plan.autoAdvance, operatorName: operatorName, preflight: PreflightGate(force: force))
        try await session.run()
    }
}
