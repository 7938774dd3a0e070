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

    @Option(help: "CA bundle to verify TLS endpoints (PEM).")
    var cacert: String?

    @Option(help: "Client certificate for mutual TLS (PEM).")
    var cert: String?

    @Option(help: "Private key of --cert (PEM).")
    var key: String?

    func validate() throws {
        guard maxDuration > 0 else { throw ValidationError("--max-duration must be above 0") }
        guard (cert == nil) == (key == nil) else { throw ValidationError("--cert and --key go together") }
    }

    /// The TLS settings, nil for cleartext.
    var tls: ProbeTLS? {
        cacert == nil && cert == nil ? nil : ProbeTLS(caFile: cacert, certFile: cert, keyFile: key)
    }

    /// The configuration at `config`, checked for what a live run needs.
    static func loadConfig(_ config: String, needsRouter: Bool) throws -> GrayConfig {
        let configuration = try InputFiles.loadConfig(config)
        if needsRouter, configuration.targets[.router]?.admin == nil {
            throw InputError("\(config): targets.router.admin is required to drive a release")
        }
        let canary = configuration.targets[.canary]
        let observed = canary.map { $0.admin != nil || $0.grpc != nil || !$0.instances.isEmpty || $0.dns != nil } ?? false
        guard observed || (configuration.metricsSource == .prometheus && configuration.prometheus?.selectors[.canary] != nil) else {
            throw InputError("\(config): targets.canary needs an admin URL, a gRPC address, an instances list or dns (or, with metrics.source: prometheus, a selector)")
        }
        return configuration
    }
}
