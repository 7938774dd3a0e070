/// Wilson score bounds on a binomial proportion: how sure can we be about k failures out of n?
///
/// Used one-sided: the lower bound at confidence c is a value the true ratio exceeds with
/// probability about c. Unlike the raw ratio k/n, it stays low for small n (1 failure in 3
/// requests is not "33% failing"), so low-traffic canaries are not rolled back on noise.
public struct WilsonBound: Equatable, Sendable {
    /// One-sided confidence level in (0.5, 1), e.g. 0.99.
    public let confidence: Double
    private let z: Double

    /// Creates a bound at `confidence`.
    public init(confidence: Double) {
        self.confidence = confidence
        self.z = NormalQuantile.z(confidence)
    }

    /// The lower bound of the true ratio given `successes` out of `trials` (0 when trials is 0).
    public func lower(_ successes: Double, of trials: Double) -> Double {
        bounds(successes, of: trials).lower
    }

    /// The upper bound of the true ratio given `successes` out of `trials` (1 when trials is 0).
    public func upper(_ successes: Double, of trials: Double) -> Double {
        bounds(successes, of: trials).upper
    }

    private func bounds(_ successes: Double, of trials: Double) -> (lower: Double, upper: Double) {
        guard trials > 0 else { return (0, 1) }
        let p = min(max(successes / trials, 0), 1)
        let z2 = z * z
        let denominator = 1 + z2 / trials
        let centre = p + z2 / (2 * trials)
        let spread = z * (p * (1 - p) / trials + z2 / (4 * trials * trials)).squareRoot()
        return (max(0, (centre - spread) / denominator), min(1, (centre + spread) / denominator))
    }
}
