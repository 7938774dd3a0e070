import GrayCore

/// The `i` view: every instance of both versions, worst first, with health, check latency, error
/// ratio, latency quantile and breakers; scrolls with ↑ ↓ j k PgUp PgDn. Drawn over the panels.
struct InstancesView: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        screen.fill(rect, style: Style(.text))
        guard let release = context.release else {
            Panel(title: "instances", glyphs: context.glyphs).draw(in: rect, on: &screen)
            screen.put("connecting…", in: rect.content, row: 0, style: Style(.muted))
            return
        }
        let gates = context.model.gates
        let rows = InstanceRow.rows(release.fleet, now: release.now, window: gates.window, quantile: gates.latencyQuantile)
        let inner = rect.content
        let visible = max(1, inner.height - 1)
        let offset = max(0, min(context.model.instancesOffset, rows.count - visible))
        let shown = rows.isEmpty ? "none" : "\(offset + 1)–\(min(rows.count, offset + visible)) of \(rows.count)"
        Panel(title: "instances · \(shown) · worst first · ↑↓ PgUp PgDn · i closes", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let quantile = "P" + Format.trimmed(gates.latencyQuantile * 100, digits: 2)
        let nameWidth = max(8, min(32, inner.width - 60))
        screen.put(
            "VERSION " + "INSTANCE".rightPadded(to: nameWidth) + " HEALTH          CHECK     ERR " + quantile.leftPadded(to: 8) + "  BREAKERS",
            in: inner, row: 0, style: Style(.muted, bold: true))
        for (index, row) in rows.dropFirst(offset).prefix(visible).enumerated() {
            let health = row.health.map { "\($0.rawValue) \(row.healthFor.map(TimeText.age) ?? "")" } ?? "not checked"
            let error = row.failureRatio.isNaN ? "-" : Format.percent(row.failureRatio)
            let latency = row.latency.isNaN ? "-" : Format.milliseconds(row.latency)
            let text = (row.subject.target.rawValue.rightPadded(to: 7) + " " + Self.clipped(row.subject.instance, nameWidth).rightPadded(to: nameWidth)
                + " " + health.rightPadded(to: 15) + " " + (row.checkLatency.map(Format.milliseconds) ?? "-").leftPadded(to: 6)
                + " " + error.leftPadded(to: 7) + " " + latency.leftPadded(to: 8) + "  " + row.breakers)
            screen.put(text, in: inner, row: index + 1, style: Self.style(row))
        }
    }

    /// `text` cut to `width` with its end kept (instance names differ at the end: `…-canary-2`).
    private static func clipped(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : "…" + text.suffix(width - 1)
    }

    private static func style(_ row: InstanceRow) -> Style {
        if let health = row.health, health != .serving { return Style(HealthPanel.role(health), bold: true) }
        if row.openBreakers > 0 { return Style(.breakerOpen, bold: true) }
        return Style(.text)
    }
}
