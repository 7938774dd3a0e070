/// One version's reset-adjusted cumulative traffic at one scrape.
public struct TrafficTotals: Equatable, Sendable {
    /// Handled requests (for streams: messages answered), all codes.
    public var requests: Double = 0
    /// Handled requests whose code is a failure code.
    public var failures: Double = 0
    /// Cumulative latency buckets summed over series.
    public var buckets: [HistogramBucket] = []

    /// Creates zero totals.
    public init() {}

    /// Creates totals.
    public init(requests: Double, failures: Double, buckets: [HistogramBucket]) {
        self.requests = requests
        self.failures = failures
        self.buckets = buckets
    }

    /// The increase from `earlier` to `self`, bucket by bucket.
    public func increase(since earlier: TrafficTotals) -> TrafficTotals {
        var before: [Double: Double] = [:]
        for bucket in earlier.buckets { before[bucket.upperBound] = bucket.count }
        let buckets = self.buckets.map {
            HistogramBucket(upperBound: $0.upperBound, count: max(0, $0.count - (before[$0.upperBound] ?? 0)))
        }
        return TrafficTotals(
            requests: max(0, requests - earlier.requests), failures: max(0, failures - earlier.failures),
            buckets: buckets)
    }
}
