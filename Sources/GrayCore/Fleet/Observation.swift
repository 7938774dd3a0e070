/// One thing grayctl observed of the fleet at one moment: the input of the decision engine and the
/// line of a recording.
public enum Observation: Equatable, Sendable {
    /// A scrape of `/metrics`, already parsed.
    case metrics(Target, Exposition)
    /// A gRPC health answer.
    case health(Target, HealthStatus)
    /// A read of `/admin/breakers`.
    case breakers(Target, [BreakerStatus])
    /// The router's canary weight as read back.
    case weight(Int, generation: String?)
    /// A failed observation: `endpoint` is `metrics`, `health`, `breakers` or `weight`.
    case failed(Target, endpoint: String, message: String)
}
