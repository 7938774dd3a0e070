import GrayCore

/// The events log: decisions with their reasons and operator messages, newest at the bottom. With
/// room (10 rows inside), a long reason wraps onto up to three rows under its text instead of
/// being cut.
struct EventsPanel: Widget {
    let context: PanelContext

    /// Columns of the time (`  45 s `).
    static let timeWidth = 7

    func draw(in rect: Rect, on screen: inout Screen) {
        Panel(title: "events", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let inner = rect.content
        guard !context.model.events.isEmpty else {
            screen.put("no decision yet", in: inner, row: 0, style: Style(.muted))
            return
        }
        let linesEach = inner.height >= 10 ? 3 : 1
        var blocks: [(event: EventLine, lines: [String])] = []
        var rows = 0
        for event in context.model.events.reversed() {
            let lines = linesEach == 1 ? [event.text] : TextWrap.lines(event.text, width: inner.width - Self.timeWidth, maxLines: linesEach)
            guard rows + lines.count <= inner.height else { break }
            blocks.append((event, lines))
            rows += lines.count
        }
        var row = 0
        for (event, lines) in blocks.reversed() {
            screen.put(TimeText.age(event.t).leftPadded(to: Self.timeWidth - 1) + " ", in: inner, row: row, style: Style(.muted))
            let style: Style
            switch event.severity {
            case .info: style = Style(.text)
            case .progress: style = Style(.gatePass)
            case .alert: style = Style(.alert, bold: true)
            }
            for line in lines {
                screen.put(line, in: inner, row: row, column: Self.timeWidth, style: style)
                row += 1
            }
        }
    }
}
