/// Exact (Clopper–Pearson) one-sided confidence bound on a failure ratio: how sure can we be about
/// k failures out of n?
///
/// The lower bound at confidence c is the ratio p_L with P(Binomial(n, p_L) ≥ k) = 1 − c, i.e. the
/// Beta(k, n − k + 1) quantile at 1 − c. Unlike the raw ratio k/n, and unlike the Wilson score
/// bound (which is too eager for a handful of failures), it never claims more than the data shows:
/// at a true ratio at or below the threshold, a window trips with probability at most 1 − c. So
/// low-traffic canaries are not rolled back on Poisson noise; fractional counts (from histogram
/// interpolation) are allowed.
public struct ClopperPearsonBound: Equatable, Sendable {
    /// One-sided confidence in (0.5, 1), e.g. 0.9999.
    public let confidence: Double

    /// Creates a bound at `confidence`.
    public init(confidence: Double) {
        self.confidence = confidence
    }

    /// Whether the true ratio exceeds `threshold` with the bound's confidence, given `failures` out
    /// of `trials`: the lower bound is above `threshold`.
    public func exceeds(_ threshold: Double, failures: Double, of trials: Double) -> Bool {
        guard trials > 0, failures > 0 else { return false }
        let k = min(failures, trials)
        // p_L > θ  ⇔  I_θ(k, n − k + 1) < 1 − c  (the Beta CDF is increasing).
        return IncompleteBeta.regularized(x: threshold, a: k, b: trials - k + 1) < 1 - confidence
    }

    /// The lower bound itself (0 without failures), to one part in a million.
    public func lower(_ failures: Double, of trials: Double) -> Double {
        guard trials > 0, failures > 0 else { return 0 }
        let k = min(failures, trials)
        let alpha = 1 - confidence
        var low = 0.0
        var high = k / trials
        for _ in 0..<40 {
            let middle = (low + high) / 2
            if IncompleteBeta.regularized(x: middle, a: k, b: trials - k + 1) < alpha {
                low = middle
            } else {
                high = middle
            }
            if high - low < 1e-7 { break }
        }
        return (low + high) / 2
    }
}
