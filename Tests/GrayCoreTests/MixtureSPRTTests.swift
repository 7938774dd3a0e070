import Foundation
import GrayCore
import Testing

/// The mixture SPRT's guarantees, from its formula: a supermartingale at or below the limit (the
/// level holds however often it is looked at), growth above it, and the oracle figure the issue
/// quotes.
@Suite("mixture SPRT: an anytime-valid test of a ratio above a limit")
struct MixtureSPRTTests {
    @Test("the statistic's expected growth per request is ≤ 1 for every ratio at or below the limit, > 1 above it")
    func supermartingale() {
        let test = MixtureSPRT(limit: 0.01)
        for p in [0.0, 0.002, 0.008, 0.01] {
            let growth = test.alternatives.reduce(0.0) { sum, a in
                sum + a.weight * (p * a.ratio / 0.01 + (1 - p) * (1 - a.ratio) / 0.99)
            }
            #expect(growth <= 1 + 1e-12, "p = \(p): \(growth)")
        }
        let above = test.alternatives.reduce(0.0) { $0 + $1.weight * (0.2 * $1.ratio / 0.01 + 0.8 * (1 - $1.ratio) / 0.99) }
        #expect(above > 1)
    }

    @Test("the grid: weights sum to 1, ratios above the limit and below 1, a limit near 1 keeps what fits")
    func grid() {
        let test = MixtureSPRT(limit: 0.01)
        #expect(abs(test.alternatives.reduce(0) { $0 + $1.weight } - 1) < 1e-12)
        #expect(zip(test.alternatives.map(\.ratio), [0.015, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5]).allSatisfy { abs($0 - $1) < 1e-12 })
        let wide = MixtureSPRT(limit: 0.4)
        #expect(zip(wide.alternatives.map(\.ratio), [0.6, 0.8, 0.999]).allSatisfy { abs($0 - $1) < 1e-12 } && wide.alternatives.count == 3)
        #expect(abs(wide.alternatives.reduce(0) { $0 + $1.weight } - 1) < 1e-12)
    }

    @Test("the e-value: 1 before any request, down on successes, up on failures, exact on a hand-computed case")
    func evidence() {
        let test = MixtureSPRT(limit: 0.01, grid: [(20, 1)])
        #expect(test.logEvidence(failures: 0, requests: 0) == 0)
        #expect(test.logEvidence(failures: 0, requests: 10) < 0)
        // 3 of 10 against 20% vs 1%: 3 ln 20 + 7 ln(0.8/0.99).
        let expected = 3 * log(20.0) + 7 * log(0.8 / 0.99)
        #expect(abs(test.logEvidence(failures: 3, requests: 10) - expected) < 1e-12)
    }

    @Test("Wald's oracle: 20% against 1% at α = 0.001 needs ≈ 16 requests on average (the issue's figure)")
    func oracle() {
        #expect(abs(MixtureSPRT.waldExpectedRequests(limit: 0.01, faulty: 0.2, alpha: 0.001) - 16.1) < 0.2)
    }
}
