/// A bordered box with a title; its content goes in `rect.inner`.
public struct Panel: Widget {
    /// Shown in the top border.
    public var title: String
    /// Border and title style.
    public var style: Style
    /// Glyphs to draw with.
    public var glyphs: Glyphs

    /// Creates a panel.
    public init(title: String, style: Style = Style(.border), glyphs: Glyphs) {
        self.title = title
        self.style = style
        self.glyphs = glyphs
    }

    public func draw(in rect: Rect, on screen: inout Screen) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.x + rect.width - 1
        let bottom = rect.y + rect.height - 1
        screen.fill(Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1), glyphs.horizontal, style: style)
        screen.fill(Rect(x: rect.x + 1, y: bottom, width: rect.width - 2, height: 1), glyphs.horizontal, style: style)
        screen.fill(Rect(x: rect.x, y: rect.y + 1, width: 1, height: rect.height - 2), glyphs.vertical, style: style)
        screen.fill(Rect(x: right, y: rect.y + 1, width: 1, height: rect.height - 2), glyphs.vertical, style: style)
        screen[rect.x, rect.y] = Cell(glyphs.corners.0, style)
        screen[right, rect.y] = Cell(glyphs.corners.1, style)
        screen[rect.x, bottom] = Cell(glyphs.corners.2, style)
        screen[right, bottom] = Cell(glyphs.corners.3, style)
        screen.put(" \(title) ", x: rect.x + 1, y: rect.y, style: Style(.title, bold: true), limit: rect.width - 2)
    }
}
