/// The characters widgets draw with: Unicode box drawing and blocks, or plain ASCII when the
/// terminal's locale is not UTF-8 (wide characters would vanish there).
public struct Glyphs: Equatable, Sendable {
    /// Corners top-left, top-right, bottom-left, bottom-right.
    public var corners: (Character, Character, Character, Character)
    /// Horizontal and vertical lines.
    public var horizontal: Character, vertical: Character
    /// Sparkline levels, lowest first.
    public var levels: [Character]
    /// Gauge filled and empty.
    public var filled: Character, empty: Character
    /// Arrow between plan steps.
    public var arrow: String
    /// A bullet for events.
    public var bullet: Character
    /// A dashed line (a chart's limit).
    public var dashed: Character

    /// Unicode glyphs.
    public static let unicode = Glyphs(
        corners: ("┌", "┐", "└", "┘"), horizontal: "─", vertical: "│", levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        filled: "█", empty: "░", arrow: "→", bullet: "•", dashed: "┄")

    /// ASCII glyphs.
    public static let ascii = Glyphs(
        corners: ("+", "+", "+", "+"), horizontal: "-", vertical: "|", levels: ["_", ".", "-", "~", "=", "*", "#", "@"],
        filled: "#", empty: ".", arrow: ">", bullet: "*", dashed: "=")

    public static func == (lhs: Glyphs, rhs: Glyphs) -> Bool {
        lhs.horizontal == rhs.horizontal && lhs.levels == rhs.levels && lhs.arrow == rhs.arrow
    }
}
