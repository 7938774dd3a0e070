import GrayCore

/// Every gate's verdict with its reason: pass, not enough data, hold, or tripped. With two rows a
/// gate inside the panel, a long reason wraps onto its second row instead of being cut.
struct GatesPanel: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        Panel(title: "gates", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let inner = rect.content
        guard let report = context.release?.report, !report.results.isEmpty else {
            screen.put("no observation yet: nothing may be promoted", in: inner, row: 0, style: Style(.muted))
            return
        }
        let linesEach = inner.height >= 2 * report.results.count ? 2 : 1
        var row = 0
        for result in report.results {
            let (mark, style) = Self.mark(result.verdict)
            let column = screen.put(mark + " " + result.gate.rawValue.rightPadded(to: 9), in: inner, row: row, style: style) - inner.x
            let lines = linesEach == 1 ? [result.reason] : TextWrap.lines(result.reason, width: inner.width - column, maxLines: linesEach)
            for line in lines {
                screen.put(line, in: inner, row: row, column: column, style: result.verdict == .trip ? style : Style(.text))
                row += 1
            }
        }
    }

    static func mark(_ verdict: GateVerdict) -> (String, Style) {
        switch verdict {
        case .pass: return ("ok  ", Style(.gatePass, bold: true))
        case .insufficient: return ("..  ", Style(.gateHold))
        case .hold: return ("HOLD", Style(.gateHold, bold: true))
        case .trip: return ("TRIP", Style(.gateTripped, bold: true))
        }
    }
}
