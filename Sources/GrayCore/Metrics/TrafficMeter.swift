/// Reads one target's scrapes into per-version ``TrafficTotals``.
///
/// A router's client metrics are split by the upstream label, whose values map to versions as
/// `MetricNames.upstreamValues` says; an instance's server metrics all belong to the instance's own
/// version. Counter resets are absorbed by a ``CounterTracker``. Fails closed: a request whose code
/// label is missing or names no gRPC status code counts neither as a success nor as a failure and
/// is reported in ``unrecognisedCodes``; upstream values that name no version are reported in
/// ``unmatchedUpstreams``. Calls of `MetricNames.ignoredServices` (health checks, reflection) are
/// not traffic.
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
        case unrecognisedCode(Version, value: String)
        case bucket(Version, upperBound: Double)
        case unmatchedUpstream(String)
        case ignored
    }

    private let source: Source
    private let names: MetricNames
    private let failureCodes: FailureCodes
    private var tracker = CounterTracker()
    /// The role of each series, by its tracker slot.
    private var roles: [Role] = []
    /// Per version, the code label values of the last scrape that are no gRPC status code
    /// (`(no grpc_code label)` when the label is missing), sorted.
    public private(set) var unrecognisedCodes: [Version: [String]] = [:]
    /// Upstream label values of the last scrape that map to no version (router only), sorted.
    public private(set) var unmatchedUpstreams: [String] = []
    /// The versions whose handled requests have grown since the meter's first scrape: the router
    /// is a version's source only once it has carried traffic of both.
    public private(set) var versionsWithTraffic: Set<Version> = []
    /// How many of the traffic series' counters have reset since the meter's first scrape (a
    /// restart of the process behind them).
    public var resets: Int { tracker.resets }
    private var handledName: String { source == .router ? names.clientHandled : names.serverHandled }
    private var bucketName: String { (source == .router ? names.clientLatency : names.serverLatency) + "_bucket" }

    /// Creates a meter for one target.
    public init(source: Source, names: MetricNames, failureCodes: FailureCodes) {
        self.source = source
        self.names = names
        self.failureCodes = failureCodes
    }

    /// Ingests one scrape and returns the cumulative totals of every version seen so far.
    public mutating func ingest(_ exposition: Exposition) -> [Version: TrafficTotals] {
        let handled = handledName
        let bucket = bucketName
        var unrecognised: [Version: Set<String>] = [:]
        var unmatched: Set<String> = []
        for sample in exposition.samples where sample.name == handled || sample.name == bucket {
            let key = SeriesKey(name: sample.name, labels: sample.labels)
            let slot = tracker.slot(key)
            if slot == roles.count { roles.append(role(of: key, handled: handled)) }
            switch roles[slot] {
            case .unrecognisedCode(let version, let value): unrecognised[version, default: []].insert(value)
            case .unmatchedUpstream(let value): unmatched.insert(value)
            case .handled, .bucket, .ignored: break
            }
            _ = tracker.adjusted(slot: slot, raw: sample.value)
        }
        tracker.finishScrape()
        unrecognisedCodes = unrecognised.mapValues { $0.sorted() }
        unmatchedUpstreams = unmatched.sorted()
        let totals = totals()
        versionsWithTraffic = Set(totals.filter { $0.value.requests > 0 }.keys)
        return totals
    }

    private func role(of key: SeriesKey, handled: String) -> Role {
        if let service = key.label(names.serviceLabel), names.ignoredServices.contains(service) { return .ignored }
        let version: Version
        switch source {
        case .instance(let own):
            version = own
        case .router:
            guard let upstream = key.label(names.upstreamLabel) else { return .ignored }
            guard let named = Version.allCases.first(where: { names.upstreamValues[$0] == upstream }) else {
                return .unmatchedUpstream(upstream)
            }
            version = named
        }
        if key.name == handled {
            guard let code = key.label(names.codeLabel) else {
                return .unrecognisedCode(version, value: "(no \(names.codeLabel) label)")
            }
            guard let failing = failureCodes.isFailure(code) else { return .unrecognisedCode(version, value: code) }
            return .handled(version, failing: failing)
        }
        guard let bound = key.label("le").flatMap(NumberScanner.double) else { return .ignored }
        if case .router = source { return .bucket(version, upperBound: bound * names.clientLatencyScale) }
        return .bucket(version, upperBound: bound)
    }

    private func totals() -> [Version: TrafficTotals] {
        var result: [Version: TrafficTotals] = [:]
        var buckets: [Version: [Double: Double]] = [:]
        tracker.forEachSlot { slot, value in
            switch roles[slot] {
            case .handled(let version, let failing):
                result[version, default: TrafficTotals()].requests += value
                if failing { result[version, default: TrafficTotals()].failures += value }
            case .bucket(let version, let upperBound):
                buckets[version, default: [:]][upperBound, default: 0] += value
            case .unrecognisedCode, .unmatchedUpstream, .ignored:
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
