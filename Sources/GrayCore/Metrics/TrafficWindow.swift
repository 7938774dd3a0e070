/// A short history of one version's cumulative totals, answering "what happened over the last w s".
///
/// The increase over a window is the difference between the newest totals and the newest totals at
/// least `w` seconds older (or the oldest kept, when the history is shorter than the window: then
/// ``WindowStats/span`` says how much time the numbers really cover). Entries older than the
/// longest window in use are dropped.
public struct TrafficWindow: Sendable {
    private var history: [(at: Double, totals: TrafficTotals)] = []
    private let keep: Double

    /// Creates a history that keeps at least `keep` seconds.
    public init(keep: Double) {
        self.keep = keep
    }

    /// Time of the newest entry.
    public var latestTime: Double? { history.last?.at }

    /// Appends totals observed at `time` (non-decreasing); totals at the newest entry's time replace
    /// it (a version's instances are scraped in one round, each adding to its sum).
    public mutating func append(_ totals: TrafficTotals, at time: Double) {
        if let last = history.last, last.at == time {
            history[history.count - 1].totals = totals
            return
        }
        history.append((time, totals))
        // Keep one entry at or before (time - keep) as the baseline of the longest window.
        var drop = 0
        while drop + 1 < history.count, history[drop + 1].at <= time - keep { drop += 1 }
        if drop > 0 { history.removeFirst(drop) }
    }

    /// The increase over the `window` seconds before the newest entry.
    public func stats(over window: Double) -> WindowStats? {
        guard let latest = history.last else { return nil }
        var baseline = history[0]
        for entry in history.reversed() where entry.at <= latest.at - window {
            baseline = entry
            break
        }
        let increase = latest.totals.increase(since: baseline.totals)
        return WindowStats(increase: increase, span: latest.at - baseline.at, window: window)
    }
}

/// What one version did over one window.
public struct WindowStats: Equatable, Sendable {
    /// Increases of requests, failures and buckets.
    public var increase: TrafficTotals
    /// Seconds the increase really covers (less than `window` early on).
    public var span: Double
    /// The window asked for, in seconds.
    public var window: Double

    /// Creates stats.
    public init(increase: TrafficTotals, span: Double, window: Double) {
        self.increase = increase
        self.span = span
        self.window = window
    }

    /// Requests in the window.
    public var requests: Double { increase.requests }
    /// Failures in the window.
    public var failures: Double { increase.failures }
    /// Failures / requests, NaN without requests.
    public var failureRatio: Double { requests > 0 ? failures / requests : .nan }

    /// The `q` quantile of latency over the window (seconds), NaN without observations.
    public func latencyQuantile(_ q: Double) -> Double {
        HistogramQuantile.quantile(q, increase.buckets)
    }
}
