/// One line of the events log.
public struct EventLine: Equatable, Sendable {
    /// How loud it is.
    public enum Severity: Sendable {
        /// Informational (holds, operator messages).
        case info
        /// A step or completion.
        case progress
        /// A rollback or an alert.
        case alert
    }

    /// Seconds since the start.
    public var t: Double
    /// The text, with its reason.
    public var text: String
    /// How loud it is.
    public var severity: Severity

    /// Creates a line.
    public init(t: Double, text: String, severity: Severity) {
        self.t = t
        self.text = text
        self.severity = severity
    }
}
