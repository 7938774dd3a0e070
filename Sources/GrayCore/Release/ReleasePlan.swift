/// The canary weight steps and how long each must stay green.
public struct ReleasePlan: Equatable, Sendable {
    /// Canary weights in percent: strictly increasing, each in 1...100, the last 100.
    public var steps: [Int] = [5, 10, 25, 50, 100]
    /// Seconds a step must stay green before auto-advance (and before the release counts as
    /// complete at the last step).
    public var bake: Double = 30
    /// Seconds between observations in live runs.
    public var interval: Double = 1
    /// Whether live runs start with auto-advance on (replay and headless always auto-advance).
    public var autoAdvance = false
    /// A webhook asked before each promotion (`plan.confirm`): 2xx proceeds, anything else holds
    /// and is asked again after ``confirmRetry``. Rollbacks are never asked.
    public var confirm: WebhookURL?
    /// Seconds a declined (or unanswered) promotion waits before the webhook is asked again.
    public var confirmRetry: Double = 30

    /// The defaults of `docs/gates.md`.
    public init() {}
}
