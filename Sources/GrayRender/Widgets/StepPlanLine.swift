/// The plan as one line, `5 → [10] → 25 → 50 → 100`: steps done, the current one in brackets,
/// the ones to come muted.
public struct StepPlanLine: Widget {
    /// The plan's weights.
    public var steps: [Int]
    /// Index of the current step (-1 before the first).
    public var current: Int
    /// Glyphs.
    public var glyphs: Glyphs

    /// Creates the line.
    public init(steps: [Int], current: Int, glyphs: Glyphs) {
        self.steps = steps
        self.current = current
        self.glyphs = glyphs
    }

    public func draw(in rect: Rect, on screen: inout Screen) {
        var column = rect.x
        let limit = rect.x + rect.width
        for (index, step) in steps.enumerated() {
            if index > 0 { column = screen.put(" \(glyphs.arrow) ", x: column, y: rect.y, style: Style(.muted), limit: limit - column) }
            let style: Style
            let text: String
            if index == current {
                style = Style(.stepCurrent, bold: true)
                text = "[\(step)]"
            } else {
                style = index < current ? Style(.stepDone) : Style(.muted)
                text = "\(step)"
            }
            column = screen.put(text, x: column, y: rect.y, style: style, limit: limit - column)
        }
    }
}
