public import GrayCore

/// The health of one instance (gRPC `grpc.health.v1` in production).
///
/// Contract: never throws and never hangs past its deadline; an instance that cannot be reached is
/// an `error` entry of endpoint `health` (the core counts it as UNREACHABLE).
public protocol HealthProbe: Sendable {
    /// One check, as a `health` or `error` entry of the probe's instance.
    func check() async -> RecordEntry
}
