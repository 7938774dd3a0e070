public import GrayCore
public import GrayProbe

/// The one refresh loop of a live release: poll the fleet every interval, hand each round to the
/// release engine as one event, and carry out its effects in order (journal first, then the
/// router; decisions and messages to the outputs). Nothing else mutates the release state.
///
/// The loop skips no work when a poll runs long: the next round starts at once. It ends when the
/// release is promoted or rolled back (and the router confirmed it), when `maxDuration` passes, or
/// when the task is cancelled.
public actor ReleaseRunner {
    /// Where the loop's results go.
    public struct Outputs: Sendable {
        /// Each decision as it is made.
        public var decision: @Sendable (Decision) -> Void
        /// Messages for the operator.
        public var message: @Sendable (String) -> Void
        /// Every entry observed or done, for `--record`.
        public var record: @Sendable (RecordLine) -> Void
        /// The release state after each poll round and each operator request (for a dashboard).
        public var state: @Sendable (ReleaseState) -> Void

        /// Creates outputs.
        public init(
            decision: @escaping @Sendable (Decision) -> Void, message: @escaping @Sendable (String) -> Void,
            record: @escaping @Sendable (RecordLine) -> Void, state: @escaping @Sendable (ReleaseState) -> Void = { _ in }
        ) {
            self.decision = decision
            self.message = message
            self.record = record
            self.state = state
        }
    }

    /// How the loop ended.
    public struct Outcome: Sendable {
        /// promoted, rolled back, or in progress when stopped (max duration or cancelled).
        public var verdict: Verdict
        /// The confirmed canary weight.
        public var weight: Int
        /// Seconds since the start.
        public var t: Double
        /// Why.
        public var reason: String
    }

    private var engine: ReleaseEngine
    private let poller: FleetPoller
    private let router: GatewayRouter?
    private let journal: Journal?
    private let outputs: Outputs
    private let interval: Double
    private let actor: String
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    /// Creates a runner; `actor` names who grayctl acts for in the router's log. Without a router
    /// (`grayctl watch` of a fleet whose router is not configured) every weight change is refused.
    public init(
        engine: ReleaseEngine, poller: FleetPoller, router: GatewayRouter?, journal: Journal?, outputs: Outputs,
        interval: Double, actor: String
    ) {
        self.engine = engine
        self.poller = poller
        self.router = router
        self.journal = journal
        self.outputs = outputs
        self.interval = interval
        self.actor = actor
        self.start = ContinuousClock.now
    }

    private var now: Double {
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Runs the loop until the release ends (when `untilDone`), `maxDuration` seconds pass, or
    /// cancellation. A dashboard passes `untilDone: false` to keep watching the fleet after the end.
    public func run(maxDuration: Double?, untilDone: Bool = true) async -> Outcome {
        var next = clock.now
        while !Task.isCancelled {
            let entries = await poller.poll()
            let t = now
            for entry in entries { outputs.record(RecordLine(t: t, entry: entry)) }
            await carryOut(engine.handle(.observed(entries.compactMap { $0.observation() }, at: t)))
            outputs.state(engine.state)
            if untilDone, engine.state.isTerminal, engine.state.pending == nil { break }
            if let maxDuration, now >= maxDuration { break }
            next = next.advanced(by: .milliseconds(Int(interval * 1000)))
            if next > clock.now {
                try? await Task.sleep(until: next, clock: clock)
            } else {
                next = clock.now
            }
        }
        return outcome()
    }

    /// An operator's request (from keys or signals), handled between poll rounds.
    public func request(_ action: OperatorAction, by operatorName: String) async {
        await carryOut(engine.handle(.operatorRequested(action, by: operatorName, at: now)))
        outputs.state(engine.state)
    }

    /// Continues the release the journal shows in flight at `weight` (before ``run(maxDuration:untilDone:)``).
    public func resume(fromJournalAt weight: Int, by operatorName: String) async {
        await carryOut(engine.handle(.resumedFromJournal(weight: weight, by: operatorName, at: now)))
        outputs.state(engine.state)
    }

    /// The release state now.
    public var state: ReleaseState { engine.state }

    private func outcome() -> Outcome {
        let state = engine.state
        switch state.phase {
        case .promoted: return Outcome(verdict: .promoted, weight: state.weight, t: now, reason: state.finalReason ?? "promoted")
        case .rolledBack: return Outcome(verdict: .rolledBack, weight: state.weight, t: now, reason: state.finalReason ?? "rolled back")
        case .waiting, .progressing:
            let reason = "stopped at \(state.weight)%" + (state.holdReason.map { ", holding: \($0)" } ?? "")
            return Outcome(verdict: .inProgress, weight: state.weight, t: now, reason: reason)
        }
    }

    /// Carries out effects in order. A refused rollback comes back as another `setWeight(0)`, so this
    /// retries until the router takes it, or until the operator stops grayctl (cancellation).
    private func carryOut(_ effects: [ReleaseEffect]) async {
        var queue = effects
        while !queue.isEmpty, !Task.isCancelled {
            switch queue.removeFirst() {
            case .appendJournal(let entry):
                outputs.record(RecordLine(t: entry.t, entry: .action(action: entry.action, weight: entry.weight, by: entry.by, reason: entry.reason)))
                do {
                    try journal?.append(entry)
                } catch {
                    outputs.message("JOURNAL WRITE FAILED (\(error)): continuing, the router's log still has the change")
                }
            case .setWeight(let weight):
                do throws(GatewayRouter.ChangeError) {
                    guard let router else { throw GatewayRouter.ChangeError.failed(.badResponse(url: "targets.router.admin", reason: "no router configured")) }
                    try await router.set(weight, by: actor)
                    queue += engine.handle(.routerAcknowledged(weight: weight, at: now))
                } catch {
                    let followUp = engine.handle(.routerRejected(weight: weight, message: error.description, at: now))
                    if followUp.contains(.setWeight(0)) { try? await Task.sleep(for: .milliseconds(500)) }
                    queue += followUp
                }
            case .announce(let decision):
                outputs.decision(decision)
            case .showMessage(let message):
                outputs.message(message)
            }
        }
    }
}
