/// A promotion waiting for `plan.confirm`'s answer.
public struct PromotionRequest: Equatable, Sendable {
    /// Seconds since the start of the run.
    public var t: Double
    /// The weight now.
    public var from: Int
    /// The weight asked for.
    public var to: Int
    /// Who promotes (`grayctl`, or the operator).
    public var by: String
    /// Why, with numbers.
    public var reason: String

    /// A request to go from `from` to `to`.
    public init(t: Double, from: Int, to: Int, by: String, reason: String) {
        self.t = t
        self.from = from
        self.to = to
        self.by = by
        self.reason = reason
    }
}

/// A decision of the release, with the reason a person reads and the gates at that moment.
public struct Decision: Equatable, Sendable {
    /// What was decided.
    public enum Kind: Equatable, Sendable {
        /// Canary weight moved up.
        case step(from: Int, to: Int)
        /// Promotion is blocked.
        case hold
        /// Canary weight set to 0 (sent; confirmed once the router reads 0); no promotion follows.
        case rollback(from: Int, to: Int)
        /// The last step baked green: the release is complete.
        case complete
    }

    /// Seconds since the start of the run.
    public var t: Double
    /// What.
    public var kind: Kind
    /// Why, with numbers.
    public var reason: String
    /// The gates when it was decided.
    public var report: GateReport

    /// Creates a decision.
    public init(t: Double, kind: Kind, reason: String, report: GateReport) {
        self.t = t
        self.kind = kind
        self.reason = reason
        self.report = report
    }
}

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
