import ArgumentParser
import Foundation
import GrayCore
import GrayProbe
import GrayRuntime
import SignalActions

/// `grayctl release`: drive a gray release against a live fleet.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Drive a gray release of a live fleet: step the canary weight up, roll back when a gate trips.",
        discussion: """
            Targets, plan and gates come from --config (see docs/gates.md; targets.router.admin is the gateway's \
            admin URL, targets.stable/canary have admin URLs and gRPC addresses). The router token is read from \
            --router-token-file or $GRAYCTL_ROUTER_TOKEN, never from a flag value, and never printed.

            --headless prints one JSON event per decision on stdout and a final verdict line; the curses dashboard \
            is the next milestone. Exit status: 0 promoted, 3 rolled back, 2 bad input or configuration, \
            4 interrupted or still in progress at --max-duration.

            Safety: every action is journalled (--journal, fsync) before it is sent. If the journal shows a \
            release still in flight (grayctl stopped mid-release), grayctl shows where it stood and changes no \
            weight until you pass --new-release. A lock per router keeps a second grayctl from driving it.
            """
    )

    @Option(help: ArgumentHelp("Targets, plan and gates (YAML).", valueName: "grayctl.yaml"))
    var config: String

    @Flag(help: "No dashboard: JSON events on stdout (for CI).")
    var headless = false

    @Option(name: .customLong("max-duration"), help: "Stop after this many seconds (exit 4 if not finished).")
    var maxDuration: Double = 3600

    @Option(name: .customLong("record"), help: ArgumentHelp("Write everything observed to a recording.", valueName: "file"))
    var recordPath: String?

    @Option(name: .customLong("journal"), help: ArgumentHelp("Append every action and weight change here (fsync).", valueName: "file"))
    var journalPath: String = "grayctl-journal.jsonl"

    @Option(name: .customLong("router-token-file"), help: "File holding the router's bearer token.")
    var routerTokenFile: String?

    @Option(help: "CA bundle to verify TLS endpoints (PEM).")
    var cacert: String?

    @Option(help: "Client certificate for mutual TLS (PEM).")
    var cert: String?

    @Option(help: "Private key of --cert (PEM).")
    var key: String?

    @Flag(name: .customLong("new-release"), help: "Start a new release although the journal shows one in flight.")
    var newRelease = false

    @Option(name: .customLong("as"), help: "Operator name written to the journal and the router's log.")
    var operatorName: String = ProcessInfo.processInfo.environment["USER"] ?? "grayctl"

    func validate() throws {
        guard maxDuration > 0 else { throw ValidationError("--max-duration must be above 0") }
        guard (cert == nil) == (key == nil) else { throw ValidationError("--cert and --key go together") }
    }

    func run() async throws {
        guard headless else {
            throw InputError("grayctl release: the curses dashboard is not built yet; run with --headless (JSON events on stdout)")
        }
        let configuration = try InputFiles.loadConfig(config)
        guard let routerURL = configuration.targets[.router]?.admin else {
            throw InputError("\(config): targets.router.admin is required to drive a release")
        }
        guard configuration.targets[.canary]?.grpc != nil || configuration.targets[.canary]?.admin != nil else {
            throw InputError("\(config): targets.canary needs an admin URL or a gRPC address")
        }
        let lock: RouterLock
        do {
            lock = try RouterLock(routerURL: routerURL)
        } catch {
            throw InputError("\(error)")
        }
        if let previous = JournalSummary(try Journal.entries(at: journalPath)) {
            FileHandle.standardError.write(Data("grayctl: journal \(journalPath): \(previous.description)\n".utf8))
            if previous.inFlight, !newRelease {
                throw InputError(
                    "not changing any weight: the release in \(journalPath) was in flight at \(previous.weight)%. "
                        + "Check the router, then run again with --new-release to start over")
            }
        }
        let token = try loadToken()
        let tls = cacert == nil && cert == nil ? nil : ProbeTLS(caFile: cacert, certFile: cert, keyFile: key)
        let router = GatewayRouter(baseURL: routerURL, token: token, tls: tls ?? ProbeTLS())
        let poller = FleetPoller(targets: configuration.targets, router: router, tls: tls, timeout: min(1, configuration.plan.interval))
        let journal: Journal
        do {
            journal = try Journal(path: journalPath)
        } catch {
            throw InputError("\(error)")
        }
        let recorder = try recordPath.map { try RecordingFile(path: $0, configuration: configuration) }
        let engine = ReleaseEngine(
            plan: configuration.plan, gates: configuration.gates, metrics: configuration.metrics,
            failureCodes: configuration.failureCodes, autoAdvance: true)
        let outputs = ReleaseRunner.Outputs(
            decision: { decision in
                if let line = ReplayOutput.jsonLine(decision) { InputFiles.write(line) }
            },
            message: { message in FileHandle.standardError.write(Data("grayctl: \(message)\n".utf8)) },
            record: { line in recorder?.append(line) })
        let runner = ReleaseRunner(
            engine: engine, poller: poller, router: router, journal: journal, outputs: outputs,
            interval: configuration.plan.interval, actor: operatorName)
        let maxDuration = maxDuration
        let task = Task { await runner.run(maxDuration: maxDuration) }
        let signals = OnSignals { task.cancel() }
        signals.install()
        let outcome = await task.value
        withExtendedLifetime(lock) {}
        InputFiles.write(ReplayOutput.verdictLine(outcome.verdict, weight: outcome.weight, t: outcome.t, reason: outcome.reason))
        switch outcome.verdict {
        case .promoted: throw ExitCode(0)
        case .rolledBack: throw ExitCode(3)
        case .inProgress: throw ExitCode(4)
        }
    }

    private func loadToken() throws -> String? {
        if let routerTokenFile {
            guard let data = FileManager.default.contents(atPath: routerTokenFile) else {
                throw InputError("cannot read --router-token-file \(routerTokenFile)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw InputError("--router-token-file \(routerTokenFile) is empty") }
            return token
        }
        return ProcessInfo.processInfo.environment["GRAYCTL_ROUTER_TOKEN"]
    }
}

/// Appends recording lines to a file as they come (header first).
final class RecordingFile: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    init(path: String, configuration: GrayConfig) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw InputError("cannot write recording \(path)")
        }
        self.handle = handle
        var targets: [Target: [String: String]] = [:]
        for (target, endpoints) in configuration.targets {
            var urls: [String: String] = [:]
            if let admin = endpoints.admin { urls["admin"] = admin }
            if let grpc = endpoints.grpc { urls["grpc"] = grpc }
            targets[target] = urls
        }
        let started = ISO8601DateFormatter().string(from: Date())
        handle.write(Data(RecordingWriter.headerLine(RecordingHeader(started: started, service: configuration.service, targets: targets)).utf8))
    }

    func append(_ line: RecordLine) {
        lock.withLock { handle.write(Data(RecordingWriter.line(line).utf8)) }
    }
}
