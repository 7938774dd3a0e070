import GrayCore
import Testing

@Suite("histogram_quantile and bucket arithmetic, as Prometheus computes them")
struct HistogramQuantileTests {
    static let buckets = [
        HistogramBucket(upperBound: 0.1, count: 50), HistogramBucket(upperBound: 0.2, count: 100),
        HistogramBucket(upperBound: .infinity, count: 100),
    ]

    @Test("linear interpolation inside the bucket that holds the rank", arguments: [
        (0.5, 0.1), (0.75, 0.15), (0.99, 0.198), (1.0, 0.2), (0.0, 0.0), (0.25, 0.05),
    ])
    func interpolation(q: Double, expected: Double) {
        #expect(abs(HistogramQuantile.quantile(q, Self.buckets) - expected) < 1e-12)
    }

    @Test("a rank in the +Inf bucket answers the highest finite bound")
    func infBucket() {
        let buckets = [HistogramBucket(upperBound: 0.1, count: 10), HistogramBucket(upperBound: .infinity, count: 20)]
        #expect(HistogramQuantile.quantile(0.9, buckets) == 0.1)
    }

    @Test("the lowest bucket starts at 0, or is its bound when that is not positive")
    func lowestBucket() {
        let positive = [HistogramBucket(upperBound: 2, count: 10), HistogramBucket(upperBound: .infinity, count: 10)]
        #expect(HistogramQuantile.quantile(0.5, positive) == 1)
        let negative = [
            HistogramBucket(upperBound: -1, count: 10), HistogramBucket(upperBound: 0, count: 20),
            HistogramBucket(upperBound: .infinity, count: 20),
        ]
        #expect(HistogramQuantile.quantile(0.25, negative) == -1)
    }

    @Test("non-monotonic counts are raised to the running maximum; unsorted and duplicate bounds are fixed")
    func monotonicFix() {
        let buckets = [
            HistogramBucket(upperBound: .infinity, count: 12), HistogramBucket(upperBound: 0.2, count: 8),
            HistogramBucket(upperBound: 0.1, count: 10),
        ]
        #expect(abs(HistogramQuantile.quantile(0.5, buckets) - 0.06) < 1e-12)
        let duplicated = [
            HistogramBucket(upperBound: 0.1, count: 25), HistogramBucket(upperBound: 0.1, count: 25),
            HistogramBucket(upperBound: 0.2, count: 100), HistogramBucket(upperBound: .infinity, count: 100),
        ]
        #expect(HistogramQuantile.quantile(0.5, duplicated) == 0.1)
    }

    @Test("degenerate inputs", arguments: [
        ([HistogramBucket(upperBound: 0.1, count: 5), HistogramBucket(upperBound: 0.2, count: 9)], 0.5),
        ([HistogramBucket(upperBound: .infinity, count: 9)], 0.5),
        ([HistogramBucket(upperBound: 0.1, count: 0), HistogramBucket(upperBound: .infinity, count: 0)], 0.5),
        ([], 0.5),
    ])
    func nan(buckets: [HistogramBucket], q: Double) {
        #expect(HistogramQuantile.quantile(q, buckets).isNaN)
    }

    @Test("q outside 0...1 gives ±Inf, NaN gives NaN")
    func outOfRange() {
        #expect(HistogramQuantile.quantile(-0.1, Self.buckets) == -.infinity)
        #expect(HistogramQuantile.quantile(1.1, Self.buckets) == .infinity)
        #expect(HistogramQuantile.quantile(.nan, Self.buckets).isNaN)
    }

    @Test("observations above a limit: exact on a bound, interpolated inside a bucket")
    func countAbove() throws {
        let exact = try #require(HistogramQuantile.countAbove(0.1, Self.buckets))
        #expect(exact.above == 50 && exact.total == 100)
        let inside = try #require(HistogramQuantile.countAbove(0.15, Self.buckets))
        #expect(inside.above == 25)
        let beyond = try #require(HistogramQuantile.countAbove(5, Self.buckets))
        #expect(beyond.above == 0)
        #expect(HistogramQuantile.countAbove(0.1, [HistogramBucket(upperBound: 1, count: 3)]) == nil)
    }
}
