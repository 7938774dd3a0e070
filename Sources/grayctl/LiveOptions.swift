import ArgumentParser
import Foundation
import GrayCore
import GrayProbe

/// Options every live command shares (`watch`, `release`, `demo`).
struct LiveOptions: ParsableArguments {
    @Flag(help: "No dashboard: one JSON event per line on stdout (for CI).")
    var headless = false

    @Option(name: .customLong("max-duration"), help: "Stop after this many seconds (exit 4 if not finished).")
    var maxDuration: Double = 3600

    @Option(name: .customLong("record"), help: ArgumentHelp("Write everything observed to a recording (replayable).", valueName: "file"))
    var recordPath: String?

    @Option(help: ArgumentHelp("Colour theme: dark, light, high-contrast, monochrome, or a .theme file. NO_COLOR is honoured.", valueName: "name"))
    var theme: String = "dark"

    @Option(
        name: .customLong("metrics-listen"),
        help: ArgumentHelp(
            "Serve grayctl's own Prometheus metrics at http://HOST:PORT/metrics (weight, step, phase, gate verdicts, rollbacks and holds by cause, poll errors, last observation).",
            valueName: "host:port"))
    var metricsListen: String?

    @OptionGroup var tlsOptions: TLSOptions

    func validate() throws {
        guard maxDuration > 0 else { throw ValidationError("--max-duration must be above 0") }
    }

    /// The TLS settings, nil for cleartext.
    var tls: ProbeTLS? { tlsOptions.tls }

    /// What is missing for grayctl to health-check every instance of the canary, if anything.
    static func healthGap(_ canary: TargetEndpoints?) -> String? {
        guard let canary else { return "targets.canary is missing" }
        if let dns = canary.dns { return dns.ports.grpcPort == nil ? "targets.canary.dns.grpc_port is missing" : nil }
        if let ports = canary.prometheusInstances {
            return ports.grpcPort == nil ? "targets.canary.prometheus_instances.grpc_port is missing" : nil
        }
        if let index = canary.instances.firstIndex(where: { $0.grpc == nil }) { return "targets.canary.instances[\(index)].grpc is missing" }
        if canary.instances.isEmpty, canary.grpc == nil {
            return "targets.canary needs grpc (one instance), an instances list with grpc, dns with grpc_port, or prometheus_instances with grpc_port"
        }
        return nil
    }

    /// The config file of a live command: `--config`, else the default places (``ConfigLocation``).
    static func configPath(_ explicit: String?) throws -> String {
        do {
            return try ConfigLocation.resolve(
                explicit: explicit, directory: FileManager.default.currentDirectoryPath, environment: ProcessInfo.processInfo.environment,
                exists: { FileManager.default.fileExists(atPath: $0) })
        } catch {
            throw InputError(error.description)
        }
    }

    /// The configuration at `config`, checked for what a live run needs.
    static func loadConfig(_ config: String, needsRouter: Bool) throws -> GrayConfig {
        let configuration = try InputFiles.loadConfig(config)
        if needsRouter, configuration.targets[.router]?.engine == nil {
            throw InputError("\(config): targets.router (the gateway's admin, or kind envoy, haproxy, istio or httproute with their keys) is required to drive a release")
        }
        if let missing = healthGap(configuration.targets[.canary]) {
            throw InputError("\(config): \(missing): grayctl checks the gRPC health of every canary instance (the health gate)")
        }
        return configuration
    }
}
