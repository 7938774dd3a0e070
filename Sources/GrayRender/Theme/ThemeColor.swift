/// A terminal colour as a theme names it: the terminal's default, one of the 16 named colours, or
/// one of the 256 indexed colours (degraded to the nearest of the 8 basic ones on smaller terminals).
public enum ThemeColor: Equatable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// Colour 0...255 (0...15: black, red, green, yellow, blue, magenta, cyan, white, then bright).
    case indexed(Int)

    /// The named colours, in index order.
    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses `default`, `red`, `bright_red`, or `color0`...`color255`.
    init?(name: String) {
        if name == "default" {
            self = .terminalDefault
        } else if let index = Self.names.firstIndex(of: name) {
            self = .indexed(index)
        } else if name.hasPrefix("bright_"), let index = Self.names.firstIndex(of: String(name.dropFirst(7))) {
            self = .indexed(index + 8)
        } else if name.hasPrefix("color"), let index = Int(name.dropFirst(5)), (0...255).contains(index) {
            self = .indexed(index)
        } else {
            return nil
        }
    }

    /// The colour number for a terminal with `colors` colours; -1 for the terminal's default.
    public func number(colors: Int) -> Int {
        guard case .indexed(let index) = self else { return -1 }
        if index < colors { return index }
        if index < 16 { return index - 8 }
        return Self.nearestBasic(index)
    }

    /// The nearest of the 8 basic colours to a colour of the 256-colour palette.
    static func nearestBasic(_ index: Int) -> Int {
        if index >= 232 { return index >= 244 ? 7 : 0 }
        let cube = index - 16
        let (r, g, b) = (cube / 36, (cube / 6) % 6, cube % 6)
        let bright = max(r, g, b)
        guard bright >= 2 else { return 0 }
        let threshold = bright - 1
        return (r >= threshold ? 1 : 0) | (g >= threshold ? 2 : 0) | (b >= threshold ? 4 : 0)
    }
}

/// How a theme draws one role: colours and attributes.
public struct ThemeStyle: Equatable, Sendable {
    /// Foreground.
    public var foreground: ThemeColor
    /// Background.
    public var background: ThemeColor
    /// Bold.
    public var bold: Bool
    /// Dim.
    public var dim: Bool
    /// Reverse video.
    public var reverse: Bool
    /// Underline.
    public var underline: Bool

    /// Creates a style.
    public init(
        _ foreground: ThemeColor = .terminalDefault, on background: ThemeColor = .terminalDefault, bold: Bool = false,
        dim: Bool = false, reverse: Bool = false, underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// The same attributes without colours (for `NO_COLOR` and monochrome terminals).
    public var colorless: ThemeStyle {
        ThemeStyle(bold: bold, dim: dim, reverse: reverse, underline: underline)
    }
}
