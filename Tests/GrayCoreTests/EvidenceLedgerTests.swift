import Foundation
import GrayCore
import GraySimulation
import Testing

/// Where the sequential tests start counting: at each step, every `fast_window` seconds, and at
/// each change of the canary's behaviour — and why (old evidence must not mask a new fault).
@Suite("evidence ledger: the sequential tests start at steps, regularly and at behaviour changes")
struct EvidenceLedgerTests {
    static func totals(_ requests: Double, _ failures: Double) -> TrafficTotals {
        TrafficTotals(requests: requests, failures: failures, buckets: [])
    }

    @Test("the first record starts the evidence; a start every spacing, the last three kept and numbered on; a step starts afresh at index 0")
    func starts() {
        var ledger = EvidenceLedger(spacing: 10)
        for second in 0...45 { ledger.record(Self.totals(Double(second * 10), 0), from: .canary, at: Double(second)) }
        #expect(ledger.origin?.cause == .firstObservation && ledger.origin?.index == 0)
        #expect(ledger.recent.map(\.at) == [20, 30, 40] && ledger.recent.map(\.index) == [2, 3, 4])
        #expect(ledger.recent.allSatisfy { $0.cause == .spacing })
        #expect(ledger.recent.last?.baseline == Self.totals(400, 0))
        ledger.beginStep(at: 45.5)
        #expect(ledger.origin == EvidenceLedger.Start(index: 0, at: 45.5, cause: .step, baseline: Self.totals(450, 0), baselineAt: 45))
        #expect(ledger.recent.isEmpty)
        ledger.record(Self.totals(460, 0), from: .canary, at: 50)
        ledger.record(Self.totals(560, 0), from: .canary, at: 56)
        #expect(ledger.recent.map(\.index) == [1] && ledger.recent.map(\.at) == [56])
    }

