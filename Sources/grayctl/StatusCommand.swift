import ArgumentParser
import Foundation
import GrayCore
import GrayProbe
import GrayRuntime
import Synchronization

/// `grayctl status`: where a release stands, read-only.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Where a release stands: the router's weight and plan step, the journal's last decisions, the gates now.",
        discussion: """
            A one-shot for scripts and for a second operator, while another grayctl drives the release or after it \
            ended: reads the router's weight (no token needed), the journal (--journal, else the one kept for \
            that router, as `grayctl release` finds it) and samples the fleet read-only for --sample seconds \
            (polled every plan.interval) to judge the gates as `grayctl watch` would. Nothing is written.

            Exit status: 0 read, 2 bad config or an unreadable journal.
            """
    )

    @Option(help: ArgumentHelp(
        "Targets, plan and gates (YAML, see docs/gates.md); default ./grayctl.yaml, then $XDG_CONFIG_HOME/grayctl/grayctl.yaml.",
        valueName: "grayctl.yaml"))
    var config: String?

    @Option(name: .customLong("journal"), help: ArgumentHelp("The release's journal (default: the one kept for the router).", valueName: "file"))
    var journalPath: String?

    @Option(help: ArgumentHelp("Seconds to sample the fleet for the gates (0: one poll).", valueName: "seconds"))
    var sample: Double = 3

    @Option(help: "How many of the journal's last entries to show.")
    var last = 5

    @Flag(help: "One JSON object on stdout instead of lines.")
    var json = false

    @OptionGroup var tlsOptions: TLSOptions

    func validate() throws {
        guard sample >= 0, sample <= 600 else { throw ValidationError("--sample must be between 0 and 600 seconds") }
        guard last >= 0 else { throw ValidationError("--last must be 0 or more") }
    }

    func run() async throws {
        let configuration = try LiveOptions.loadConfig(LiveOptions.configPath(config), needsRouter: true)
        guard let router = try FleetWiring.router(configuration, token: nil, tls: tlsOptions.tls),
            let engine = configuration.targets[.router]?.engine
        else {
            throw InputError("no router configured (targets.router)")
        }
        let path = journalPath ?? RouterPaths.journal(engine.address, environment: ProcessInfo.processInfo.environment)
        let entries: [JournalEntry]
        do {
            let (read, warnings) = try Journal.read(at: path)
            for warning in warnings { InputFiles.warn(warning) }
            entries = read
        } catch {
            throw InputError("\(error)")
        }
        let gates = try await Self.sampleGates(configuration, router: router, tls: tlsOptions.tls, seconds: sample)
        let reading: Result<Int, ReleaseStatus.RouterReadFailure> = switch await router.read() {
        case .weight(let weight, _): .success(weight)
        case let entry: .failure(.init(entry.failureMessage ?? "no weight in the answer"))
        }
        let status = ReleaseStatus(
            router: engine.address, reading: reading, plan: configuration.plan, journal: JournalSummary(entries),
            recent: Array(entries.suffix(last)), gates: gates, sampled: sample)
        InputFiles.write(json ? JSONWriter.write(status.json) + "\n" : status.text)
    }

    /// The gates as a read-only engine judges `seconds` of polls (at least one).
    static func sampleGates(_ configuration: GrayConfig, router: any TrafficRouter, tls: ProbeTLS?, seconds: Double) async throws -> GateReport {
        let poller = try FleetWiring.poller(configuration, router: router, tls: tls)
        let engine = ReleaseEngine(
            plan: configuration.plan, gates: configuration.gates, metrics: configuration.metrics, failureCodes: configuration.failureCodes,
            autoAdvance: false, readOnly: true, requiresRouterReading: true)
        let latest = Mutex(GateReport.empty)
        let outputs = ReleaseRunner.Outputs(
            decision: { _ in }, message: { _ in }, record: { _ in }, state: { state in latest.withLock { $0 = state.report } })
        let runner = ReleaseRunner(
            engine: engine, fleet: poller, router: nil, journal: nil, outputs: outputs, interval: configuration.plan.interval, actor: "status")
        _ = await runner.run(maxDuration: seconds, untilDone: false)
        return latest.withLock { $0 }
    }
}
