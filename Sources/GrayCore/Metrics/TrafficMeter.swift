/// Reads one target's scrapes into per-version ``TrafficTotals``.
///
/// A router's client metrics are split by the upstream label; an instance's server metrics all
/// belong to the instance's own version. Counter resets are absorbed by a ``CounterTracker``.
public struct TrafficMeter: Sendable {
    /// Where the meter reads traffic from.
    public enum Source: Equatable, Sendable {
        /// A router: client metrics, split by upstream label.
        case router
        /// An instance of one version: server metrics.
        case instance(Version)
    }

    private enum Role: Sendable {
        case handled(Version, failing: Bool)
        case bucket(Version, upperBound: Double)
        case ignored
    }

    private let source: Source
    private let names: MetricNames
    private let failureCodes: FailureCodes
    private var tracker = CounterTracker()
    private var roles: [SeriesKey: Role] = [:]
    private var handledName: String { source == .router ? names.clientHandled : names.serverHandled }
    private var bucketName: String { (source == .router ? names.clientLatency : names.serverLatency) + "_bucket" }

    /// Creates a meter for one target.
    public init(source: Source, names: MetricNames, failureCodes: FailureCodes) {
        self.source = source
        self.names = names
        self.failureCodes = failureCodes
    }

    /// Whether a scrape carries the traffic metrics this meter reads.
    public func carriesTraffic(_ exposition: Exposition) -> Bool {
        let handled = handledName
        return exposition.samples.contains { $0.name == handled }
    }

    /// Ingests one scrape and returns the cumulative totals of every version seen so far.
    public mutating func ingest(_ exposition: Exposition) -> [Version: TrafficTotals] {
        let handled = handledName
        let bucket = bucketName
        for sample in exposition.samples where sample.name == handled || sample.name == bucket {
            let key = SeriesKey(name: sample.name, labels: sample.labels)
            if roles[key] == nil { roles[key] = role(of: key, handled: handled) }
            _ = tracker.adjusted(key, raw: sample.value)
        }
        tracker.finishScrape()
        return totals()
    }

    private func role(of key: SeriesKey, handled: String) -> Role {
        let version: Version
        switch source {
        case .instance(let own):
            version = own
        case .router:
            guard let upstream = key.label(names.upstreamLabel), let named = Version(rawValue: upstream) else {
                return .ignored
            }
            version = named
        }
        if key.name == handled {
            let failing = key.label(names.codeLabel).map { failureCodes.names.contains($0) } ?? false
            return .handled(version, failing: failing)
        }
        guard let bound = key.label("le").flatMap(NumberScanner.double) else { return .ignored }
        return .bucket(version, upperBound: bound)
    }

    private func totals() -> [Version: TrafficTotals] {
        var result: [Version: TrafficTotals] = [:]
        var buckets: [Version: [Double: Double]] = [:]
        tracker.forEachSeries { key, value in
            switch roles[key] ?? .ignored {
            case .handled(let version, let failing):
                result[version, default: TrafficTotals()].requests += value
                if failing { result[version, default: TrafficTotals()].failures += value }
            case .bucket(let version, let upperBound):
                buckets[version, default: [:]][upperBound, default: 0] += value
            case .ignored:
                break
            }
        }
        for (version, counts) in buckets {
            result[version, default: TrafficTotals()].buckets = counts
                .map { HistogramBucket(upperBound: $0.key, count: $0.value) }
                .sorted { $0.upperBound < $1.upperBound }
        }
        return result
    }
}

/// The two versions of a gray release.
public enum Version: String, Sendable, CaseIterable, Hashable {
    /// The version in production.
    case stable
    /// The version being released.
    case canary
}
