/// What a cell shows, by meaning: a theme decides the colours of each role.
///
/// The raw values are the keys of theme files (`themes/*.theme`).
public enum Role: String, Sendable, CaseIterable {
    /// Ordinary text.
    case text
    /// Secondary text: labels, units, help.
    case muted
    /// Panel titles.
    case title
    /// Panel borders.
    case border
    /// The header bar.
    case header
    /// Stable version's latency.
    case p99Stable = "p99_stable"
    /// Canary version's latency.
    case p99Canary = "p99_canary"
    /// A gate's limit.
    case limit
    /// A gate that passes.
    case gatePass = "gate_pass"
    /// A gate that holds or lacks data.
    case gateHold = "gate_hold"
    /// A gate that tripped.
    case gateTripped = "gate_tripped"
    /// Breaker closed.
    case breakerClosed = "breaker_closed"
    /// Breaker half-open.
    case breakerHalfOpen = "breaker_half_open"
    /// Breaker open.
    case breakerOpen = "breaker_open"
    /// The filled part of the weight gauge.
    case gaugeFilled = "gauge_filled"
    /// The empty part of the weight gauge.
    case gaugeEmpty = "gauge_empty"
    /// The current step of the plan.
    case stepCurrent = "step_current"
    /// Steps already done.
    case stepDone = "step_done"
    /// A key in the key bar.
    case key
    /// A key whose action changes traffic (promote, roll back).
    case keyDanger = "key_danger"
    /// A value older than it should be.
    case stale
    /// Alerts that must not be missed (rollback not applied, terminal too small).
    case alert
    /// Overlays and prompts.
    case overlay
}

/// A cell's role plus emphasis.
public struct Style: Equatable, Sendable {
    /// The role.
    public var role: Role
    /// Bold.
    public var bold: Bool
    /// Dimmed (stale data).
    public var dim: Bool
    /// Reverse video.
    public var reverse: Bool

    /// Creates a style.
    public init(_ role: Role = .text, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.role = role
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    /// This style dimmed.
    public var dimmed: Style {
        var style = self
        style.dim = true
        return style
    }

    /// Ordinary text.
    public static let text = Style(.text)
}
