/// A gRPC health answer (`grpc.health.v1`), or that the endpoint could not be reached.
public enum HealthStatus: String, Sendable, CaseIterable {
    /// `SERVING`.
    case serving = "SERVING"
    /// `NOT_SERVING` (for example while draining).
    case notServing = "NOT_SERVING"
    /// `UNKNOWN`.
    case unknown = "UNKNOWN"
    /// `SERVICE_UNKNOWN` (Watch on an unknown service name).
    case serviceUnknown = "SERVICE_UNKNOWN"
    /// No answer: refused, timed out, TLS or protocol failure.
    case unreachable = "UNREACHABLE"
}