    @Test("a behaviour change adds a start counting from the last totals before it, the step's start counting on; a switch of source carries every start's counts over")
    func changes() {
        var ledger = EvidenceLedger(spacing: 10)
        ledger.record(Self.totals(100, 0), from: .canary, at: 1)
        ledger.record(Self.totals(200, 1), from: .canary, at: 12)
        ledger.record(Self.totals(210, 6), from: .canary, at: 13, change: "orders-canary-1's counters reset (a restart)")
        #expect(ledger.origin?.cause == .firstObservation)
        #expect(ledger.recent.last == EvidenceLedger.Start(
            index: 2, at: 13, cause: .change("orders-canary-1's counters reset (a restart)"), baseline: Self.totals(200, 1), baselineAt: 12))
        #expect(ledger.recent.map(\.index) == [1, 2])
        ledger.record(Self.totals(5_000, 10), from: .router, at: 14)
        ledger.record(Self.totals(5_100, 12), from: .router, at: 15)
        let origin = ledger.origin!
        #expect(origin.index == 0 && origin.carried == Self.totals(110, 6) && origin.baseline == Self.totals(5_000, 10))
        #expect(ledger.counted(since: origin) == Self.totals(210, 8))
        #expect(ledger.counted(since: ledger.recent.last!) == Self.totals(110, 7))
    }

    @Test("a canary instance's counter reset and a change of the canary's instance set start the canary's evidence afresh; the stable's do not")
    func fleetChanges() throws {
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
        let one = Subject.instance(.canary, "orders-canary-1")
        let two = Subject.instance(.canary, "orders-canary-2")
        fleet.apply(.instances(.canary, ["orders-canary-1", "orders-canary-2"]), at: 0)
        fleet.apply(.metrics(one, Self.scrape(ok: 100, failed: 0)), at: 1)
        fleet.apply(.metrics(two, Self.scrape(ok: 100, failed: 0)), at: 1)
        fleet.apply(.metrics(one, Self.scrape(ok: 200, failed: 0)), at: 2)
        #expect(fleet.evidence(of: .canary)?.origin?.cause == .firstObservation)
        fleet.apply(.metrics(one, Self.scrape(ok: 5, failed: 3)), at: 3)
        let restarted = try #require(fleet.evidence(of: .canary)?.recent.last)
        #expect(restarted.cause == .change("orders-canary-1's counters reset (a restart)") && restarted.at == 3)
        fleet.apply(.instances(.canary, ["orders-canary-1", "orders-canary-3"]), at: 4)
        fleet.apply(.metrics(one, Self.scrape(ok: 10, failed: 3)), at: 5)
        #expect(fleet.evidence(of: .canary)?.recent.last?.cause == .change("the canary's instances changed (1 joined, 1 left)"))
        fleet.apply(.metrics(.instance(.stable, "orders-stable-1"), Self.scrape(ok: 10, failed: 0)), at: 5)
        fleet.apply(.metrics(.instance(.stable, "orders-stable-1"), Self.scrape(ok: 1, failed: 0)), at: 6)
        #expect(fleet.evidence(of: .canary)?.recent.last?.at == 5)
        #expect(fleet.evidence(of: .canary)?.origin?.cause == .firstObservation)
    }

    static func scrape(ok: Double, failed: Double) -> Exposition {
        let labels = [Label("grpc_method", "CreateOrder"), Label("grpc_service", "order.v1.OrderService")]
        return Exposition(samples: [
            Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "OK")] + labels, value: ok),
            Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "Unavailable")] + labels, value: failed),
        ])
    }

    /// Seconds from `onset` until the error gate trips, a canary at `rate` req/s failing 0.5% before
    /// and `broken` after, judged every second with restarts every `spacing` seconds (0: none).
    static func delay(rate: Double, broken: Double, onset: Int, spacing: Double, seed: UInt64) -> Int? {
        var settings = GateSettings()
        settings.fastWindow = spacing
        let evaluator = GateEvaluator(settings: settings)
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30, evidenceSpacing: spacing)
        var rng = SplitMix64(seed: seed)
        var (ok, failed) = (0.0, 0.0)
        fleet.apply(.metrics(.canary, scrape(ok: 0, failed: 0)), at: 0)
        for second in 1...(onset + 300) {
            let served = rng.poisson(rate)
            let broke = rng.binomial(served, second > onset ? broken : 0.005)
            failed += Double(broke)
            ok += Double(served - broke)
            fleet.apply(.metrics(.canary, scrape(ok: ok, failed: failed)), at: Double(second))
            if evaluator.evaluate(fleet, now: Double(second)).result(.errors)?.verdict == .trip { return second - onset }
        }
        return nil
    }

    @Test("old healthy traffic does not mask a new fault: 10% failures after 10 minutes at 20 req/s caught in ≤ 20 s in every run, far later without the regular restarts")
    func masking() throws {
        var with: [Int] = []
        var without: [Int] = []
        for seed in 0..<20 {
            with.append(try #require(Self.delay(rate: 20, broken: 0.1, onset: 600, spacing: 10, seed: UInt64(seed))))
            without.append(Self.delay(rate: 20, broken: 0.1, onset: 600, spacing: 0, seed: UInt64(seed)) ?? 301)
        }
        #expect(with.allSatisfy { $0 > 0 && $0 <= 20 }, "\(with)")
        #expect(without.sorted()[10] >= 2 * with.sorted()[10], "median without restarts \(without.sorted()[10]) s, with \(with.sorted()[10]) s")
    }

    @Test("the level holds under continuous looks: a canary exactly at the limit, judged after every request of 1,000, crosses 1/α in at most α of 4,000 runs")
    func level() {
        let test = MixtureSPRT(limit: 0.01)
        let threshold = log(1 / 0.01)
        var rng = SplitMix64(seed: 7)
        var crossed = 0
        for _ in 0..<4_000 {
            var failures = 0.0
            for n in 1...1_000 {
                if rng.uniform() < 0.01 { failures += 1 }
                if test.logEvidence(failures: failures, requests: Double(n)) >= threshold {
                    crossed += 1
                    break
                }
            }
        }
        // α = 1% of 4,000 is 40; three standard deviations above it would still be within the level's noise.
        #expect(crossed <= 40 + 3 * 6, "\(crossed) of 4,000")
    }
}
