public import GrayCore

/// The metrics of one instance or of the router, read directly (a scrape of its `/metrics`).
///
/// Contract: never throws; a failure is an `error` entry of endpoint `metrics` naming what failed.
public protocol MetricsProbe: Sendable {
    /// One scrape, as a `metrics` or `error` entry.
    func scrape() async -> RecordEntry
}
