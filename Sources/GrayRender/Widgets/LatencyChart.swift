import GrayCore

/// A chart of stable's and canary's latency quantile over the last rounds, for a panel with room:
/// a value axis on the left (0 to the scale), the gate's limit as a dashed line, canary drawn over
/// stable, newest at the right, and a time axis underneath (`-2m … now`).
struct LatencyChart: Widget {
    /// Per version, one value a round, oldest first (NaN: no data that round).
    let stable: [Double]
    let canary: [Double]
    /// The gate's limit (seconds).
    let limit: Double
    /// Seconds between rounds (the time axis).
    let interval: Double
    let stableStyle: Style
    let canaryStyle: Style
    let glyphs: Glyphs

    /// Columns of the value axis (`500 ms ` and its tick).
    static let axisWidth = 9

    func draw(in rect: Rect, on screen: inout Screen) {
        let plotHeight = rect.height - 1
        let plotWidth = rect.width - Self.axisWidth
        guard plotHeight >= 3, plotWidth >= 10 else { return }
        let plot = Rect(x: rect.x + Self.axisWidth, y: rect.y, width: plotWidth, height: plotHeight)
        let shown = (stable: Array(stable.suffix(plotWidth)), canary: Array(canary.suffix(plotWidth)))
        let finite = (shown.stable + shown.canary).filter(\.isFinite)
        let scale = max(finite.max() ?? 0, limit) * 1.15
        func row(_ value: Double) -> Int {
            plot.y + plotHeight - 1 - Int((min(value, scale) / scale * Double(plotHeight - 1)).rounded())
        }
        let limitRow = row(limit)
        for column in 0..<plotWidth { screen[plot.x + column, limitRow] = Cell(glyphs.dashed, Style(.limit)) }
        let labels = [(plot.y, scale), (limitRow, limit), (plot.y + plotHeight - 1, 0.0)]
        for (labelRow, value) in labels where labelRow != limitRow || value == limit {
            screen.put(Format.milliseconds(value).leftPadded(to: Self.axisWidth - 2) + " " + String(glyphs.vertical), x: rect.x, y: labelRow, style: Style(labelRow == limitRow ? .limit : .muted))
        }
        for (values, glyph, style) in [(shown.stable, glyphs.bullet, stableStyle), (shown.canary, glyphs.filled, canaryStyle)] {
            let start = plot.x + plotWidth - values.count
            for (offset, value) in values.enumerated() where value.isFinite {
                screen[start + offset, row(value)] = Cell(glyph, style)
            }
        }
        let axisRow = rect.y + plotHeight
        let span = Double(plotWidth) * interval
        let axis = "-" + Format.seconds(span)
        screen.put(String(repeating: String(glyphs.horizontal), count: plotWidth), x: plot.x, y: axisRow, style: Style(.muted))
        screen.put(axis, x: plot.x, y: axisRow, style: Style(.muted))
        let middle = "-" + Format.seconds(span / 2)
        screen.put(middle, x: plot.x + (plotWidth - middle.count) / 2, y: axisRow, style: Style(.muted))
        screen.put("now", x: plot.x + plotWidth - 3, y: axisRow, style: Style(.muted))
    }
}
