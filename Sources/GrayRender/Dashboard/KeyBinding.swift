/// What a key does on the dashboard.
public enum DashboardAction: String, Sendable {
    /// Promote one step.
    case promote
    /// Roll back (asks first).
    case rollback
    /// Pause or resume promotion.
    case pauseResume
    /// Auto-advance on or off.
    case autoAdvance
    /// Next theme.
    case nextTheme
    /// Help overlay on or off.
    case help
    /// Instances view on or off.
    case instances
    /// Quit (asks first while a release is in flight).
    case quit
    /// Demo: inject errors into the canary.
    case faultErrors
    /// Demo: inject latency into the canary.
    case faultLatency
}

/// One key binding: the single table that drives dispatch, the key bar and the help overlay.
public struct KeyBinding: Equatable, Sendable {
    /// The key.
    public var key: Character
    /// How the key bar and help name the key.
    public var label: String
    /// What it does.
    public var action: DashboardAction
    /// One line of help.
    public var help: String
    /// True when it changes traffic (drawn in the danger style; confirmed where it cannot be undone).
    public var isDangerous: Bool
    /// The modes it exists in.
    public var modes: Set<DashboardMode>

    /// Every binding, in key bar order.
    public static let all: [KeyBinding] = [
        KeyBinding(key: "p", label: "p", action: .promote, help: "promote one step (only when every gate is green)", isDangerous: true, modes: [.release, .demo]),
        KeyBinding(key: "r", label: "r", action: .rollback, help: "roll back to 0% (asks y/n; never blocked)", isDangerous: true, modes: [.release, .demo]),
        KeyBinding(key: " ", label: "space", action: .pauseResume, help: "pause / resume promotion (gates still roll back)", isDangerous: false, modes: [.release, .demo]),
        KeyBinding(key: "a", label: "a", action: .autoAdvance, help: "auto-advance after the bake time on / off", isDangerous: false, modes: [.release, .demo]),
        KeyBinding(key: "f", label: "f", action: .faultErrors, help: "demo: make the canary fail 50% of calls", isDangerous: false, modes: [.demo]),
        KeyBinding(key: "F", label: "F", action: .faultLatency, help: "demo: make the canary slow (+800 ms)", isDangerous: false, modes: [.demo]),
        KeyBinding(key: "t", label: "t", action: .nextTheme, help: "next colour theme", isDangerous: false, modes: [.watch, .release, .demo]),
        KeyBinding(key: "?", label: "?", action: .help, help: "this help", isDangerous: false, modes: [.watch, .release, .demo]),
        KeyBinding(key: "q", label: "q", action: .quit, help: "quit (asks while a release is in flight)", isDangerous: false, modes: [.watch, .release, .demo]),
        KeyBinding(key: "i", label: "i", action: .instances, help: "every instance, worst first (↑ ↓ PgUp PgDn scroll, Esc closes)", isDangerous: false, modes: [.watch, .release, .demo]),
    ]

    /// The bindings of `mode`.
    public static func bindings(for mode: DashboardMode) -> [KeyBinding] {
        all.filter { $0.modes.contains(mode) }
    }
}
