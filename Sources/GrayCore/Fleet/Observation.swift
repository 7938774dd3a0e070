/// One thing grayctl observed of the fleet at one moment: the input of the decision engine and the
/// line of a recording.
public enum Observation: Equatable, Sendable {
    /// A scrape of `/metrics` (or Prometheus's answer for one instance), already parsed; `age` is
    /// how old the data already was when read (Prometheus's samples), nil for a direct scrape.
    case metrics(Subject, Exposition, age: Double? = nil)
    /// A gRPC health answer and how long the check took (seconds), when known.
    case health(Subject, HealthStatus, latency: Double? = nil)
    /// A read of `/admin/breakers`.
    case breakers(Subject, [BreakerStatus])
    /// The target's breakers are not observed, and why: `configured` when the config says the
    /// service has none (`breakers: none`), else because its admin port answered 404 at
    /// `/admin/breakers` (`auto`; a breaker gauge in its metrics may still say more).
    case breakersNotObserved(Subject, reason: String, configured: Bool)
    /// The router's canary weight as read back.
    case weight(Int, generation: String?)
    /// A failed observation: `endpoint` is `metrics`, `health`, `breakers` or `weight`.
    case failed(Subject, endpoint: String, message: String)
    /// Discovery's list of a version's instances now (IDs as in ``Subject/instance``): an instance
    /// that leaves the list is dropped, not counted as failing.
    case instances(Version, [String])

    /// What the observation is of; nil for the router's weight and for discovery.
    public var subject: Subject? {
        switch self {
        case .metrics(let subject, _, _), .health(let subject, _, _), .breakers(let subject, _),
            .breakersNotObserved(let subject, _, _), .failed(let subject, _, _):
            return subject
        case .weight, .instances:
            return nil
        }
    }
}
