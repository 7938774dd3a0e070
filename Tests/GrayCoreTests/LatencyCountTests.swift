import GrayCore
import Testing

/// The latency test counts a request as slow only above a bucket bound at or above the limit (never
/// by interpolating inside a bucket), and says so when the limit is no bound of the histogram.
@Suite("latency counts: only requests surely slower than the limit, and the reason says what it sees")
struct LatencyCountTests {
    /// A canary scrape whose histogram has bounds 0.25 s, 1 s and +Inf.
    static func scrape(fast: Double, middle: Double, slow: Double) -> Exposition {
        let base = [Label("grpc_method", "CreateOrder"), Label("grpc_service", "order.v1.OrderService")]
        let total = fast + middle + slow
        return Exposition(samples: [
            Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "OK")] + base, value: total),
            Sample(name: "grpc_server_handling_seconds_bucket", labels: base + [Label("le", "0.25")], value: fast),
            Sample(name: "grpc_server_handling_seconds_bucket", labels: base + [Label("le", "1")], value: fast + middle),
            Sample(name: "grpc_server_handling_seconds_bucket", labels: base + [Label("le", "+Inf")], value: total),
        ], types: ["grpc_server_handling_seconds": .histogram])
    }

    static func latency(middle: Double, slow: Double) -> GateResult? {
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
        fleet.apply(.metrics(.canary, scrape(fast: 0, middle: 0, slow: 0)), at: 0)
        fleet.apply(.metrics(.canary, scrape(fast: 200 - middle - slow, middle: middle, slow: slow)), at: 10)
        return GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 10).result(.latency)
    }

    @Test("60 of 200 requests between 250 ms and 1 s: interpolation would call 40 of them slower than 500 ms; none is sure, so no trip, and the reason says what the gate counts")
    func betweenBounds() throws {
        let result = try #require(Self.latency(middle: 60, slow: 0))
        #expect(result.verdict != .trip, "\(result.reason)")
        #expect(result.reason.hasSuffix("; no latency bucket bound at 500 ms: the latency gate counts requests slower than 1000 ms (add one at the limit)"))
        let buckets = [HistogramBucket(upperBound: 0.25, count: 140), HistogramBucket(upperBound: 1, count: 200), HistogramBucket(upperBound: .infinity, count: 200)]
        #expect(HistogramQuantile.countAbove(bound: 0.5, buckets)?.above == 0)
        #expect(HistogramQuantile.countAbove(0.5, buckets)?.above == 40)
    }

    @Test("20 of 200 requests above 1 s are surely slower than 500 ms: the gate trips")
    func aboveNextBound() throws {
        let result = try #require(Self.latency(middle: 0, slow: 20))
        #expect(result.verdict == .trip, "\(result.reason)")
        #expect(result.reason.contains("20 of 200 requests slower than 500 ms"))
    }
}
