/// One cumulative histogram bucket: how many observations were at most `upperBound`.
public struct HistogramBucket: Equatable, Sendable {
    /// The bucket's `le` bound; the last bucket of a complete histogram is `+Inf`.
    public var upperBound: Double
    /// Cumulative count of observations `<= upperBound` (a float: it may come from increases).
    public var count: Double

    /// Creates a bucket.
    public init(upperBound: Double, count: Double) {
        self.upperBound = upperBound
        self.count = count
    }
}
