import GrayCore

/// Every gate's verdict with its reason: pass, not enough data, hold, or tripped.
struct GatesPanel: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        Panel(title: "gates", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let inner = rect.content
        guard let report = context.release?.report, !report.results.isEmpty else {
            screen.put("no observation yet: nothing may be promoted", in: inner, row: 0, style: Style(.muted))
            return
        }
        for (row, result) in report.results.enumerated() {
            let (mark, style) = Self.mark(result.verdict)
            let column = screen.put(mark + " " + result.gate.rawValue.rightPadded(to: 9), in: inner, row: row, style: style)
            screen.put(result.reason, in: inner, row: row, column: column - inner.x, style: result.verdict == .trip ? style : Style(.text))
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
