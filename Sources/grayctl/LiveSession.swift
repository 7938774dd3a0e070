import ArgumentParser
import Foundation
import GrayCore
import GrayProbe
import GrayRender
import GrayRuntime
import GrayTerminal
import SignalActions
import Synchronization

/// One live run against a fleet, headless or with the dashboard: builds the poller, router client,
/// engine and runner, wires their outputs, and turns the outcome into the exit status
/// (0 promoted, 3 rolled back, 4 interrupted or unfinished, 5 rollback never confirmed).
struct LiveSession {
    /// How the engine begins.
    enum Start: Equatable {
        /// From 0%.
        case fresh
        /// `--resume`: at the journalled weight.
        case resume(Int)
        /// `--adopt`: at the weight the router reads.
        case adopt(Int)
        /// The journal ends with an unconfirmed rollback: send 0% again.
        case resendRollback
    }

    var configuration: GrayConfig
    var options: LiveOptions
    var mode: DashboardMode
    var router: (any TrafficRouter)?
    var journal: Journal?
    /// Held for the whole run: no second grayctl drives the same router.
    var lock: RouterLock?
    var autoAdvance: Bool
    var operatorName: String
    /// Demo only: injects faults into the canary.
    var faults: FaultClient? = nil
    /// How the engine begins.
    var start: Start = .fresh

    func run() async throws -> Never {
        let reader = try router ?? FleetWiring.router(configuration, token: nil, tls: options.tls)
        let poller = try FleetWiring.poller(configuration, router: reader, tls: options.tls)
        let recorder = try options.recordPath.map { try RecordingFile(path: $0, configuration: configuration) }
        let tap: DriverMetricsTap?
        do {
            tap = try options.metricsListen.map { address throws(MetricsListener.StartError) in try DriverMetricsTap(address: address) }
        } catch {
            throw InputError(error.description)
        }
        // A watcher notifies nobody and asks nothing: the driving grayctl does.
        let webhooks = mode.drives ? try Webhooks(configuration, environment: ProcessInfo.processInfo.environment) : nil
        let engine = ReleaseEngine(
            plan: configuration.plan, gates: configuration.gates, metrics: configuration.metrics,
            failureCodes: configuration.failureCodes, autoAdvance: options.headless || autoAdvance, readOnly: mode == .watch,
            requiresRouterReading: true)
        let wiring = Wiring(tap: tap, webhooks: webhooks)
        let outcome = options.headless
            ? await runHeadless(engine: engine, poller: poller, router: router, recorder: recorder, wiring: wiring)
            : try await runDashboard(engine: engine, poller: poller, router: router, recorder: recorder, wiring: wiring)
        await wiring.finish(outcome)
        withExtendedLifetime((lock, tap)) {}
        if mode == .watch { throw ExitCode(0) }
        switch outcome.verdict {
        case .promoted: throw ExitCode(0)
        case .rolledBack: throw ExitCode(3)
        case .inProgress: throw ExitCode(4)
        case .rollbackUnconfirmed: throw ExitCode(5)
        }
    }

    private func runHeadless(
        engine: ReleaseEngine, poller: FleetPoller, router: (any TrafficRouter)?, recorder: RecordingFile?, wiring: Wiring
    ) async -> ReleaseRunner.Outcome {
        let rollbackEvents = RollbackEvents()
        let outputs = ReleaseRunner.Outputs(
            decision: { decision in
                if let line = ReplayOutput.jsonLine(decision) { InputFiles.write(line) }
            },
            message: { message in InputFiles.note(message) },
            record: { line in recorder?.append(line) },
            state: { state in
                for line in rollbackEvents.lines(after: state) { InputFiles.write(line) }
            })
        let runner = ReleaseRunner(
            engine: engine, fleet: poller, router: router, journal: journal, outputs: wiring.tapped(outputs),
            interval: configuration.plan.interval, actor: operatorName, confirmer: wiring.webhooks?.confirmer)
        let maxDuration = options.maxDuration
        let untilDone = mode != .watch
        let (start, operatorName) = (start, operatorName)
        let task = Task {
            await Self.begin(runner, start, by: operatorName)
            return await runner.run(maxDuration: maxDuration, untilDone: untilDone)
        }
        let signals = OnSignals { task.cancel() }
        signals.install()
        let outcome = await task.value
        InputFiles.write(ReplayOutput.verdictLine(outcome.verdict, weight: outcome.weight, t: outcome.t, reason: outcome.reason))
        return outcome
    }

