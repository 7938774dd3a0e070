import Foundation
import GrayCore
import GraySimulation
import Testing

/// `gates.compare: stable`: a shared dependency failing stable and canary alike is not the
/// canary's fault — no rollback, a hold that says so —, while a canary failing alone is rolled back
/// under either setting. The two-sample test's validity from its formula.
@Suite("compared with the stable: a dependency outage holds, a failing canary rolls back")
struct StableComparisonTests {
    static func gates(_ compare: GateComparison) -> GateSettings {
        var gates = GateSettings()
        gates.compare = compare
        return gates
    }

    /// A canary at 20 req/s beside a stable at `stableRate`; from 20 s into the first step the
    /// canary fails `ratio`, and the stable too when `shared`.
    static func outage(
        shared: Bool, compare: GateComparison, seed: UInt64, ratio: Double = 0.12, stableRate: Double = 200
    ) -> SimulatedRelease.Result {
        var scenario = SimulatedRelease.Scenario(
            rate: 20, fault: SimulatedRelease.Fault(failureRatio: ratio, stableFailureRatio: shared ? ratio : nil, onset: .after(20)))
        scenario.stableRate = stableRate
        scenario.horizon = 180
        return SimulatedRelease.run(scenario, gates: gates(compare), seed: seed)
    }

