/// A colour theme: a style per ``Role``. Loaded from `themes/NAME.theme`; every role has a default
/// here, so a theme file names only what it changes.
public struct Theme: Equatable, Sendable {
    /// The theme's name (the file name without `.theme`).
    public var name: String
    /// Style per role.
    public var styles: [Role: ThemeStyle]
    /// Lines of the file that were ignored (unknown keys), for a warning.
    public var warnings: [String] = []

    /// The style of `role`.
    public func style(_ role: Role) -> ThemeStyle {
        styles[role] ?? Self.defaults[role] ?? ThemeStyle()
    }

    /// The built-in defaults (a dark theme on the terminal's own background).
    public static let defaults: [Role: ThemeStyle] = [
        .text: ThemeStyle(),
        .muted: ThemeStyle(.indexed(8)),
        .title: ThemeStyle(.indexed(6), bold: true),
        .border: ThemeStyle(.indexed(4)),
        .header: ThemeStyle(.indexed(15), on: .indexed(4), bold: true),
        .p99Stable: ThemeStyle(.indexed(6)),
        .p99Canary: ThemeStyle(.indexed(5), bold: true),
        .limit: ThemeStyle(.indexed(3)),
        .gatePass: ThemeStyle(.indexed(2)),
        .gateHold: ThemeStyle(.indexed(3)),
        .gateTripped: ThemeStyle(.indexed(15), on: .indexed(1), bold: true),
        .breakerClosed: ThemeStyle(.indexed(2)),
        .breakerHalfOpen: ThemeStyle(.indexed(3), bold: true),
        .breakerOpen: ThemeStyle(.indexed(15), on: .indexed(1), bold: true),
        .gaugeFilled: ThemeStyle(.indexed(2)),
        .gaugeEmpty: ThemeStyle(.indexed(8)),
        .stepCurrent: ThemeStyle(.indexed(2), bold: true),
        .stepDone: ThemeStyle(.indexed(2)),
        .key: ThemeStyle(.indexed(0), on: .indexed(6)),
        .keyDanger: ThemeStyle(.indexed(15), on: .indexed(1)),
        .stale: ThemeStyle(.indexed(8), dim: true),
        .alert: ThemeStyle(.indexed(15), on: .indexed(1), bold: true),
        .overlay: ThemeStyle(.indexed(15), on: .indexed(0)),
    ]

    /// The defaults as a theme.
    public static let builtIn = Theme(name: "default", styles: defaults)
}
