/// How a replayed (or headless) release ended.
public enum Verdict: String, Sendable {
    /// The last step baked green.
    case promoted
    /// A gate tripped (or an operator rolled back).
    case rolledBack = "rolled_back"
    /// Neither, when the observations ran out.
    case inProgress = "in_progress"
    /// A rollback was sent but the router never read back 0 (live runs only): the canary may still
    /// get traffic.
    case rollbackUnconfirmed = "rollback_unconfirmed"

    /// Process exit status of replay: 0 promoted or progressing, 3 rolled back, 5 rollback not
    /// confirmed.
    public var exitCode: Int32 {
        switch self {
        case .promoted, .inProgress: return 0
        case .rolledBack: return 3
        case .rollbackUnconfirmed: return 5
        }
    }
}

/// The outcome of a replay: every decision, then the verdict.
public struct ReplayResult: Equatable, Sendable {
    /// Decisions in time order.
    public var decisions: [Decision]
    /// How it ended.
    public var verdict: Verdict
    /// The canary weight at the end.
    public var weight: Int
    /// Time of the last observation (or of the terminal decision).
    public var t: Double
    /// Why it ended there.
    public var reason: String

    /// Creates a result.
    public init(decisions: [Decision], verdict: Verdict, weight: Int, t: Double, reason: String) {
        self.decisions = decisions
        self.verdict = verdict
        self.weight = weight
        self.t = t
        self.reason = reason
    }
}
