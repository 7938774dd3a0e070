/// The gray-release state machine: events in, new state and effects out. Pure and deterministic.
///
/// Contract (see `docs/gates.md`):
/// - The release starts (0 → first step) once the canary is SERVING, its metrics are fresh and no
///   breaker is open; each later step needs every gate green, and auto-advance additionally waits
///   until the step has been green for the bake time. At the last step, one more bake completes it.
/// - Promotion never happens on missing, stale or insufficient data: a hold is announced instead,
///   with the blocking gate's reason (once per change of cause, not every observation).
/// - Any tripped gate while canary traffic is possible rolls back: weight 0, terminal. The router
///   is told again if it later reports another weight.
/// - Weight changes are journalled before they are sent; a step counts once the router confirms it.
public struct ReleaseEngine: Sendable {
    /// The state after the last event.
    public internal(set) var state: ReleaseState
    /// The plan.
    public let plan: ReleasePlan
    /// True for `grayctl watch`: the gates are judged and shown, the weight follows what the router
    /// reads, and nothing is ever changed (no promotion, no rollback, operator requests refused).
    public let readOnly: Bool
    private let evaluator: GateEvaluator

    /// Creates an engine at weight 0; `readOnly` makes it an observer (see ``readOnly``).
    public init(
        plan: ReleasePlan, gates: GateSettings, metrics: MetricNames, failureCodes: FailureCodes, autoAdvance: Bool,
        readOnly: Bool = false
    ) {
        self.plan = plan
        self.readOnly = readOnly
        self.evaluator = GateEvaluator(settings: gates)
        let keep = max(gates.window, gates.fastWindow)
        self.state = ReleaseState(
            autoAdvance: autoAdvance, fleet: FleetState(names: metrics, failureCodes: failureCodes, keep: keep))
    }

    /// Handles one event and returns the effects to carry out, in order.
    public mutating func handle(_ event: ReleaseEvent) -> [ReleaseEffect] {
        switch event {
        case .observed(let observations, let time):
            state.now = max(state.now, time)
            var effects: [ReleaseEffect] = []
            for observation in observations {
                state.fleet.apply(observation, at: time)
                if case .weight(let weight, _) = observation {
                    effects += reconcile(routerWeight: weight)
                }
            }
            return effects + evaluate()
        case .ticked(let time):
            state.now = max(state.now, time)
            return evaluate()
        case .operatorRequested(let action, let by, let time):
            state.now = max(state.now, time)
            state.report = evaluator.evaluate(state.fleet, now: state.now, stepStartedAt: state.stepStartedAt)
            return handleOperator(action, by: by)
        case .routerAcknowledged(let weight, let time):
            state.now = max(state.now, time)
            return acknowledge(weight)
        case .routerRejected(let weight, let message, let time):
            state.now = max(state.now, time)
            return reject(weight, message: message)
        case .resumedFromJournal(let weight, let by, let time):
            state.now = max(state.now, time)
            return resume(at: weight, by: by)
        }
    }

    // MARK: Evaluation

    private mutating func evaluate() -> [ReleaseEffect] {
        let report = evaluator.evaluate(state.fleet, now: state.now, stepStartedAt: state.stepStartedAt)
        state.report = report
        guard !state.isTerminal else { return [] }
        if readOnly { return observe(report) }
        if let trip = report.tripped, state.weight > 0 || state.pending != nil {
            return rollback(reason: trip.reason, by: "grayctl", action: "rollback")
        }
        guard state.pending == nil else { return [] }
        let starting = state.stepIndex < 0
        if let blocking = report.blocking(starting: starting) {
            state.greenSince = nil
            return hold(blocking)
        }
        state.holdKey = nil
        state.holdReason = nil
        let greenSince = state.greenSince ?? state.now
        state.greenSince = greenSince
        guard state.autoAdvance, !state.paused else { return [] }
        if starting {
            return promote(to: 0, by: "grayctl", reason: startReason(report))
        }
        let green = state.now - greenSince
        guard green >= plan.bake else { return [] }
        let reason = "green for \(Format.seconds(green)) at \(state.weight)%: \(passSummary(report))"
        if state.stepIndex == plan.steps.count - 1 {
            return complete(reason: reason, by: "grayctl")
        }
        return promote(to: state.stepIndex + 1, by: "grayctl", reason: reason)
    }

    /// Read-only judging: a tripped or blocking gate is announced as a hold (once per cause), and
    /// nothing moves.
    private mutating func observe(_ report: GateReport) -> [ReleaseEffect] {
        guard let blocking = report.tripped ?? report.blocking(starting: state.stepIndex < 0) else {
            state.holdKey = nil
            state.holdReason = nil
            return []
        }
        let verdict = blocking.verdict == .trip ? "would roll back (watch only): " : ""
        return hold(GateResult(blocking.gate, blocking.verdict, verdict + blocking.reason))
    }

