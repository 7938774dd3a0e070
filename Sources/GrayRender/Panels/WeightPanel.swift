import GrayCore

/// Canary weight: a gauge, the plan with the current step, and what happens next (bake countdown,
/// hold reason, pause, or the final verdict). An alert (rollback not applied) takes the last line.
struct WeightPanel: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        Panel(title: "canary weight", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let inner = rect.content
        let model = context.model
        let release = context.release
        let weight = release?.weight ?? 0
        let weightText = "\(weight)%".leftPadded(to: 4) + " "
        var column = screen.put(weightText, in: inner, row: 0, style: Style(.text, bold: true))
        let gaugeWidth = min(40, max(10, inner.width / 3))
        Gauge(ratio: Double(weight) / 100, glyphs: context.glyphs).draw(in: Rect(x: column, y: inner.y, width: gaugeWidth, height: 1), on: &screen)
        column += gaugeWidth
        column = screen.put("  plan ", x: column, y: inner.y, style: Style(.muted), limit: inner.x + inner.width - column)
        StepPlanLine(steps: model.plan.steps, current: release?.stepIndex ?? -1, glyphs: context.glyphs)
            .draw(in: Rect(x: column, y: inner.y, width: inner.x + inner.width - column, height: 1), on: &screen)
        if let routerWeight = release?.fleet.routerWeight, routerWeight.weight != weight {
            screen.put("  router reads \(routerWeight.weight)%", x: inner.x + inner.width - 22, y: inner.y, style: Style(.gateHold), limit: 22)
        }
        if let alert = model.alert {
            screen.put(alert, in: inner, row: 1, style: Style(.alert, bold: true))
        } else {
            let (text, style) = nextStep()
            screen.put(text, in: inner, row: 1, style: style)
        }
    }

    /// What happens next, in words.
    private func nextStep() -> (String, Style) {
        let model = context.model
        guard let release = context.release else { return ("waiting for the first poll of the fleet…", Style(.muted)) }
        if model.mode == .watch {
            return ("read-only: grayctl watch changes nothing" + (release.holdReason.map { " · \($0)" } ?? ""), Style(.muted))
        }
        switch release.phase {
        case .rolledBack: return ("rolled back: \(release.finalReason ?? "")", Style(.alert, bold: true))
        case .rollingBack:
            let why = release.rollbackFailure.map { "router refused: \($0)" } ?? "waiting for the router to read 0%"
            return ("ROLLBACK NOT CONFIRMED, re-sent every round · \(why)", Style(.alert, bold: true))
        case .promoted: return ("promoted: \(release.finalReason ?? "")", Style(.gatePass, bold: true))
        case .waiting, .progressing: break
        }
        if let pending = release.pending { return ("setting \(pending.weight)%: waiting for the router to confirm", Style(.gateHold)) }
        if release.paused { return ("paused by the operator: space resumes, p promotes one step (gates still roll back)", Style(.gateHold)) }
        if let hold = release.holdReason { return ((release.stepIndex < 0 ? "waiting to start: " : "holding: ") + hold, Style(.gateHold)) }
        let next = release.stepIndex + 1 < model.plan.steps.count ? "\(model.plan.steps[release.stepIndex + 1])%" : "complete"
        guard let greenSince = release.greenSince else { return ("judging the gates…", Style(.muted)) }
        let green = max(0, release.now - greenSince)
        if release.stepIndex < 0 {
            return (release.autoAdvance ? "canary ready: starting at \(model.plan.steps[0])%" : "canary ready: p starts at \(model.plan.steps[0])%", Style(.gatePass))
        }
        guard release.autoAdvance else {
            return ("green for \(TimeText.age(green)) · auto-advance off: p promotes to \(next)", Style(.gatePass))
        }
        let left = max(0, model.plan.bake - green)
        return ("bake \(TimeText.age(green)) / \(TimeText.age(model.plan.bake)) green · \(next) in \(TimeText.age(left))", Style(.gatePass))
    }
}
