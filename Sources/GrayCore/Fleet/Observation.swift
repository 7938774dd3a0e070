/// One thing grayctl observed of the fleet at one moment: the input of the decision engine and the
/// line of a recording.
public enum Observation: Equatable, Sendable {
    /// A scrape of `/metrics`, already parsed.
    case metrics(Target, Exposition)
    /// A gRPC health answer and how long the check took (seconds), when known.
    case health(Target, HealthStatus, latency: Double? = nil)
    /// A read of `/admin/breakers`.
    case breakers(Target, [BreakerStatus])
    /// The target's breakers are not observed, and why: `configured` when the config says the
    /// service has none (`breakers: none`), else because its admin port answered 404 at
    /// `/admin/breakers` (`auto`; a breaker gauge in its metrics may still say more).
    case breakersNotObserved(Target, reason: String, configured: Bool)
    /// The router's canary weight as read back.
    case weight(Int, generation: String?)
    /// A failed observation: `endpoint` is `metrics`, `health`, `breakers` or `weight`.
    case failed(Target, endpoint: String, message: String)
}
