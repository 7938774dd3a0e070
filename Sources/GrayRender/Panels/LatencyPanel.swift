import GrayCore

/// The latency quantile (P99 by default) of stable and canary: current value and a sparkline each,
/// on one shared scale (the gate's limit, or the highest value if above it), and the limit.
struct LatencyPanel: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        let model = context.model
        let quantile = "P" + Format.trimmed(model.gates.latencyQuantile * 100, digits: 2)
        Panel(title: "latency \(quantile)", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let inner = rect.content
        let series = Version.allCases.map { model.latency[$0] ?? [] }
        let finite = series.joined().filter(\.isFinite)
        let scale = max(finite.max() ?? 0, model.gates.maxLatency)
        let readAt = context.release.map { release in Version.allCases.compactMap { release.fleet.lastGoodScrape(of: $0) }.min() } ?? nil
        for (index, version) in Version.allCases.enumerated() {
            let role: Role = version == .canary ? .p99Canary : .p99Stable
            let value = context.release?.report.measurements[version]?.latency ?? .nan
            let label = version.rawValue.rightPadded(to: 7) + Format.milliseconds(value).leftPadded(to: 9) + "  "
            let style = context.style(Style(role, bold: version == .canary), readAt: readAt)
            let column = screen.put(label, in: inner, row: index * 2, style: style)
            let width = inner.x + inner.width - column
            Sparkline(values: series[index], maximum: scale, style: style, glyphs: context.glyphs)
                .draw(in: Rect(x: column, y: inner.y + index * 2, width: width, height: 1), on: &screen)
        }
        var limit = "limit \(Format.milliseconds(model.gates.maxLatency)) · window \(Format.seconds(model.gates.window))"
        if scale > model.gates.maxLatency { limit += " · bars to \(Format.milliseconds(scale))" }
        screen.put(limit + context.staleSuffix(readAt), in: inner, row: 4, style: Style(.limit))
    }
}
