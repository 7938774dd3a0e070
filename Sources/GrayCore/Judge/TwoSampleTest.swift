import Foundation

/// An anytime-valid test that the canary fails (or is slow) more often than the stable version, from
/// both versions' counts over the same batches (`gates.compare: stable`).
///
/// Within one batch (the requests each version served between two records of the canary's
/// totals), given how many requests failed in all, the canary's share of the failures under "the
/// canary is no worse than the stable" is at most its share of the requests, `w`: exactly a
/// hypergeometric draw when both fail alike, smaller when the canary fails less. The batch's
/// likelihood ratio against "the canary's failure odds are `r` times the stable's" —
/// (π/w)^k_c ((1−π)/(1−w))^k_s with π = r w / (r w + 1 − w) — then has an expectation of at most 1
/// (a binomial dominates a hypergeometric in convex order: Hoeffding, 1963), so the running product
/// over batches is a test supermartingale and its mixture over `r` an e-process, exactly like
/// ``MixtureSPRT``. A shared dependency failing both versions adds failures to both sides and no
/// evidence. Pure.
public enum TwoSampleTest {
    /// The alternatives: the canary's failure odds as multiples of the stable's, and their weights.
    public static let grid: [(risk: Double, weight: Double)] = [(1.5, 0.1), (2, 0.2), (3, 0.3), (5, 0.25), (10, 0.15)]

    /// One batch's log likelihood ratio per alternative of ``grid``: the canary's `canaryHits` of
    /// `canaryTotal` against the stable's `stableHits` of `stableTotal`.
    public static func batch(canaryHits: Double, canaryTotal: Double, stableHits: Double, stableTotal: Double) -> [Double] {
        guard canaryTotal > 0, stableTotal > 0, canaryHits + stableHits > 0 else { return grid.map { _ in 0 } }
        let share = canaryTotal / (canaryTotal + stableTotal)
        return grid.map { alternative in
            let worse = alternative.risk * share / (alternative.risk * share + 1 - share)
            return canaryHits * log(worse / share) + stableHits * log((1 - worse) / (1 - share))
        }
    }

    /// The log e-value of running sums per alternative (from ``batch(canaryHits:canaryTotal:stableHits:stableTotal:)``).
    public static func logEvidence(_ sums: [Double]) -> Double {
        guard sums.count == grid.count, let top = sums.max() else { return 0 }
        let terms = zip(sums, grid).map { log($1.weight) + $0 - top }
        return top + log(terms.reduce(0) { $0 + exp($1) })
    }
}
