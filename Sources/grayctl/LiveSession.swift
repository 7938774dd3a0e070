import ArgumentParser
import Foundation
import GrayCore
import GrayProbe
import GrayRender
import GrayRuntime
import GrayTerminal
import SignalActions

/// One live run against a fleet, headless or with the dashboard: builds the poller, router client,
/// engine and runner, wires their outputs, and turns the outcome into the exit status
/// (0 promoted, 3 rolled back, 4 interrupted or unfinished).
struct LiveSession {
    var configuration: GrayConfig
    var options: LiveOptions
    var mode: DashboardMode
    var router: GatewayRouter?
    var journal: Journal?
    /// Held for the whole run: no second grayctl drives the same router.
    var lock: RouterLock?
    var autoAdvance: Bool
    var operatorName: String
    /// Demo only: injects faults into the canary.
    var faults: FaultClient? = nil
    /// `--resume`: the journalled weight to continue at.
    var resumeWeight: Int? = nil

    func run() async throws -> Never {
        let reader = router ?? configuration.targets[.router]?.admin.map { GatewayRouter(baseURL: $0, token: nil, tls: options.tls ?? ProbeTLS()) }
        let poller = FleetPoller(targets: configuration.targets, router: reader, tls: options.tls, timeout: min(1, configuration.plan.interval))
        let recorder = try options.recordPath.map { try RecordingFile(path: $0, configuration: configuration) }
        let engine = ReleaseEngine(
            plan: configuration.plan, gates: configuration.gates, metrics: configuration.metrics,
            failureCodes: configuration.failureCodes, autoAdvance: options.headless || autoAdvance, readOnly: mode == .watch)
        let outcome = options.headless
            ? await runHeadless(engine: engine, poller: poller, router: router, recorder: recorder)
            : try await runDashboard(engine: engine, poller: poller, router: router, recorder: recorder)
        withExtendedLifetime(lock) {}
        if mode == .watch { throw ExitCode(0) }
        switch outcome.verdict {
        case .promoted: throw ExitCode(0)
        case .rolledBack: throw ExitCode(3)
        case .inProgress: throw ExitCode(4)
        }
    }

    private func runHeadless(engine: ReleaseEngine, poller: FleetPoller, router: GatewayRouter?, recorder: RecordingFile?) async -> ReleaseRunner.Outcome {
        let outputs = ReleaseRunner.Outputs(
            decision: { decision in
                if let line = ReplayOutput.jsonLine(decision) { InputFiles.write(line) }
            },
            message: { message in FileHandle.standardError.write(Data("grayctl: \(message)\n".utf8)) },
            record: { line in recorder?.append(line) })
        let runner = ReleaseRunner(
            engine: engine, poller: poller, router: router, journal: journal, outputs: outputs,
            interval: configuration.plan.interval, actor: operatorName)
        let maxDuration = options.maxDuration
        let untilDone = mode != .watch
        let (resumeWeight, operatorName) = (resumeWeight, operatorName)
        let task = Task {
            if let resumeWeight { await runner.resume(fromJournalAt: resumeWeight, by: operatorName) }
            return await runner.run(maxDuration: maxDuration, untilDone: untilDone)
        }
        let signals = OnSignals { task.cancel() }
        signals.install()
        let outcome = await task.value
        InputFiles.write(ReplayOutput.verdictLine(outcome.verdict, weight: outcome.weight, t: outcome.t, reason: outcome.reason))
        return outcome
    }

