/// A one-row chart of recent values, newest at the right, scaled to `maximum` (values above it
/// draw as the top level; NaN draws as a gap).
public struct Sparkline: Widget {
    /// The values, oldest first.
    public var values: [Double]
    /// The value of the top level.
    public var maximum: Double
    /// Style of the bars.
    public var style: Style
    /// Glyphs.
    public var glyphs: Glyphs

    /// Creates a sparkline.
    public init(values: [Double], maximum: Double, style: Style, glyphs: Glyphs) {
        self.values = values
        self.maximum = maximum
        self.style = style
        self.glyphs = glyphs
    }

    public func draw(in rect: Rect, on screen: inout Screen) {
        guard rect.width > 0, rect.height > 0 else { return }
        let shown = values.suffix(rect.width)
        var column = rect.x + rect.width - shown.count
        for value in shown {
            screen[column, rect.y] = Cell(level(value), style)
            column += 1
        }
    }

    func level(_ value: Double) -> Character {
        guard !value.isNaN, maximum > 0 else { return " " }
        let top = glyphs.levels.count - 1
        if value == .infinity { return glyphs.levels[top] }
        let scaled = (value / maximum * Double(top)).rounded(.up)
        guard !scaled.isNaN else { return glyphs.levels[0] }
        return glyphs.levels[Int(min(Double(top), max(0, scaled)))]
    }
}
