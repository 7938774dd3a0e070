extension ReleaseEngine {
    /// Carries out an operator's request; refusals come back as messages (and holds), never silently.
    mutating func handleOperator(_ action: OperatorAction, by: String) -> [ReleaseEffect] {
        if readOnly {
            return [.showMessage("read-only: grayctl watch changes nothing (\(action.rawValue) ignored); use grayctl release")]
        }
        if state.phase == .rollingBack, action != .toggleAutoAdvance {
            return [.showMessage("rollback in progress: waiting for the router to read 0% (\(action.rawValue) ignored)")]
        }
        if state.isTerminal, action != .toggleAutoAdvance {
            return [.showMessage("release already \(state.phase == .promoted ? "promoted" : "rolled back"): \(action.rawValue) ignored")]
        }
        switch action {
        case .rollback:
            let weight = max(state.pending?.weight ?? state.weight, state.fleet.routerWeight?.weight ?? 0)
            return rollback(reason: "operator \(by) rolled back at \(weight)%", by: by)
        case .promote:
            return operatorPromote(by: by)
        case .pause:
            state.paused = true
            return [
                .appendJournal(JournalEntry(t: state.now, action: "pause", weight: state.weight, by: by, reason: "operator paused")),
                .showMessage("paused: no promotion until resumed (gates still roll back)"),
            ]
        case .resume:
            state.paused = false
            return [
                .appendJournal(JournalEntry(t: state.now, action: "resume", weight: state.weight, by: by, reason: "operator resumed")),
                .showMessage("resumed"),
            ]
        case .toggleAutoAdvance:
            state.autoAdvance.toggle()
            let mode = state.autoAdvance ? "on" : "off"
            // A decided release journals nothing more that a restart could read as in flight.
            let journal: [ReleaseEffect] = state.isDecided
                ? []
                : [.appendJournal(JournalEntry(t: state.now, action: "toggle_auto", weight: state.weight, by: by, reason: "auto-advance \(mode)"))]
            return journal + [.showMessage("auto-advance \(mode)")]
        }
    }

    /// Continues a release at `weight`, taken from (the journal for `--resume`, the
    /// router's reading for `--adopt`), with `lead` opening the reason: the engine takes it as its current step (the highest step
    /// not above it) and that step earns fresh evidence from now. Only before anything else
    /// happened; a router reading another weight then pauses the release, as for any change made
    /// outside grayctl.
    mutating func takeOver(_ weight: Int, by: String, action: String, saying lead: String) -> [ReleaseEffect] {
        guard !readOnly, state.phase == .waiting, state.stepIndex < 0, state.pending == nil else {
            return [.showMessage("\(action) ignored: the release has already moved")]
        }
        adopt(weight)
        let index = state.stepIndex
        let position = index < 0 ? "before the first step" : "step \(index + 1)/\(plan.steps.count)"
        let reason = "\(lead) \(weight)% (\(position))"
        return [
            .appendJournal(JournalEntry(t: state.now, action: action, weight: weight, by: by, reason: reason)),
            .showMessage(reason),
        ]
    }

    private mutating func operatorPromote(by: String) -> [ReleaseEffect] {
        guard state.pending == nil else {
            return [.showMessage("waiting for the router to confirm \(state.pending!.weight)%")]
        }
        let starting = state.stepIndex < 0
        if let reason = state.report.blocking(starting: starting)?.reason ?? routerNotRead {
            state.holdReason = reason
            return [
                .showMessage("promotion refused: \(reason)"),
                .announce(Decision(t: state.now, kind: .hold, reason: reason, report: state.report)),
            ]
        }
        let reason = "operator \(by) promoted: " + (starting ? "canary ready" : "all gates green")
        if state.stepIndex == plan.steps.count - 1 {
            return complete(reason: reason, by: by)
        }
        return requestPromotion(to: state.stepIndex + 1, by: by, reason: reason)
    }
}