    private func runDashboard(engine: ReleaseEngine, poller: FleetPoller, router: GatewayRouter?, recorder: RecordingFile?) async throws -> ReleaseRunner.Outcome {
        let environment = ProcessInfo.processInfo.environment
        let themes = ThemeCatalog(environment: environment)
        let theme: Theme
        do {
            theme = try themes.load(options.theme)
        } catch {
            throw InputError("--theme \(options.theme): \(error)")
        }
        for warning in theme.warnings { InputFiles.warn(warning) }
        let dashboard = DashboardLoop()
        let outputs = ReleaseRunner.Outputs(
            decision: { dashboard.post(.decided($0)) },
            message: { dashboard.post(.noted($0, alert: Self.isAlert($0))) },
            record: { line in recorder?.append(line) },
            state: { dashboard.post(.released($0)) })
        let runner = ReleaseRunner(
            engine: engine, poller: poller, router: router, journal: journal, outputs: outputs,
            interval: configuration.plan.interval, actor: operatorName)
        let maxDuration = options.maxDuration
        let polling = PollingTask()
        let signals = OnSignals { dashboard.stop() }
        signals.install()
        readVersions(into: dashboard)
        let model = DashboardModel(
            mode: mode, service: configuration.service, plan: configuration.plan, gates: configuration.gates, themeName: theme.name)
        let (operatorName, faults, resumeWeight) = (operatorName, faults, resumeWeight)
        do {
            _ = try await dashboard.run(
                model: model, theme: theme, themes: themes, colorEnabled: environment["NO_COLOR"].map(\.isEmpty) ?? true,
                onStart: {
                    polling.start {
                        if let resumeWeight { await runner.resume(fromJournalAt: resumeWeight, by: operatorName) }
                        return await runner.run(maxDuration: maxDuration, untilDone: false)
                    }
                }
            ) { command in
                switch command {
                case .request(let action): Task { await runner.request(action, by: operatorName) }
                case .injectFault(let kind): Task { await Self.inject(kind, with: faults, into: dashboard) }
                case .nextTheme, .quit: break
                }
            }
        } catch let error as TerminalError {
            throw InputError("\(error)")
        }
        guard let outcome = await polling.stop() else { throw InputError("the dashboard closed before polling started") }
        withExtendedLifetime(signals) {}
        report(outcome)
        return outcome
    }

    /// Reads the instances' versions for the header, in the background.
    private func readVersions(into dashboard: DashboardLoop) {
        let readers = [Target.stable, .canary].compactMap { target in
            configuration.targets[target]?.admin.map { (target, AdminReader(target: target, baseURL: $0, tls: options.tls ?? ProbeTLS())) }
        }
        Task {
            var versions: [Target: String] = [:]
            for (target, reader) in readers {
                if let version = await reader.version() { versions[target] = version }
            }
            dashboard.post(.versionsRead(versions))
        }
    }

    private static func inject(_ kind: FaultKind, with client: FaultClient?, into dashboard: DashboardLoop) async {
        guard let client else { return }
        do {
            switch kind {
            case .errors: try await client.inject(errorRatio: 0.5, latencyMilliseconds: 0)
            case .latency: try await client.inject(errorRatio: 0, latencyMilliseconds: 800)
            }
            dashboard.post(.noted(kind == .errors ? "demo: canary now fails 50% of calls" : "demo: canary calls now take +800 ms", alert: false))
        } catch {
            dashboard.post(.noted("demo: fault not injected: \(error)", alert: true))
        }
    }

    /// Messages the runtime shouts (`ROLLBACK NOT APPLIED`, `JOURNAL WRITE FAILED`) stay on screen.
    static func isAlert(_ message: String) -> Bool {
        let words = message.split(separator: " ").prefix(2)
        return words.count == 2 && words.allSatisfy { $0.allSatisfy { $0.isUppercase } }
    }

    /// After the terminal is restored: where the release stands, so it is in the scrollback.
    private func report(_ outcome: ReleaseRunner.Outcome) {
        var line = ReplayOutput.verdictLine(outcome.verdict, weight: outcome.weight, t: outcome.t, reason: outcome.reason)
        if mode == .demo {
            line += "grayctl demo: stopping the fleet (its logs stay in \(journal.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().path } ?? "the temporary folder"))\n"
        } else if mode.drives, outcome.verdict == .inProgress, outcome.weight > 0 {
            line += "grayctl: the release is still in flight at \(outcome.weight)%: the router keeps that weight. "
                + (journal.map { "Its journal is \($0.path); run again with --resume to continue or --new-release to start over.\n" } ?? "\n")
        }
        InputFiles.write(line)
    }
}

/// The release loop's task, started by the dashboard once the terminal is open.
final class PollingTask: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<ReleaseRunner.Outcome, Never>?

    /// Starts `body` (once).
    func start(_ body: @escaping @Sendable () async -> ReleaseRunner.Outcome) {
        lock.withLock {
            if task == nil { task = Task { await body() } }
        }
    }

    /// Cancels the loop and returns how it ended (nil if it never started).
    func stop() async -> ReleaseRunner.Outcome? {
        guard let task = lock.withLock({ self.task }) else { return nil }
        task.cancel()
        return await task.value
    }
}
