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
            Targets, plan and gates come from --config (see docs/gates.md; targets.router.admin is the gateway's \
            admin URL, targets.stable/canary have admin URLs and gRPC addresses). The router token is read from \
            --router-token-file or $GRAYCTL_ROUTER_TOKEN, never from a flag value, and never printed.

            The dashboard shows weight and plan, P99 and error ratios of stable and canary, gates, health, \
            breakers and events. Keys: p promote one step, r roll back (asks y/n), space pause/resume, \
            a auto-advance on/off, t theme, ? help, q quit (asks while a release is in flight). Auto-advance \
            starts as plan.auto_advance says (or --auto). A tripped gate rolls back without any key.

            --headless prints one JSON event per decision on stdout and a final verdict line, and always \
            auto-advances. Exit status: 0 promoted, 3 rolled back, 2 bad input or configuration, \
            4 interrupted or still in progress at --max-duration (or quit).

            Safety: every action is journalled (--journal, fsync) before it is sent. If the journal shows a \
            release still in flight (grayctl stopped mid-release), grayctl shows where it stood and changes no \
            weight until you say how to go on: --resume continues at the journalled weight (that step earns \
            fresh evidence before the next; a router reading another weight pauses the release), --new-release \
            starts over from 0%. A lock per router keeps a second grayctl from driving it.
            """
    )

    @Option(help: ArgumentHelp("Targets, plan and gates (YAML, see docs/gates.md).", valueName: "grayctl.yaml"))
    var config: String

    @OptionGroup var live: LiveOptions

    @Option(name: .customLong("journal"), help: ArgumentHelp("Append every action and weight change here (fsync).", valueName: "file"))
    var journalPath: String = "grayctl-journal.jsonl"

    @Option(name: .customLong("router-token-file"), help: "File holding the router's bearer token.")
    var routerTokenFile: String?

    @Flag(name: .customLong("new-release"), help: "Start a new release although the journal shows one in flight.")
    var newRelease = false

    @Flag(help: "Continue the release the journal shows in flight, at its journalled weight.")
    var resume = false

    @Flag(help: "Start with auto-advance on (the dashboard; headless always auto-advances).")
    var auto = false

    @Option(name: .customLong("as"), help: "Operator name written to the journal and the router's log.")
    var operatorName: String = ProcessInfo.processInfo.environment["USER"] ?? "grayctl"

    func validate() throws {
        guard !(resume && newRelease) else { throw ValidationError("--resume and --new-release exclude each other") }
    }

    func run() async throws {
        let configuration = try LiveOptions.loadConfig(config, needsRouter: true)
        let session = try ReleaseSetup.session(
            configuration: configuration, live: live, mode: .release, journalPath: journalPath, newRelease: newRelease,
            resume: resume, token: try ReleaseSetup.token(file: routerTokenFile), autoAdvance: auto || configuration.plan.autoAdvance,
            operatorName: operatorName)
        try await session.run()
    }
}

/// What `release` and `demo` share before a release starts: the router lock, the journal read-back,
/// the router client.
enum ReleaseSetup {
    static func session(
        configuration: GrayConfig, live: LiveOptions, mode: DashboardMode, journalPath: String, newRelease: Bool, resume: Bool = false,
        token: String?,
        autoAdvance: Bool, operatorName: String, faults: FaultClient? = nil
    ) throws -> LiveSession {
        let routerURL = configuration.targets[.router]?.admin ?? ""
        let lock: RouterLock
        do {
            lock = try RouterLock(routerURL: routerURL)
        } catch {
            throw InputError("\(error)")
        }
        let previous = JournalSummary(try Journal.entries(at: journalPath))
        if let previous {
            FileHandle.standardError.write(Data("grayctl: journal \(journalPath): \(previous.description)\n".utf8))
            if previous.inFlight, !newRelease, !resume {
                throw InputError(
                    "not changing any weight: the release in \(journalPath) was in flight at \(previous.weight)%. "
                        + "Check the router, then run again with --resume to continue at \(previous.weight)% or --new-release to start over")
            }
        }
        if resume, previous?.inFlight != true {
            throw InputError("--resume: the journal \(journalPath) shows no release in flight")
        }
        let journal: Journal
        do {
            journal = try Journal(path: journalPath)
        } catch {
            throw InputError("\(error)")
        }
        let router = GatewayRouter(baseURL: routerURL, token: token, tls: live.tls ?? ProbeTLS())
        return LiveSession(
            configuration: configuration, options: live, mode: mode, router: router, journal: journal, lock: lock,
            autoAdvance: autoAdvance, operatorName: operatorName, faults: faults, resumeWeight: resume ? previous?.weight : nil)
    }

    /// The router token from `file`, else `$GRAYCTL_ROUTER_TOKEN`.
    static func token(file: String?) throws -> String? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw InputError("cannot read --router-token-file \(file)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw InputError("--router-token-file \(file) is empty") }
            return token
        }
        return ProcessInfo.processInfo.environment["GRAYCTL_ROUTER_TOKEN"]
    }
}
