import Foundation

/// An anytime-valid test that a ratio (failures among requests, or requests slower than a limit
/// among all) exceeds a limit `p0`, from counts alone: a mixture sequential probability ratio
/// test — an e-process — over a weighted grid of alternatives `p0 · r`.
///
/// The statistic after `k` failures of `n` requests is Σⱼ wⱼ (pⱼ/p0)ᵏ ((1−pⱼ)/(1−p0))ⁿ⁻ᵏ. For any
/// true ratio `p ≤ p0` — even one that changes from request to request — it is a nonnegative
/// supermartingale starting at 1, so by Ville's inequality the chance that it *ever* reaches `1/α`,
/// however often it is looked at, is at most `α`. It depends on the counts only (k and n are
/// sufficient), so it can be computed from counters at any scrape, skipping none of its validity.
/// Reference: Wald, *Sequential Analysis* (1947); Ramdas, Grünwald, Vovk, Shafer, *Game-theoretic
/// statistics and safe anytime-valid inference* (Statistical Science, 2023).
public struct MixtureSPRT: Equatable, Sendable {
    /// One alternative ratio and its weight in the mixture.
    public struct Alternative: Equatable, Sendable {
        /// The ratio (above the limit, below 1).
        public var ratio: Double
        /// Its weight (the weights sum to 1).
        public var weight: Double
    }

    /// The default grid, as multiples of the limit with their weights: most weight where a fault is
    /// hardest to see quickly (5–20× the limit: 5–20% failures against 1%), less on faults so
    /// small that they take minutes anyway or so large that any weight catches them in seconds.
    public static let defaultGrid: [(multiple: Double, weight: Double)] = [
        (1.5, 0.05), (2, 0.05), (3, 0.1), (5, 0.2), (10, 0.25), (20, 0.25), (50, 0.1),
    ]

    /// The limit tested against.
    public let limit: Double
    /// The alternatives, ascending.
    public let alternatives: [Alternative]

    /// A test of "ratio > `limit`" with alternatives `limit · multiple` (capped below 1; ones that
    /// would not exceed the limit are dropped and the rest re-weighted to sum to 1).
    public init(limit: Double, grid: [(multiple: Double, weight: Double)] = MixtureSPRT.defaultGrid) {
        self.limit = limit
        var byRatio: [Double: Double] = [:]
        for entry in grid {
            let ratio = min(entry.multiple * limit, 0.999)
            if ratio > limit { byRatio[ratio, default: 0] += entry.weight }
        }
        let total = byRatio.values.reduce(0, +)
        self.alternatives = byRatio.keys.sorted().map { Alternative(ratio: $0, weight: byRatio[$0]! / total) }
    }

    /// The natural log of the e-value after `failures` of `requests` (0 with no requests).
    public func logEvidence(failures: Double, requests: Double) -> Double {
        guard requests > 0, !alternatives.isEmpty else { return 0 }
        let k = min(max(failures, 0), requests)
        let terms = alternatives.map { alternative in
            log(alternative.weight) + k * log(alternative.ratio / limit)
                + (requests - k) * log((1 - alternative.ratio) / (1 - limit))
        }
        let top = terms.max()!
        return top + log(terms.reduce(0) { $0 + exp($1 - top) })
    }

    /// Wald's SPRT's expected number of observations to decide `faulty` against `limit` at error
    /// `alpha` when the true ratio is `faulty` (the oracle that knows the fault): `log(1/α) / KL`.
    public static func waldExpectedRequests(limit: Double, faulty: Double, alpha: Double) -> Double {
        let divergence = faulty * log(faulty / limit) + (1 - faulty) * log((1 - faulty) / (1 - limit))
        return log(1 / alpha) / divergence
    }
}
