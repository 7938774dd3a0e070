/// The gray-release state machine: events in, new state and effects out. Pure and deterministic.
///
/// Contract (see `docs/gates.md`):
/// - The release starts (0 → first step) once the canary is SERVING, its metrics are fresh and no
///   breaker is open; each later step needs every gate green, and auto-advance additionally waits
///   until the step has been green for the bake time. At the last step, one more bake completes it.
/// - Promotion never happens on missing, stale or insufficient data: a hold is announced instead,
///   with the blocking gate's reason (once per change of cause, not every observation).
/// - Any tripped gate while canary traffic is possible rolls back. Traffic is possible when grayctl
///   set a weight above 0, a write is in flight, or the router *reads* above 0 (set by hand, by
///   someone else, or before grayctl started): the router's weight decides, not grayctl's.
/// - A rollback is `rollingBack` until a read-back of the router shows 0, and weight 0 is re-sent
///   every round until then; only then is it `rolledBack` (journalled `rollback_confirmed`). If
///   the router later reports another weight, it is rolling back again.
/// - A weight the router reads that grayctl did not set is adopted as the current step and pauses
///   the release (gates still roll back).
/// - Weight changes are journalled before they are sent; a promotion whose entry could not be
///   written is not sent. A step counts, and is announced, once the router confirms it.
public struct ReleaseEngine: Sendable {
    /// The state after the last event.
    public internal(set) var state: ReleaseState
    /// The plan.
    public let plan: ReleasePlan
    /// True for `grayctl watch`: the gates are judged and shown, the weight follows what the router
    /// reads, and nothing is ever changed (no promotion, no rollback, operator requests refused).
    public let readOnly: Bool
    /// True on live runs: no promotion unless the router's weight was read within `stale_hold`
    /// (its generation is what the write is based on). Replay has no router to read.
    public let requiresRouterReading: Bool
    private let evaluator: GateEvaluator
    private let staleHold: Double

