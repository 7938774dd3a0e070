import Foundation

/// A small deterministic random generator (SplitMix64), so that a seeded simulation repeats exactly,
/// with the count distributions traffic is drawn from.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1).
    public mutating func uniform() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }

    /// A Poisson-distributed count with mean `mean` (Knuth; a normal approximation above 60).
    public mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 60 {
            return max(0, Int((mean + normal() * mean.squareRoot()).rounded()))
        }
        let limit = exp(-mean)
        var product = uniform()
        var count = 0
        while product > limit {
            product *= uniform()
            count += 1
        }
        return count
    }

    /// How many of `trials` independent events of chance `chance` happen: exact (inversion of the
    /// distribution function) while the smaller side's mean is below 30, a normal approximation above.
    public mutating func binomial(_ trials: Int, _ chance: Double) -> Int {
        guard trials > 0, chance > 0 else { return 0 }
        guard chance < 1 else { return trials }
        if chance > 0.5 { return trials - binomial(trials, 1 - chance) }
        let n = Double(trials)
        if n * chance > 30 {
            let draw = n * chance + normal() * (n * chance * (1 - chance)).squareRoot()
            return min(trials, max(0, Int(draw.rounded())))
        }
        // P(X = k + 1) = P(X = k) · (n − k)/(k + 1) · p/(1 − p), walked from P(X = 0) = (1 − p)ⁿ.
        var probability = exp(n * log1p(-chance))
        var cumulative = probability
        let target = uniform()
        var count = 0
        let odds = chance / (1 - chance)
        while cumulative < target, count < trials {
            probability *= Double(trials - count) / Double(count + 1) * odds
            count += 1
            cumulative += probability
        }
        return count
    }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), Double.ulpOfOne)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
