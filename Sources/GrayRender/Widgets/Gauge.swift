/// A horizontal bar filled to `ratio` (0...1), one row.
public struct Gauge: Widget {
    /// How full, 0...1.
    public var ratio: Double
    /// Glyphs.
    public var glyphs: Glyphs

    /// Creates a gauge.
    public init(ratio: Double, glyphs: Glyphs) {
        self.ratio = ratio
        self.glyphs = glyphs
    }

    public func draw(in rect: Rect, on screen: inout Screen) {
        guard rect.width > 0, rect.height > 0 else { return }
        let clamped = ratio.isFinite ? min(max(ratio, 0), 1) : 0
        let filled = Int((clamped * Double(rect.width)).rounded())
        screen.fill(Rect(x: rect.x, y: rect.y, width: filled, height: 1), glyphs.filled, style: Style(.gaugeFilled))
        screen.fill(Rect(x: rect.x + filled, y: rect.y, width: rect.width - filled, height: 1), glyphs.empty, style: Style(.gaugeEmpty))
    }
}
