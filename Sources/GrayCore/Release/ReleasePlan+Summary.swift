extension ReleasePlan {
    /// The plan in one sentence, as `grayctl check` and `grayctl help gates` say it.
    public var summary: String {
        "\(steps.map { "\($0)%" }.joined(separator: " → ")), each baked \(Format.seconds(bake)), polled every "
            + "\(Format.seconds(interval)), auto-advance \(autoAdvance ? "on" : "off")"
            + (confirm.map { ", each promotion asked of plan.confirm (\($0)) first, again after \(Format.seconds(confirmRetry)) when declined" } ?? "")
    }
}
