public import GrayCore

/// One poll round of everything grayctl observes (health, metrics, breakers, the router's weight).
///
/// Contract: never throws and never hangs past its endpoints' timeouts; every failure is an `error`
/// entry, so a dead endpoint is an observation the gates judge, not a stopped loop.
public protocol FleetObserver: Sendable {
    /// Observes everything once.
    func poll() async -> [RecordEntry]
}
