public import GrayRender

/// What the terminal read.
public enum TerminalInput: Equatable, Sendable {
    /// A key.
    case key(Key)
    /// The terminal changed size.
    case resize
}
