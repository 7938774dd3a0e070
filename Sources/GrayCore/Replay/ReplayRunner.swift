/// Runs a recording through the decision engine, as fast as it can, per `docs/recording.md`.
///
/// Auto-advance from weight 0 at the first observation; lines with the same `t` form one poll
/// round; weight changes go to a simulated router that confirms them at once; recorded `weight`
/// and `action` lines are not inputs, except `plan.confirm`'s recorded answers (`confirm_approved`,
/// `confirm_declined`), which answer the replay's own questions. Deterministic.
public enum ReplayRunner {
    /// Replays `recording` with `config`'s plan and gates, up to the rounds at `until` seconds;
    /// `observe` sees the state and the decisions after each round (a dashboard's view of the replay).
    public static func run(
        _ recording: Recording, config: GrayConfig, until: Double = .infinity,
        observe: (ReleaseState, [Decision]) -> Void = { _, _ in }
    ) -> ReplayResult {
        var engine = ReleaseEngine(
            plan: config.plan, gates: config.gates, metrics: config.metrics, failureCodes: config.failureCodes,
            autoAdvance: true)
        var decisions: [Decision] = []
        var lastT = 0.0
        var index = 0
        let lines = recording.lines
        while index < lines.count, !engine.state.isTerminal, lines[index].t <= until {
            let t = lines[index].t
            var round: [Observation] = []
            var answers: [ReleaseEvent] = []
            while index < lines.count, lines[index].t == t {
                if let observation = lines[index].entry.observation() {
                    if case .weight = observation {} else { round.append(observation) }
                } else if let answer = confirmation(lines[index].entry, at: t) {
                    answers.append(answer)
                }
                index += 1
            }
            guard !round.isEmpty || !answers.isEmpty else { continue }
            lastT = t
            let decided = decisions.count
            var queue = round.isEmpty ? [] : engine.handle(.observed(round, at: t))
            for answer in answers { queue += engine.handle(answer) }
            while !queue.isEmpty {
                switch queue.removeFirst() {
                case .setWeight(let weight):
                    queue += engine.handle(.routerAcknowledged(weight: weight, at: t))
                case .announce(let decision):
                    decisions.append(decision)
                case .appendJournal, .showMessage, .askConfirmation:
                    break
                }
            }
            observe(engine.state, Array(decisions[decided...]))
        }
        return result(engine.state, plan: config.plan, decisions: decisions, lastT: lastT)
    }

    /// `plan.confirm`'s recorded answer (an `action` line `confirm_approved` or `confirm_declined`)
    /// as the engine's input; nil for any other line.
    private static func confirmation(_ entry: RecordEntry, at t: Double) -> ReleaseEvent? {
        guard case .action(let action, let weight, _, let answer) = entry, action == "confirm_approved" || action == "confirm_declined" else {
            return nil
        }
        return .confirmationAnswered(to: weight, approved: action == "confirm_approved", answer: answer, at: t)
    }

    private static func result(_ state: ReleaseState, plan: ReleasePlan, decisions: [Decision], lastT: Double) -> ReplayResult {
        switch state.phase {
        case .promoted:
            return ReplayResult(
                decisions: decisions, verdict: .promoted, weight: state.weight, t: state.now,
                reason: state.finalReason ?? "promoted")
        case .rolledBack:
            return ReplayResult(
                decisions: decisions, verdict: .rolledBack, weight: 0, t: state.now,
                reason: state.finalReason ?? "rolled back")
        case .rollingBack:
            return ReplayResult(
                decisions: decisions, verdict: .rollbackUnconfirmed, weight: state.weight, t: state.now,
                reason: state.finalReason ?? "rollback not confirmed")
        case .waiting, .progressing:
            var reason: String
            if state.stepIndex < 0 {
                reason = "not started: weight 0"
            } else {
                reason = "at step \(state.stepIndex + 1)/\(plan.steps.count) (\(state.weight)%)"
                if let greenSince = state.greenSince {
                    reason += ", green for \(Format.seconds(state.now - greenSince)) of \(Format.seconds(plan.bake))"
                }
            }
            if let hold = state.holdReason { reason += ", holding: \(hold)" }
            return ReplayResult(decisions: decisions, verdict: .inProgress, weight: state.weight, t: lastT, reason: reason)
        }
    }
}
