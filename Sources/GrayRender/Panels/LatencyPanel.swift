import GrayCore

/// The latency quantile (P99 by default) of stable and canary: current value and a sparkline each,
/// on one shared scale (the gate's limit, or the highest value if above it), and the limit; with
/// room (8 rows inside), a chart of both with the limit line and a time axis instead.
struct LatencyPanel: Widget {
    let context: PanelContext

    /// Rows inside the panel from which the chart is drawn.
    static let chartRows = 8

    func draw(in rect: Rect, on screen: inout Screen) {
        let model = context.model
        let quantile = "P" + Format.trimmed(model.gates.latencyQuantile * 100, digits: 2)
        Panel(title: "latency \(quantile)", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let inner = rect.content
        let series = Version.allCases.map { model.latency[$0] ?? [] }
        let finite = series.joined().filter(\.isFinite)
        let scale = max(finite.max() ?? 0, model.gates.maxLatency)
        let readAt = context.release.map { release in Version.allCases.compactMap { release.fleet.lastGoodScrape(of: $0) }.min() } ?? nil
        if inner.height >= Self.chartRows {
            drawChart(in: inner, readAt: readAt, on: &screen)
            return
        }
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

    /// The legend (each version's value now), the chart, and the limit and window.
    private func drawChart(in inner: Rect, readAt: Double?, on screen: inout Screen) {
        let model = context.model
        var column = inner.x
        for version in Version.allCases {
            let canary = version == .canary
            let style = context.style(Style(canary ? .p99Canary : .p99Stable, bold: canary), readAt: readAt)
            let value = context.release?.report.measurements[version]?.latency ?? .nan
            let mark = String(canary ? context.glyphs.filled : context.glyphs.bullet)
            column = screen.put("\(mark) \(version.rawValue) \(Format.milliseconds(value))   ", x: column, y: inner.y, style: style, limit: inner.x + inner.width - column)
        }
        LatencyChart(
            stable: model.latency[.stable] ?? [], canary: model.latency[.canary] ?? [], limit: model.gates.maxLatency,
            interval: model.plan.interval, stableStyle: context.style(Style(.p99Stable), readAt: readAt),
            canaryStyle: context.style(Style(.p99Canary, bold: true), readAt: readAt), glyphs: context.glyphs
        ).draw(in: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 2), on: &screen)
        let limit = "limit \(Format.milliseconds(model.gates.maxLatency)) (\(context.glyphs.dashed)) · window \(Format.seconds(model.gates.window))"
        screen.put(limit + context.staleSuffix(readAt), in: inner, row: inner.height - 1, style: Style(.limit))
    }
}
