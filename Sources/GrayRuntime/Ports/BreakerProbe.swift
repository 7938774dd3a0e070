public import GrayCore

/// The circuit breakers of one instance (`/admin/breakers`, or grayctl's note that they are not
/// observed).
///
/// Contract: never throws; a failure is an `error` entry of endpoint `breakers`.
public protocol BreakerProbe: Sendable {
    /// One read, as a `breakers`, `breakers_not_observed` or `error` entry.
    func read() async -> RecordEntry
}
