import GrayCore

/// The bottom row: the mode's key bindings (from ``KeyBinding/all``) and the last message, or the
/// y/n prompt when a question is open.
struct KeyBar: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        let model = context.model
        if let prompt = model.prompt {
            let weight = context.release.map { $0.pending?.weight ?? $0.weight } ?? 0
            let question: String
            switch prompt {
            case .rollback: question = " Roll back the canary from \(weight)% to 0%? y/n "
            case .quit: question = " A release is in flight at \(weight)% and will stay there. Quit anyway? y/n "
            }
            screen.fill(rect, style: Style(.alert))
            screen.put(question, in: rect, row: 0, style: Style(.alert, bold: true))
            return
        }
        var column = rect.x
        for binding in KeyBinding.bindings(for: model.mode) {
            let end = rect.x + rect.width
            column = screen.put(" \(binding.label) ", x: column, y: rect.y, style: Style(binding.isDangerous ? .keyDanger : .key, bold: true), limit: end - column)
            column = screen.put(Self.shortName(binding.action) + " ", x: column, y: rect.y, style: Style(.muted), limit: end - column)
        }
        if let status = model.status {
            screen.put(" " + status, x: column, y: rect.y, style: Style(.text), limit: rect.x + rect.width - column)
        }
    }

    static func shortName(_ action: DashboardAction) -> String {
        switch action {
        case .promote: return "promote"
        case .rollback: return "rollback"
        case .pauseResume: return "pause"
        case .autoAdvance: return "auto"
        case .nextTheme: return "theme"
        case .help: return "help"
        case .instances: return "instances"
        case .quit: return "quit"
        case .faultErrors: return "fail"
        case .faultLatency: return "slow"
        }
    }
}
