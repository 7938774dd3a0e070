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

    /// A canary at 20 req/s beside a stable at 200 req/s; from 20 s into the first step the canary
    /// fails 12%, and the stable too when `shared`.
    static func outage(shared: Bool, compare: GateComparison, seed: UInt64) -> SimulatedRelease.Result {
        var scenario = SimulatedRelease.Scenario(
            rate: 20, fault: SimulatedRelease.Fault(failureRatio: 0.12, stableFailureRatio: shared ? 0.12 : nil, onset: .after(20)))
        scenario.stableRate = 200
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
