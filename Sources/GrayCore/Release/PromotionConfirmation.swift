/// A promotion and `plan.confirm`: asked and waiting, declined until the webhook is asked again,
/// or approved and waiting for the engine's own checks to let it go.
public enum PromotionConfirmation: Equatable, Sendable {
    /// Asked for the step at `index`, promoted by `by` for `reason` once approved.
    case asking(index: Int, by: String, reason: String)
    /// The step at `index` was declined with `answer`; asked again from `retryAt`.
    case declined(index: Int, retryAt: Double, answer: String)
    /// The step at `index` was approved at `at` with `answer`: it goes at the next promotion that
    /// the gates, the bake time, auto-advance and the router's reading allow, if that comes
    /// before the approval is `plan.confirm_retry` old (then it is asked again).
    case approved(index: Int, at: Double, answer: String)
}