    private mutating func hold(_ blocking: GateResult) -> [ReleaseEffect] {
        state.holdReason = blocking.reason
        let key = "\(blocking.gate.rawValue):\(blocking.verdict.rawValue)"
        guard key != state.holdKey else { return [] }
        state.holdKey = key
        return [.announce(Decision(t: state.now, kind: .hold, reason: blocking.reason, report: state.report))]
    }

    private func startReason(_ report: GateReport) -> String {
        let parts = [Gate.health, .breakers, .metrics].compactMap { report.result($0)?.reason }
        return parts.joined(separator: ", ") + ": starting at \(plan.steps[0])%"
    }

    private func passSummary(_ report: GateReport) -> String {
        [Gate.errors, .latency].compactMap { report.result($0)?.reason }.joined(separator: "; ")
    }

    // MARK: Transitions

    mutating func promote(to index: Int, by: String, reason: String) -> [ReleaseEffect] {
        let from = state.weight
        let to = plan.steps[index]
        state.pending = (to, index)
        state.phase = .progressing
        state.greenSince = nil
        state.holdKey = nil
        state.holdReason = nil
        return [
            .appendJournal(JournalEntry(t: state.now, action: "promote", weight: to, by: by, reason: reason)),
            .setWeight(to),
            .announce(Decision(t: state.now, kind: .step(from: from, to: to), reason: reason, report: state.report)),
        ]
    }

    mutating func rollback(reason: String, by: String, action: String) -> [ReleaseEffect] {
        let from = state.pending?.weight ?? state.weight
        state.phase = .rolledBack
        state.pending = (0, -1)
        state.finalReason = reason
        state.holdReason = nil
        return [
            .appendJournal(JournalEntry(t: state.now, action: action, weight: 0, by: by, reason: reason)),
            .setWeight(0),
            .announce(Decision(t: state.now, kind: .rollback(from: from, to: 0), reason: reason, report: state.report)),
        ]
    }

    mutating func complete(reason: String, by: String) -> [ReleaseEffect] {
        state.phase = .promoted
        state.finalReason = reason
        return [
            .appendJournal(JournalEntry(t: state.now, action: "complete", weight: state.weight, by: by, reason: reason)),
            .announce(Decision(t: state.now, kind: .complete, reason: reason, report: state.report)),
        ]
    }

    private mutating func acknowledge(_ weight: Int) -> [ReleaseEffect] {
        guard let pending = state.pending, pending.weight == weight else { return [] }
        state.weight = weight
        state.pending = nil
        if state.phase != .rolledBack {
            state.stepIndex = pending.stepIndex
            state.stepStartedAt = state.now
        } else {
            state.stepIndex = -1
        }
        return []
    }

    private mutating func reject(_ weight: Int, message: String) -> [ReleaseEffect] {
        if state.phase == .rolledBack {
            // Rollback is never given up: ask again (the runtime paces retries).
            return [.showMessage("ROLLBACK NOT APPLIED: router refused weight 0 (\(message)); retrying"), .setWeight(0)]
        }
        guard let pending = state.pending, pending.weight == weight else { return [] }
        state.pending = nil
        state.phase = state.stepIndex < 0 ? .waiting : .progressing
        return [.showMessage("promotion to \(weight)% failed: \(message); canary stays at \(state.weight)%")]
    }

    /// Takes `weight` as the confirmed one, at the highest step not above it; that step's evidence
    /// starts now.
    mutating func adopt(_ weight: Int) {
        state.weight = weight
        state.stepIndex = plan.steps.lastIndex { $0 <= weight } ?? -1
        state.stepStartedAt = state.now
        state.phase = weight > 0 ? .progressing : .waiting
    }

    /// Keeps the router where grayctl put it: after a rollback weight 0 is re-sent; a weight changed
    /// by someone else pauses the release.
    private mutating func reconcile(routerWeight weight: Int) -> [ReleaseEffect] {
        guard state.pending == nil, weight != state.weight else { return [] }
        if readOnly {
            adopt(weight)
            return []
        }
        if state.phase == .rolledBack {
            state.pending = (0, -1)
            return [.showMessage("router weight is \(weight)% after rollback: setting 0% again"), .setWeight(0)]
        }
        guard !state.isTerminal, !state.paused else { return [] }
        state.paused = true
        return [.showMessage("router weight changed outside grayctl to \(weight)% (grayctl set \(state.weight)%): paused")]
    }
}