    private func runDashboard(
        engine: ReleaseEngine, poller: FleetPoller, router: (any TrafficRouter)?, recorder: RecordingFile?, wiring: Wiring
    ) async throws -> ReleaseRunner.Outcome {
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
            message: { dashboard.post(.noted($0, alert: ReleaseNotice.isAlert($0))) },
            record: { line in recorder?.append(line) },
            state: { dashboard.post(.released($0)) })
        let runner = ReleaseRunner(
            engine: engine, fleet: poller, router: router, journal: journal, outputs: wiring.tapped(outputs),
            interval: configuration.plan.interval, actor: operatorName, confirmer: wiring.webhooks?.confirmer)
        let maxDuration = options.maxDuration
        let polling = PollingTask()
        let signals = OnSignals { dashboard.stop() }
        signals.install()
        readVersions(into: dashboard)
        let model = DashboardModel(
            mode: mode, service: configuration.service, plan: configuration.plan, gates: configuration.gates, themeName: theme.name)
        let (operatorName, faults, start) = (operatorName, faults, start)
        do {
            _ = try await dashboard.run(
                model: model, theme: theme, themes: themes, colorEnabled: environment["NO_COLOR"].map(\.isEmpty) ?? true,
                onStart: {
                    polling.start {
                        await Self.begin(runner, start, by: operatorName)
                        return await runner.run(maxDuration: maxDuration, untilDone: false)
                    }
                }
            ) { command in
                switch command {
                case .request(let action): runner.request(action, by: operatorName)
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

    /// What a session's outputs also feed: grayctl's own metrics (`--metrics-listen`) and the
    /// `notify:` webhooks (whose failures are said where the session says things).
    final class Wiring: Sendable {
        let tap: DriverMetricsTap?
        let webhooks: Webhooks?
        private let notifier = Mutex<WebhookNotifier?>(nil)

        init(tap: DriverMetricsTap?, webhooks: Webhooks?) {
            self.tap = tap
            self.webhooks = webhooks
        }

        /// `outputs`, also feeding the metrics and the webhooks.
        func tapped(_ outputs: ReleaseRunner.Outputs) -> ReleaseRunner.Outputs {
            let metered = tap?.tap(outputs) ?? outputs
            guard let notifier = webhooks?.notifier(report: outputs.message) else { return metered }
            self.notifier.withLock { $0 = notifier }
            return notifier.tap(metered)
        }

        /// Says where a release left unfinished stopped, then gives the webhooks up to 3 s to deliver.
        func finish(_ outcome: ReleaseRunner.Outcome) async {
            guard let notifier = notifier.withLock({ $0 }), let service = webhooks?.service else { return }
            if outcome.verdict == .inProgress || outcome.verdict == .rollbackUnconfirmed {
                notifier.notify(ReleaseNotice(
                    kind: "stopped", service: service, text: "grayctl stopped at \(outcome.weight)%: \(outcome.reason)",
                    fields: ["weight": .number(Double(outcome.weight)), "reason": .string(outcome.reason)]))
            }
            await notifier.finish(within: 3)
        }
    }

    /// Hands the engine how the release begins, before the first poll.
    private static func begin(_ runner: ReleaseRunner, _ start: Start, by operatorName: String) async {
        switch start {
        case .fresh: break
        case .resume(let weight): await runner.resume(fromJournalAt: weight, by: operatorName)
        case .adopt(let weight): await runner.adopt(routerWeight: weight, by: operatorName)
        case .resendRollback: await runner.resendUnconfirmedRollback(by: operatorName)
        }
    }

    /// Reads the instances' versions for the header, in the background.
    private func readVersions(into dashboard: DashboardLoop) {
        let readers = [Target.stable, .canary].compactMap { target in
            let endpoints = configuration.targets[target]
            return (endpoints?.admin ?? endpoints?.instances.first(where: { $0.admin != nil })?.admin).map {
                (target, AdminReader(subject: Subject(target), baseURL: $0, tls: options.tls ?? ProbeTLS()))
            }
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
            dashboard.post(.noted(kind == .errors ? "demo: \(client.name) now fails 50% of calls" : "demo: \(client.name) calls now take +800 ms", alert: false))
        } catch {
            dashboard.post(.noted("demo: fault not injected: \(error)", alert: true))
        }
    }

    /// After the terminal is restored: where the release stands, so it is in the scrollback.
    private func report(_ outcome: ReleaseRunner.Outcome) {
        var line = ReplayOutput.verdictLine(outcome.verdict, weight: outcome.weight, t: outcome.t, reason: outcome.reason)
        if mode == .demo {
            line += "grayctl demo: stopping the fleet (its logs stay in \(journal.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().path } ?? "the temporary folder"))\n"
        } else if mode.drives, outcome.verdict == .rollbackUnconfirmed {
            line += "grayctl: ROLLBACK NOT CONFIRMED: the router did not read back 0%, so the canary may still get traffic. "
            if let failure = outcome.journalFailure {
                line += "The journal could not be written (\(failure)), so a new run may not know: set the router to 0% by hand.\n"
            } else {
                line += "Set the router to 0% by hand, or run grayctl release again: its journal"
                    + (journal.map { " (\($0.path))" } ?? "") + " holds the rollback, and it sends 0% again.\n"
            }
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
