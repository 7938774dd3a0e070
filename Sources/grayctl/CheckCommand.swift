import ArgumentParser
import Foundation
import GrayCore
import GrayRuntime

/// `grayctl check`: the preflight, read-only.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Preflight: contact every endpoint the config names, read-only, and say what to fix.",
        discussion: """
            One poll round of everything --config names, as `grayctl release` will read it, and one line per \
            check with its verdict and the fix: the router reachable and its weight readable, whether it takes \
            grayctl's writes (tested without changing anything: a gateway PUT of weight -1 that it refuses after \
            checking the token, a Kubernetes dry-run patch, HAProxy's `show cli level`; Envoy's admin API has no \
            credentials), each version's instances and their gRPC health, the traffic metrics under the configured \
            names (with near misses: another case, a suffix, the codes in another label), breakers observed or \
            not, Prometheus selectors' series, and the plan and gates as they will apply.

            Verdicts: ok, warn (works; something to know), FAIL (a release would hold on it; `release --force` \
            starts anyway), CRIT (grayctl could not see or steer the canary; a release never starts). \
            `grayctl release` runs these checks first when it starts a release at 0%.

            Exit status: 0 nothing to fix, 1 something to fix, 2 bad config or arguments.
            """
    )

    @Option(help: ArgumentHelp(
        "Targets, plan and gates (YAML, see docs/gates.md); default ./grayctl.yaml, then $XDG_CONFIG_HOME/grayctl/grayctl.yaml.",
        valueName: "grayctl.yaml"))
    var config: String?

    @Option(name: .customLong("router-token-file"), help: "File holding the router's bearer token (else $GRAYCTL_ROUTER_TOKEN).")
    var routerTokenFile: String?

    @Option(help: ArgumentHelp("While a check fails, check again every plan.interval for up to this many seconds (a fleet still starting).", valueName: "seconds"))
    var wait: Double = 0

    @Flag(help: "One JSON object on stdout instead of lines.")
    var json = false

    @OptionGroup var tlsOptions: TLSOptions

    func validate() throws {
        guard wait >= 0, wait <= 3600 else { throw ValidationError("--wait must be between 0 and 3600 seconds") }
    }

    func run() async throws {
        let configuration = try InputFiles.loadConfig(LiveOptions.configPath(config))
        let router = try FleetWiring.router(configuration, token: try ReleaseSetup.token(file: routerTokenFile), tls: tlsOptions.tls)
        let report = try await FleetWiring.preflight(configuration, router: router, tls: tlsOptions.tls, patience: wait)
        InputFiles.write(json ? JSONWriter.write(report.json) + "\n" : report.text)
        throw ExitCode(report.exitStatus)
    }
}
