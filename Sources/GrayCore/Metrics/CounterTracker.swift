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

    private var slots: [SeriesKey: Int] = [:]
    private var keys: [SeriesKey] = []
    private var readings: [Reading?] = []
    /// Per slot: seen in the first scrape, so its first finite reading is a baseline even when the
    /// first scrape gave NaN or ±Inf.
    private var bornInFirstScrape: [Bool] = []
    private var hasBaseline = false
    /// How many times a series has gone down (a reset) since the tracker began.
    public private(set) var resets = 0

    /// Creates an empty tracker.
    public init() {}

    /// Marks the end of one scrape: later unseen series count from zero.
    public mutating func finishScrape() {
        hasBaseline = true
    }

    /// The slot of `key`: a small integer, the same for the tracker's life, so a caller can keep
    /// what it knows of a series in an array instead of hashing the key again.
    public mutating func slot(_ key: SeriesKey) -> Int {
        if let slot = slots[key] { return slot }
        slots[key] = keys.count
        keys.append(key)
        readings.append(nil)
        bornInFirstScrape.append(!hasBaseline)
        return keys.count - 1
    }

    /// Records `raw` for `key` and returns the reset-adjusted cumulative value.
    public mutating func adjusted(_ key: SeriesKey, raw: Double) -> Double {
        adjusted(slot: slot(key), raw: raw)
    }

    /// Records `raw` for the series in `slot` (from ``slot(_:)``) and returns the reset-adjusted
    /// cumulative value.
    public mutating func adjusted(slot: Int, raw: Double) -> Double {
        guard raw.isFinite else { return readings[slot]?.adjusted ?? 0 }
        if var reading = readings[slot] {
            let increase = raw >= reading.raw ? raw - reading.raw : raw
            if raw < reading.raw { resets += 1 }
            reading.adjusted += increase
            reading.raw = raw
            readings[slot] = reading
            return reading.adjusted
        }
        let adjusted = bornInFirstScrape[slot] ? 0 : raw
        readings[slot] = Reading(raw: raw, adjusted: adjusted)
        return adjusted
    }

    /// Calls `body` with the latest adjusted value of every series seen so far; a series that
    /// vanished from later scrapes keeps its last value, so sums over series never go down.
    public func forEachSeries(_ body: (SeriesKey, Double) -> Void) {
        forEachSlot { slot, value in body(keys[slot], value) }
    }

    /// ``forEachSeries(_:)`` by slot, in slot order.
    public func forEachSlot(_ body: (Int, Double) -> Void) {
        for (slot, reading) in readings.enumerated() {
            if let reading { body(slot, reading.adjusted) }
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
