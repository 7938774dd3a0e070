/// How a replayed (or headless) release ended.
public enum Verdict: String, Sendable {
    /// The last step baked green.
    case promoted
    /// A gate tripped (or an operator rolled back).
    case rolledBack = "rolled_back"
    /// Neither, when the observations ran out.
    case inProgress = "in_progress"

    /// Process exit status: 0 promoted or progressing, 3 rolled back.
    public var exitCode: Int32 { self == .rolledBack ? 3 : 0 }
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
