public import GrayCore

/// A key as the terminal decoded it.
public enum Key: Equatable, Sendable {
    /// A printable character (space included).
    case character(Character)
    /// Escape.
    case escape
    /// Enter.
    case enter
    /// Arrow up.
    case up
    /// Arrow down.
    case down
    /// Page up.
    case pageUp
    /// Page down.
    case pageDown
}

/// An input of the dashboard model: what the release loop reported, what the operator typed, and
/// the passing of time (which arrives in the message, never read from a clock).
public enum DashboardMessage: Sendable {
    /// A poll round or an operator request changed the release state.
    case released(ReleaseState)
    /// The release made a decision.
    case decided(Decision)
    /// A message for the operator; `alert` ones stay on screen until the next decision.
    case noted(String, alert: Bool)
    /// A key was pressed.
    case keyPressed(Key)
    /// Time passed: seconds since the start and the wall clock (`epoch` in seconds since 1970).
    case ticked(now: Double, epoch: Double)
    /// The theme in use changed.
    case themeChanged(String)
    /// The instances' versions were read (`/admin/info`).
    case versionsRead([Target: String])
}

/// What the model asks the program to do in answer to a message.
public enum DashboardCommand: Equatable, Sendable {
    /// Hand an operator request to the release.
    case request(OperatorAction)
    /// Demo: inject a fault into the canary.
    case injectFault(FaultKind)
    /// Switch to the next theme.
    case nextTheme
    /// Leave the dashboard.
    case quit
}
