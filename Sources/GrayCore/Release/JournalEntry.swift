/// One line of the release journal: an operator action or a weight change, written before it is sent.
public struct JournalEntry: Equatable, Sendable {
    /// Seconds since the start of the run.
    public var t: Double
    /// `promote`, `promote_failed`, `rollback`, `rollback_confirmed`, `pause`, `resume`,
    /// `toggle_auto`, `complete`, `resume_journal`, `adopt`.
    public var action: String
    /// The canary weight the action leads to.
    public var weight: Int
    /// `grayctl` for automatic decisions, else the operator's name.
    public var by: String
    /// Why.
    public var reason: String

    /// Creates an entry.
    public init(t: Double, action: String, weight: Int, by: String, reason: String) {
        self.t = t
        self.action = action
        self.weight = weight
        self.by = by
        self.reason = reason
    }
}