    @Test("a dependency outage (stable and canary both at 12%): no rollback under compare: stable, the hold says why; rolled back under absolute")
    func sharedOutage() {
        for seed in UInt64(0)..<20 {
            let compared = Self.outage(shared: true, compare: .stable, seed: seed)
            #expect(compared.outcome == .running, "seed \(seed): \(compared.outcome)")
            #expect(compared.holds.contains { $0.hasPrefix("stable and canary both failing ") && $0.hasSuffix("not the canary (holding)") },
                    "seed \(seed): \(compared.holds)")
            let absolute = Self.outage(shared: true, compare: .absolute, seed: seed)
            guard case .rolledBack(_, let gate, _) = absolute.outcome else {
                Issue.record("seed \(seed): absolute did not roll back: \(absolute.outcome)")
                continue
            }
            #expect(gate == .errors)
        }
    }

    @Test("the canary alone at 12%: rolled back under both settings, within 15 s of onset")
    func canaryAlone() throws {
        for seed in UInt64(0)..<20 {
            for compare in GateComparison.allCases {
                let result = Self.outage(shared: false, compare: compare, seed: seed)
                let delay = try #require(result.detectionDelay, "seed \(seed), \(compare): \(result.outcome)")
                #expect(delay <= 15, "seed \(seed), \(compare): \(delay) s")
            }
        }
    }

    @Test("a sharp shared outage (both at 60%) holds too, although the simulator reads the canary before the stable in each round")
    func sharpSharedOutage() {
        for seed in UInt64(0)..<20 {
            let result = Self.outage(shared: true, compare: .stable, seed: seed, ratio: 0.6)
            #expect(result.outcome == .running, "seed \(seed): \(result.outcome)")
        }
    }

    /// At equal traffic the first seconds of an outage are a race: the canary can show its failures
    /// before the stable shows its own (measured: 2 of 20 rolled back at onset). Later the stable's
    /// evidence over any kept start covers it.
    @Test("a shared outage with the stable serving no more than the canary (the 50% step): at least 17 of 20 hold; a rollback comes only at the onset")
    func sharedOutageEqualTraffic() {
        var held = 0
        for seed in UInt64(0)..<20 {
            let result = Self.outage(shared: true, compare: .stable, seed: seed, stableRate: 20)
            if result.outcome == .running { held += 1 } else { #expect((result.detectionDelay ?? .infinity) <= 5, "seed \(seed): \(result.outcome)") }
        }
        #expect(held >= 17, "\(held) of 20 held")
    }

    @Test("a stable too quiet to prove anything (0.5 req/s) covers nothing: the canary failing 12% with it is rolled back")
    func quietStable() throws {
        for seed in UInt64(0)..<20 {
            let result = Self.outage(shared: true, compare: .stable, seed: seed, stableRate: 0.5)
            let delay = try #require(result.detectionDelay, "seed \(seed): \(result.outcome)")
            #expect(delay <= 30, "seed \(seed): \(delay) s")
        }
    }

    @Test("a healthy canary (0.8%) beside a healthier stable (0.1%) is not rolled back under compare: stable (it is within the limit)")
    func healthyBesideHealthier() {
        for seed in UInt64(0)..<25 {
            var scenario = SimulatedRelease.Scenario(rate: 20)
            scenario.stableRate = 200
            scenario.stableFailureRatio = 0.001
            scenario.stableSlowShare = 0.0005
            let result = SimulatedRelease.run(scenario, gates: Self.gates(.stable), seed: seed)
            #expect(!result.falseRollback, "seed \(seed): \(result.outcome)")
        }
    }

    @Test("the comparison pairs whole rounds, whatever order a round's scrapes come in, and counts the canary when the stable is not read")
    func rounds() throws {
        var ledger = EvidenceLedger(spacing: 0)
        func totals(_ requests: Double, _ failures: Double) -> TrafficTotals { TrafficTotals(requests: requests, failures: failures, buckets: []) }
        ledger.record(totals(0, 0), from: .canary, at: 1)
        ledger.noteStable(totals(0, 0), from: .stable, at: 1)
        ledger.noteStable(totals(100, 1), from: .stable, at: 2)
        ledger.record(totals(10, 5), from: .canary, at: 2)
        ledger.record(totals(20, 10), from: .canary, at: 3)
        ledger.noteStable(totals(200, 2), from: .stable, at: 3)
        ledger.record(totals(30, 10), from: .canary, at: 4)
        ledger.record(totals(40, 10), from: .canary, at: 5)
        let comparison = try #require(ledger.origin?.comparison)
        // Rounds 2, 3 and 4 are closed (round 5 is still being read); the stable was not read in round 4.
        #expect(comparison.canary == totals(30, 10))
        #expect(comparison.stable == totals(200, 2))
        #expect(TwoSampleTest.logEvidence(comparison.failures) > 0)
        // Round 5 without a stable read, round 6 with one: the stable's last totals were forgotten,
        // so round 6 pairs nothing of it rather than two rounds' worth with one of the canary's.
        ledger.noteStable(totals(400, 4), from: .stable, at: 6)
        ledger.record(totals(50, 10), from: .canary, at: 6)
        // Round 7 without a canary read: closes nothing; round 8 then spans rounds 7 and 8 for both.
        ledger.noteStable(totals(500, 5), from: .stable, at: 7)
        ledger.noteStable(totals(600, 6), from: .stable, at: 8)
        ledger.record(totals(70, 10), from: .canary, at: 8)
        ledger.record(totals(80, 10), from: .canary, at: 9)
        let later = try #require(ledger.origin?.comparison)
        #expect(later.canary == totals(70, 10))
        #expect(later.stable == totals(400, 4))
    }

    @Test("one batch's likelihood ratio has expectation ≤ 1 when the canary fails no more than the stable (exact, over the hypergeometric split of the failures)")
    func batchIsFair() {
        // n_c canary and n_s stable requests, F failures in all, both failing alike: the canary's
        // failures are hypergeometric. Σ P(k) · exp(Σ-term) per alternative must be ≤ 1.
        for (canary, stable, failed) in [(10, 90, 5), (50, 50, 20), (3, 7, 4), (200, 1_000, 30)] {
            var expectation = TwoSampleTest.grid.map { _ in 0.0 }
            for k in max(0, failed - stable)...min(failed, canary) {
                let probability = exp(
                    Self.logChoose(canary, k) + Self.logChoose(stable, failed - k) - Self.logChoose(canary + stable, failed))
                let ratios = TwoSampleTest.batch(
                    canaryHits: Double(k), canaryTotal: Double(canary), stableHits: Double(failed - k), stableTotal: Double(stable))
                expectation = zip(expectation, ratios).map { $0 + probability * exp($1) }
            }
            #expect(expectation.allSatisfy { $0 <= 1 + 1e-9 }, "\(canary)/\(stable)/\(failed): \(expectation)")
        }
        let worse = TwoSampleTest.batch(canaryHits: 8, canaryTotal: 50, stableHits: 2, stableTotal: 500)
        #expect(TwoSampleTest.logEvidence(worse) > 0)
        #expect(TwoSampleTest.batch(canaryHits: 0, canaryTotal: 50, stableHits: 0, stableTotal: 500).allSatisfy { $0 == 0 })
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
