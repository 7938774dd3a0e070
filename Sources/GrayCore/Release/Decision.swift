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
