/// Thresholds of the gates, judged on the canary.
public struct GateSettings: Equatable, Sendable {
    /// Error gate: failures / requests above this ratio trips (0 < x < 1).
    public var maxErrorRatio = 0.01
    /// Latency gate: the `latencyQuantile` above this many seconds trips.
    public var maxLatency = 0.5
    /// Which quantile the latency gate judges (0.99 = P99).
    public var latencyQuantile = 0.99
    /// Seconds of history the error and latency gates judge.
    public var window: Double = 30
    /// Seconds between the sequential tests' regular restarts (``EvidenceLedger``), so that old
    /// healthy traffic cannot mask a new fault (0 turns them off).
    public var fastWindow: Double = 10
    /// Requests since the step began (within `window`) before the error or latency gate may pass.
    public var minRequests: Double = 50
    /// One-sided confidence of the exact bound shown beside a version's failure ratio (display and
    /// ranking only: tripping is the sequential test's).
    public var confidence = 0.9999
    /// The chance, over a whole release, that the error or latency gate rolls back a canary within
    /// its limit: split evenly over the plan's steps and the two gates.
    public var falseRollback = 0.001
    /// What the error and latency gates judge the canary against (`gates.compare`).
    public var compare = GateComparison.absolute
    /// Seconds the canary may be not SERVING before rollback.
    public var healthLimit: Double = 5
    /// How many canary instances may be unhealthy for longer than `healthLimit` before rollback.
    public var maxUnhealthy = UnhealthyAllowance.count(0)
    /// Seconds without a good canary scrape before promotion holds.
    public var staleHold: Double = 5
    /// Seconds without a good canary scrape before rollback.
    public var staleRollback: Double = 60

    /// The defaults of `docs/gates.md`.
    public init() {}
}

/// How many instances of a version may be unhealthy (`gates.max_unhealthy`): a count (`1`) or a
/// percent of the version's current instances (`"10%"`, rounded down).
public enum UnhealthyAllowance: Equatable, Sendable, CustomStringConvertible {
    /// At most this many instances.
    case count(Int)
    /// At most this percent of the instances, rounded down.
    case percent(Double)

    /// The number allowed among `instances` instances.
    public func allowed(of instances: Int) -> Int {
        switch self {
        case .count(let count): count
        // The epsilon keeps 29% of 100 at 29 (0.29 × 100 is 28.999… in binary).
        case .percent(let percent): Int((percent * Double(instances) / 100 + 1e-9).rounded(.down))
        }
    }

    /// As written in `grayctl.yaml`.
    public var description: String {
        switch self {
        case .count(let count): "\(count)"
        case .percent(let percent): Format.trimmed(percent, digits: 2) + "%"
        }
    }
}

/// What the error and latency gates judge the canary against (`gates.compare`).
public enum GateComparison: String, Equatable, Sendable, CaseIterable {
    /// The limits alone: a canary above a limit trips, whatever the stable does.
    case absolute
    /// The limits and the stable version: a canary proven above a limit only holds while the
    /// stable is proven above it too over the same poll rounds (a shared dependency failing, not
    /// the canary), until the canary is proven worse than the stable.
    case stable
}
