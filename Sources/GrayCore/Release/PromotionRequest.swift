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
