import GrayCore

/// The events log: decisions with their reasons and operator messages, newest at the bottom.
struct EventsPanel: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        Panel(title: "events", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let inner = rect.content
        let shown = context.model.events.suffix(inner.height)
        if shown.isEmpty {
            screen.put("no decision yet", in: inner, row: 0, style: Style(.muted))
        }
        for (row, event) in shown.enumerated() {
            let time = TimeText.age(event.t).leftPadded(to: 6) + " "
            let column = screen.put(time, in: inner, row: row, style: Style(.muted))
            let style: Style
            switch event.severity {
            case .info: style = Style(.text)
            case .progress: style = Style(.gatePass)
            case .alert: style = Style(.alert, bold: true)
            }
            screen.put(event.text, in: inner, row: row, column: column - inner.x, style: style)
        }
    }
}
