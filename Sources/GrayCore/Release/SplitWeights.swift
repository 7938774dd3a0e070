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

    /// The router's reading of these weights: the canary's share with ``token`` as its generation,
    /// or, when no side has weight, an error saying `nowhere` (what routes nothing).
    public func reading(nowhere: String) -> RecordEntry {
        guard let percent else { return .error(.router, endpoint: "weight", message: nowhere) }
        return .weight(percent, generation: token)
    }

    /// The engine's state as a version token: a write based on a reading is refused when the
    /// engine no longer shows it (engines without a version of their own).
    public var token: String {
        "stable=\(stable) canary=\(canary)"
    }

    /// Whether the canary's side is written first when two writes go from `current` to these
    /// weights: the side whose weight rises goes first, so the share in between lies between the
    /// two ends and the engine never has both sides at 0 (no traffic routed at all — going from
    /// 100 % to 0 % canary-first would pass through that). With `current` unknown, the side with
    /// the larger weight goes first.
    public func canaryFirst(from current: SplitWeights?) -> Bool {
        guard let current else { return canary > stable }
        return canary > current.canary
    }
}
