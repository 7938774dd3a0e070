import GrayCore
import Testing

/// The error gate's statistical design, measured on the real judge: Poisson traffic becomes a
/// canary's cumulative counters, each second a scrape goes into a ``FleetState`` and the
/// ``GateEvaluator`` at the default settings judges it, exactly as a live release would.
@Suite("Judge under Poisson noise: healthy canaries kept, broken ones caught")
struct JudgeSimulationTests {
    static let settings = GateSettings()

    static func scrape(ok: Double, failed: Double) -> Exposition {
        let labels = [Label("grpc_method", "CreateOrder"), Label("grpc_service", "order.v1.OrderService")]
        return Exposition(samples: [
            Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "OK")] + labels, value: ok),
            Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "Unavailable")] + labels, value: failed),
        ])
    }

    /// Seconds from the start until the error gate first trips, or nil.
    static func firstTrip(rate: Double, healthy: Double, broken: Double, onset: Int, seconds: Int, rng: inout SplitMix64) -> Int? {
        let evaluator = GateEvaluator(settings: settings)
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: max(settings.window, settings.fastWindow))
        var ok = 0.0
        var failed = 0.0
        fleet.apply(.metrics(.canary, scrape(ok: 0, failed: 0)), at: 0)
        for second in 1...seconds {
            let served = rng.poisson(rate)
            let ratio = second > onset ? broken : healthy
            for _ in 0..<served {
                if Double.random(in: 0..<1, using: &rng) < ratio { failed += 1 } else { ok += 1 }
            }
            fleet.apply(.metrics(.canary, scrape(ok: ok, failed: failed)), at: Double(second))
            if evaluator.evaluate(fleet, now: Double(second)).result(.errors)?.verdict == .trip { return second }
        }
        return nil
    }

    @Test("outcome 2: at 0.8× the threshold, 1–3 req/s, no false rollback in 200 five-minute releases", arguments: [1.0, 2.0, 3.0])
    func healthyLowTraffic(rate: Double) {
        var rng = SplitMix64(seed: UInt64(rate * 1000))
        var trips = 0
        for _ in 0..<200 where Self.firstTrip(rate: rate, healthy: 0.008, broken: 0.008, onset: 0, seconds: 300, rng: &rng) != nil {
            trips += 1
        }
        #expect(trips == 0)
    }

    @Test("outcome 2: at 0.8× the threshold, 5–200 req/s, false rollbacks stay under 3% per five-minute release",
          arguments: [5.0, 10.0, 20.0, 50.0, 200.0])
    func healthyHigherTraffic(rate: Double) {
        var rng = SplitMix64(seed: UInt64(rate * 1000))
        var trips = 0
        for _ in 0..<200 where Self.firstTrip(rate: rate, healthy: 0.008, broken: 0.008, onset: 0, seconds: 300, rng: &rng) != nil {
            trips += 1
        }
        #expect(trips <= 6, "\(trips) of 200")
    }

    @Test("outcome 3: 50% failures at 10 req/s trip within 3 s in at least 95% of cases")
    func sharpFailures() {
        var rng = SplitMix64(seed: 50)
        var caught = 0
        for _ in 0..<200 {
            if let trip = Self.firstTrip(rate: 10, healthy: 0.008, broken: 0.5, onset: 60, seconds: 70, rng: &rng), trip > 60, trip - 60 <= 3 {
                caught += 1
            }
        }
        #expect(caught >= 190, "\(caught) of 200")
    }

    @Test("outcome 3: 5% failures trip within 10 s: ≥ 95% at 50 req/s, ≥ 70% at 20 req/s, ≥ 30% at 10 req/s (the boundary)",
          arguments: [(50.0, 190), (20.0, 140), (10.0, 60)])
    func fivePercent(rate: Double, minimum: Int) {
        var rng = SplitMix64(seed: UInt64(rate))
        var caught = 0
        for _ in 0..<200 {
            if let trip = Self.firstTrip(rate: rate, healthy: 0.008, broken: 0.05, onset: 60, seconds: 70, rng: &rng), trip > 60 {
                caught += 1
            }
        }
        #expect(caught >= minimum, "\(caught) of 200")
    }
}
