/// A canary percentage as the two relative weights an engine splits by (Envoy's weighted clusters,
/// HAProxy's servers): `stable = 100 − p`, `canary = p`, so the split is exact, and back.
public struct SplitWeights: Equatable, Sendable {
    /// The stable side's weight.
    public var stable: Int
    /// The canary side's weight.
    public var canary: Int

    /// Weights as an engine reports them.
    public init(stable: Int, canary: Int) {
        self.stable = stable
        self.canary = canary
    }

    /// The weights for a canary percentage in 0...100.
    public init(percent: Int) {
        self.init(stable: 100 - percent, canary: percent)
    }

    /// The canary's share in whole percent; never 0 while the canary has weight and never 100
    /// while stable has (a share is rounded away from the ends, so a rollback is confirmed only by
    /// a true 0); nil when no side has weight (the engine routes nowhere) or a weight is negative.
    public var percent: Int? {
        guard stable >= 0, canary >= 0, stable + canary > 0 else { return nil }
        let share = Int((Double(canary) * 100 / Double(stable + canary)).rounded())
        if canary > 0 && share == 0 { return 1 }
        if stable > 0 && share == 100 { return 99 }
        return share
    }

    /// The engine's state as a version token: a write based on a reading is refused when the
    /// engine no longer shows it (engines without a version of their own).
    public var token: String {
        "stable=\(stable) canary=\(canary)"
    }

    /// Whether going from `current` to these weights lowers the canary's share: the canary's side
    /// is then written first, so no moment in between sends it more than either end.
    public func lowersCanary(from current: SplitWeights?) -> Bool {
        guard let before = current?.percent, let after = percent else { return true }
        return after <= before
    }
}
