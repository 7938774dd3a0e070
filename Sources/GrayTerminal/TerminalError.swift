/// Why the dashboard cannot start on this terminal; each message says what to do instead.
public enum TerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Standard input or output is not a terminal (a pipe, a file, CI).
    case notATerminal
    /// `TERM` is unset.
    case termUnset
    /// `TERM` names no terminal curses knows, or one without cursor addressing (`dumb`).
    case unsupportedTerm(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "the dashboard needs a terminal on standard input and output; use --headless for JSON events (CI, pipes)"
        case .termUnset:
            return "TERM is not set: set it to your terminal's type (e.g. TERM=xterm-256color) or use --headless"
        case .unsupportedTerm(let name):
            return "TERM=\(name) cannot address the cursor: set TERM to your terminal's type (e.g. xterm-256color) or use --headless"
        }
    }
}