    /// Creates an engine at weight 0; `readOnly` makes it an observer (see ``readOnly``), and
    /// `requiresRouterReading` makes every promotion wait for a fresh reading of the router.
    public init(
        plan: ReleasePlan, gates: GateSettings, metrics: MetricNames, failureCodes: FailureCodes, autoAdvance: Bool,
        readOnly: Bool = false, requiresRouterReading: Bool = false
    ) {
        self.plan = plan
        self.readOnly = readOnly
        self.requiresRouterReading = requiresRouterReading
        self.staleHold = gates.staleHold
        self.evaluator = GateEvaluator(settings: gates, steps: plan.steps.count)
        let keep = max(gates.window, gates.fastWindow)
        self.state = ReleaseState(
            autoAdvance: autoAdvance, fleet: FleetState(names: metrics, failureCodes: failureCodes, keep: keep, evidenceSpacing: gates.fastWindow, latencyLimit: gates.maxLatency))
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
        case .routerReadBack(let weight, let generation, let time):
            state.now = max(state.now, time)
            state.fleet.apply(.weight(weight, generation: generation), at: time)
            return reconcile(routerWeight: weight)
        case .routerRejected(let weight, let message, let time):
            state.now = max(state.now, time)
            return reject(weight, message: message)
        case .journalWriteFailed(let entry, let message, let time):
            state.now = max(state.now, time)
            return journalFailed(entry, message: message)
        case .resumedFromJournal(let weight, let by, let time):
            state.now = max(state.now, time)
            return takeOver(weight, by: by, action: "resume_journal", saying: "resumed from the journal at")
        case .adoptedRouterWeight(let weight, let by, let time):
            state.now = max(state.now, time)
            return takeOver(weight, by: by, action: "adopt", saying: "adopted the router's weight")
        case .unconfirmedRollbackFound(let by, let time):
            state.now = max(state.now, time)
            return resendUnconfirmedRollback(by: by)
        case .confirmationAnswered(let weight, let approved, let answer, let time):
            state.now = max(state.now, time)
            return answered(weight, approved: approved, answer: answer)
        }
    }

    // MARK: Evaluation

    mutating func evaluate() -> [ReleaseEffect] {
        let report = evaluator.evaluate(state.fleet, now: state.now, stepStartedAt: state.stepStartedAt)
        state.report = report
        guard !state.isTerminal else { return [] }
        if readOnly { return observe(report) }
        if state.phase == .rollingBack {
            return state.pending == nil ? resendRollback() : []
        }
        if let trip = report.tripped, canaryMayGetTraffic {
            return rollback(reason: trip.reason, by: "grayctl")
        }
        guard state.pending == nil else { return [] }
        let starting = state.stepIndex < 0
        if let blocking = report.blocking(starting: starting) {
            state.greenSince = nil
            return hold(blocking)
        }
        if let unread = routerNotRead {
            return hold(key: "router", reason: unread)
        }
        state.holdKey = nil
        state.holdReason = nil
        let greenSince = state.greenSince ?? state.now
        state.greenSince = greenSince
        guard state.autoAdvance, !state.paused else { return [] }
        if starting {
            return requestPromotion(to: 0, by: "grayctl", reason: startReason(report))
        }
        let green = state.now - greenSince
        guard green >= plan.bake else { return [] }
        let reason = "green for \(Format.seconds(green)) at \(state.weight)%: \(passSummary(report))"
        if state.stepIndex == plan.steps.count - 1 {
            return complete(reason: reason, by: "grayctl")
        }
        return requestPromotion(to: state.stepIndex + 1, by: "grayctl", reason: reason)
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
        return hold(GateResult(blocking.gate, blocking.verdict, verdict + blocking.reason, cause: blocking.cause))
    }

    private mutating func hold(_ blocking: GateResult) -> [ReleaseEffect] {
        hold(key: "\(blocking.gate.rawValue):\(blocking.verdict.rawValue)" + (blocking.cause.map { ":" + $0 } ?? ""), reason: blocking.reason)
    }

    /// Holds for `reason`, announced once per `key` (a change of cause).
    private mutating func hold(key: String, reason: String) -> [ReleaseEffect] {
        state.holdReason = reason
        guard key != state.holdKey else { return [] }
        state.holdKey = key
        return [.announce(Decision(t: state.now, kind: .hold, reason: reason, report: state.report))]
    }

    /// Why no promotion may be sent for want of a router reading, if so (live runs only).
    var routerNotRead: String? {
        guard requiresRouterReading else { return nil }
        let lastError = state.fleet.failures[.router]?["weight"].map { " (last error: \($0.message))" } ?? ""
        guard let reading = state.fleet.routerWeight else { return "router weight not read yet\(lastError)" }
        let age = state.now - reading.readAt
        guard age > staleHold else { return nil }
        return "router weight not read for \(Format.seconds(age))\(lastError)"
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
        state.pendingStep = Decision(t: state.now, kind: .step(from: from, to: to), reason: reason, report: state.report)
        state.phase = .progressing
        state.greenSince = nil
        state.holdKey = nil
        state.holdReason = nil
        return [
            .appendJournal(JournalEntry(t: state.now, action: "promote", weight: to, by: by, reason: reason)),
            .setWeight(to),
        ]
    }

    /// True when the canary may be receiving traffic: grayctl set a weight, a write is in flight,
    /// or the router was last read above 0.
    private var canaryMayGetTraffic: Bool {
        state.weight > 0 || state.pending != nil || (state.fleet.routerWeight?.weight ?? 0) > 0
    }

    mutating func rollback(reason: String, by: String) -> [ReleaseEffect] {
        let from = max(state.pending?.weight ?? state.weight, state.fleet.routerWeight?.weight ?? 0)
        state.phase = .rollingBack
        state.confirmation = nil
        state.confirmNotices = []
        state.pending = (0, -1)
        state.pendingStep = nil
        state.finalReason = reason
        state.holdReason = nil
        state.rollbackFailure = nil
        return [
            .appendJournal(JournalEntry(t: state.now, action: "rollback", weight: 0, by: by, reason: reason)),
            .setWeight(0),
            .announce(Decision(t: state.now, kind: .rollback(from: from, to: 0), reason: reason, report: state.report)),
        ]
    }

    /// Sends weight 0 again while the router has not confirmed it (the journal already says so).
    private mutating func resendRollback() -> [ReleaseEffect] {
        state.pending = (0, -1)
        return [.setWeight(0)]
    }

    /// The router read back 0: the rollback is done.
    private mutating func confirmRollback() -> [ReleaseEffect] {
        state.phase = .rolledBack
        state.weight = 0
        state.stepIndex = -1
        state.pending = nil
        state.rollbackFailure = nil
        return [
            .appendJournal(JournalEntry(t: state.now, action: "rollback_confirmed", weight: 0, by: "grayctl", reason: "router reads 0%")),
            .showMessage("rollback confirmed: the router reads 0%"),
        ]
    }

    private mutating func resendUnconfirmedRollback(by: String) -> [ReleaseEffect] {
        guard !readOnly, state.phase == .waiting, state.stepIndex < 0, state.pending == nil else {
            return [.showMessage("unconfirmed rollback ignored: the release has already moved")]
        }
        let reason = "the previous run's rollback was never confirmed by the router: sending 0% again"
        state.phase = .rollingBack
        state.pending = (0, -1)
        state.finalReason = reason
        return [
            .appendJournal(JournalEntry(t: state.now, action: "rollback", weight: 0, by: by, reason: reason)),
            .setWeight(0),
            .showMessage(reason),
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
        if state.phase == .rollingBack { return confirmRollback() }
        state.weight = weight
        state.pending = nil
        state.stepIndex = pending.stepIndex
        state.stepStartedAt = state.now
        state.fleet.beginStep(at: state.now)
        state.journalFailure = nil
        defer { state.pendingStep = nil }
        return state.pendingStep.map { [.announce($0)] } ?? []
    }

    private mutating func reject(_ weight: Int, message: String) -> [ReleaseEffect] {
        guard let pending = state.pending, pending.weight == weight else { return [] }
        state.pending = nil
        state.pendingStep = nil
        if state.phase == .rollingBack {
            // Never given up: weight 0 goes out again at the next round (the runtime paces rounds).
            guard message != state.rollbackFailure else { return [] }
            state.rollbackFailure = message
            return [.showMessage("ROLLBACK NOT APPLIED: router refused weight 0 (\(message)); retrying every round")]
        }
        state.phase = state.stepIndex < 0 ? .waiting : .progressing
        return [
            .appendJournal(JournalEntry(t: state.now, action: "promote_failed", weight: state.weight, by: "grayctl", reason: message)),
            .showMessage("promotion to \(weight)% failed: \(message); canary stays at \(state.weight)%"),
        ]
    }

    private mutating func journalFailed(_ entry: JournalEntry, message: String) -> [ReleaseEffect] {
        let shout = message != state.journalFailure
        state.journalFailure = message
        guard entry.action == "promote", let pending = state.pending, pending.weight == entry.weight, state.phase != .rollingBack else {
            let note = entry.action == "rollback" ? "; the rollback is sent anyway" : ""
            return shout ? [.showMessage("JOURNAL WRITE FAILED (\(message)): \(entry.action) not journalled\(note)")] : []
        }
        state.pending = nil
        state.pendingStep = nil
        state.phase = state.stepIndex < 0 ? .waiting : .progressing
        state.holdReason = "the journal cannot be written (\(message)): no promotion until it can"
        guard shout else { return [] }
        return [.showMessage(
            "JOURNAL WRITE FAILED (\(message)): promotion to \(entry.weight)% not sent; canary stays at \(state.weight)%, rollbacks still go out")]
    }

    /// Takes `weight` as the confirmed one, at the highest step not above it; that step's evidence
    /// starts now.
    mutating func adopt(_ weight: Int) {
        state.weight = weight
        state.stepIndex = plan.steps.lastIndex { $0 <= weight } ?? -1
        state.stepStartedAt = state.now
        state.fleet.beginStep(at: state.now)
        state.phase = weight > 0 ? .progressing : .waiting
    }

    /// Keeps the router where grayctl put it. A read of the weight a write left unconfirmed settles
    /// it; after a confirmed rollback another weight means rolling back again; a weight changed by
    /// someone else is adopted (the router decides whether a rollback is needed) and pauses the
    /// release.
    private mutating func reconcile(routerWeight weight: Int) -> [ReleaseEffect] {
        var effects: [ReleaseEffect] = []
        if let pending = state.pending {
            if weight == pending.weight { return acknowledge(weight) }
            effects += reject(pending.weight, message: "router reads \(weight)% after grayctl sent \(pending.weight)%")
        }
        if readOnly {
            if weight != state.weight { adopt(weight) }
            return effects
        }
        switch state.phase {
        case .promoted:
            return effects
        case .rollingBack:
            return weight == 0 && state.pending == nil ? effects + confirmRollback() : effects
        case .rolledBack:
            guard weight != 0 else { return effects }
            state.phase = .rollingBack
            state.finalReason = (state.finalReason ?? "rolled back") + "; router later read \(weight)%"
            return effects + [
                .appendJournal(JournalEntry(
                    t: state.now, action: "rollback", weight: 0, by: "grayctl", reason: "router weight is \(weight)% after rollback")),
                .showMessage("router weight is \(weight)% after rollback: setting 0% again"),
            ] + resendRollback()
        case .waiting, .progressing:
            guard weight != state.weight else { return effects }
            let previous = state.weight
            adopt(weight)
            state.paused = true
            return effects + [.showMessage(
                "router weight changed outside grayctl to \(weight)% (grayctl set \(previous)%): paused at \(weight)%; gates still roll back")]
        }
    }
}
