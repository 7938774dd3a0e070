/// Turns raw counter readings into reset-adjusted cumulative values, per series.
///
/// Prometheus semantics: a counter that goes down was reset (the process restarted), so the new
/// reading counts entirely as increase since the reset; a decrease is never a negative increase.
/// A series present in a target's first scrape is a baseline (its past is not in the window); a
/// series that first appears later counts from zero, because go-grpc-prometheus creates a series
/// on its first event (the first `Unavailable`, say) and those events are real.
public struct CounterTracker: Sendable {
    private struct Reading: Sendable {
        var raw: Double
        var adjusted: Double
    }

    private var readings: [SeriesKey: Reading] = [:]
    private var hasBaseline = false

    /// Creates an empty tracker.
    public init() {}

    /// Marks the end of one scrape: later unseen series count from zero.
    public mutating func finishScrape() {
        hasBaseline = true
    }

    /// Records `raw` for `key` and returns the reset-adjusted cumulative value.
    public mutating func adjusted(_ key: SeriesKey, raw: Double) -> Double {
        guard raw.isFinite else { return readings[key]?.adjusted ?? 0 }
        if var reading = readings[key] {
            let increase = raw >= reading.raw ? raw - reading.raw : raw
            reading.adjusted += increase
            reading.raw = raw
            readings[key] = reading
            return reading.adjusted
        }
        let adjusted = hasBaseline ? raw : 0
        readings[key] = Reading(raw: raw, adjusted: adjusted)
        return adjusted
    }

    /// Calls `body` with the latest adjusted value of every series seen so far; a series that
    /// vanished from later scrapes keeps its last value, so sums over series never go down.
    public func forEachSeries(_ body: (SeriesKey, Double) -> Void) {
        for (key, reading) in readings {
            body(key, reading.adjusted)
        }
    }
}

/// Identifies one time series: metric name plus its labels in written order.
public struct SeriesKey: Hashable, Sendable {
    /// The metric name.
    public var name: String
    /// The labels as written.
    public var labels: [Label]

    /// Creates a key.
    public init(name: String, labels: [Label]) {
        self.name = name
        self.labels = labels
    }

    /// The value of label `name`, if present.
    public func label(_ name: String) -> String? {
        labels.first { $0.name == name }?.value
    }
}
