/// Everything grayctl currently knows of the fleet, built from observations only.
///
/// Pure: time comes with each observation. A version is a set of instances (``Subject``s); the
/// router stands apart. Each instance keeps its own views (health, breakers, failures, metrics),
/// and each version keeps the aggregate the gates judge: its traffic is the sum over its instances
/// of each series' reset-adjusted increase (one instance's restart resets its own series only).
/// Traffic is read from the router's per-upstream client metrics when they have carried requests of
/// both versions, else from the versions' instances. Discovery (``Observation/instances(_:_:)``)
/// says which instances a version has now: one that leaves is no longer judged — never a failure —
/// while the traffic it served stays counted.
public struct FleetState: Sendable {
    /// The last health answer of an instance and since when it has been the same.
    public struct HealthView: Equatable, Sendable {
        /// The status.
        public var status: HealthStatus
        /// When the instance entered this status (first observation of it).
        public var since: Double
        /// When it was last checked.
        public var checkedAt: Double
        /// How long the last check took (seconds), when known.
        public var latency: Double?
    }

    /// The last breakers read of an instance.
    public struct BreakersView: Equatable, Sendable {
        /// The breakers.
        public var breakers: [BreakerStatus]
        /// When they were read.
        public var readAt: Double
        /// Why the instance's breakers are not observed, when they are not.
        public var notObserved: String?
        /// Whether the config says so (`breakers: none`), rather than a 404 (`auto`).
        public var notObservedByConfig = false
    }

    /// The router's weight as last read back.
    public struct WeightView: Equatable, Sendable {
        /// Canary weight in percent.
        public var weight: Int
        /// The router's generation (ETag), if any.
        public var generation: String?
        /// When it was read.
        public var readAt: Double
    }

    /// The last failure of one endpoint of a subject.
    public struct FailureView: Equatable, Sendable {
        /// The message.
        public var message: String
        /// When it happened.
        public var at: Double
    }

    struct MetricsView: Sendable {
        var meter: TrafficMeter
        var windows: [Version: TrafficWindow] = [:]
        var totals: [Version: TrafficTotals] = [:]
        var lastGoodScrape: Double?
        var breakerGauges: [String: BreakerGauges.Reading] = [:]
    }

    /// The metric and label names the fleet's scrapes are read with.
    public let names: MetricNames
    private let failureCodes: FailureCodes
    private let keep: Double
    private var metrics: [Subject: MetricsView] = [:]
    /// Per version, the sum over its instances (departed ones included) of their cumulative totals.
    private var versionTotals: [Version: TrafficTotals] = [:]
    private var versionWindows: [Version: TrafficWindow] = [:]
    /// Per version, where its sequential tests start counting (see ``EvidenceLedger``).
    private var ledgers: [Version: EvidenceLedger] = [:]
    /// Per version, how its behaviour changed since its ledger's last record, if it did.
    private var pendingChanges: [Version: String] = [:]
    private let evidenceSpacing: Double
    private let latencyLimit: Double
    /// When each current subject was first observed or discovered.
    private var firstSeen: [Subject: Double] = [:]
    /// Health per instance.
    public private(set) var health: [Subject: HealthView] = [:]
    /// Breakers per instance.
    public private(set) var breakers: [Subject: BreakersView] = [:]
    /// The router's weight.
    public private(set) var routerWeight: WeightView?
    /// The last failure per subject and endpoint (`metrics`, `health`, `breakers`, `weight`).
    public private(set) var failures: [Subject: [String: FailureView]] = [:]
    /// The instances discovery last reported per version; a version absent here has the instances
    /// it was observed with.
    public private(set) var members: [Version: [String]] = [:]
    /// Every instance discovery has listed: one that left is not "unlisted" while its last samples
    /// are still in Prometheus's window.
    private var everListed: [Version: Set<String>] = [:]
    /// Time of the first observation.
    public private(set) var firstObservationAt: Double?
    /// Instances that have reported at least one breaker: a later 404 is then a failure.
    private var breakersSeen: Set<Subject> = []

    /// Creates an empty fleet view that keeps `keep` seconds of traffic history and begins a
    /// version's evidence afresh every `evidenceSpacing` seconds (``EvidenceLedger``), comparing the
    /// canary's requests slower than `latencyLimit` with the stable's.
    public init(names: MetricNames, failureCodes: FailureCodes, keep: Double, evidenceSpacing: Double = 10, latencyLimit: Double = 0.5) {
        self.names = names
        self.failureCodes = failureCodes
        self.keep = keep
        self.evidenceSpacing = evidenceSpacing
        self.latencyLimit = latencyLimit
    }

    /// Applies one observation made at `time`.
    public mutating func apply(_ observation: Observation, at time: Double) {
        if firstObservationAt == nil { firstObservationAt = time }
        if case .failed(let subject, let endpoint, let message) = observation, subject.isSole, let version = subject.version {
            // A failure of the version as a whole (its Prometheus query) is a failure of each of its instances.
            let named = instances(of: version).filter { !$0.isSole }
            if !named.isEmpty {
                for instance in named { apply(.failed(instance, endpoint: endpoint, message: message), at: time) }
                return
            }
        }
        if let subject = observation.subject, firstSeen[subject] == nil { firstSeen[subject] = time }
        switch observation {
        case .metrics(let subject, let exposition, let age):
            applyMetrics(subject, exposition, at: time, age: age ?? 0)
        case .health(let subject, let status, let latency):
            applyHealth(subject, status, at: time)
            health[subject]?.latency = latency
        case .breakers(let subject, let list):
            breakers[subject] = BreakersView(breakers: list, readAt: time)
            if !list.isEmpty { breakersSeen.insert(subject) }
        case .breakersNotObserved(let subject, let reason, let configured):
            if !configured, breakersSeen.contains(subject) {
                // Breakers were read before: their endpoint going missing is a failure, not "none".
                failures[subject, default: [:]]["breakers"] = FailureView(message: "\(reason), after breakers were read", at: time)
            } else {
                breakers[subject] = BreakersView(breakers: [], readAt: time, notObserved: reason, notObservedByConfig: configured)
            }
        case .weight(let weight, let generation):
            routerWeight = WeightView(weight: weight, generation: generation, readAt: time)
        case .failed(let subject, let endpoint, let message):
            failures[subject, default: [:]][endpoint] = FailureView(message: message, at: time)
            if endpoint == "health" { applyHealth(subject, .unreachable, at: time) }
        case .instances(let version, let ids):
            applyMembers(version, ids, at: time)
        }
    }

    private mutating func applyHealth(_ subject: Subject, _ status: HealthStatus, at time: Double) {
        if let current = health[subject], current.status == status {
            health[subject]?.checkedAt = time
        } else {
            health[subject] = HealthView(status: status, since: time, checkedAt: time)
        }
    }

    /// A scrape read at `time` of data already `age` seconds old (Prometheus's samples): the data
    /// is as of `time − age`, which is what freshness judges; the traffic counts at `time`.
    private mutating func applyMetrics(_ subject: Subject, _ exposition: Exposition, at time: Double, age: Double) {
        var view = metrics[subject] ?? MetricsView(meter: TrafficMeter(source: subject.version.map { .instance($0) } ?? .router, names: names, failureCodes: failureCodes))
        let resets = view.meter.resets
        let totals = view.meter.ingest(exposition)
        view.lastGoodScrape = time - max(0, age)
        if let version = subject.version, view.meter.resets > resets {
            pendingChanges[version] = "\(subject.isSole ? "the \(version.rawValue)'s" : "\(subject.instance)'s") counters reset (a restart)"
        }
        for version in subject.version.map({ [$0] }) ?? Version.allCases {
            let now = totals[version] ?? TrafficTotals()
            view.windows[version, default: TrafficWindow(keep: keep)].append(now, at: time)
            if subject.version != nil {
                let sum = versionTotals[version, default: TrafficTotals()].adding(now.increase(since: view.totals[version] ?? TrafficTotals()))
                versionTotals[version] = sum
                versionWindows[version, default: TrafficWindow(keep: keep)].append(sum, at: time)
            }
            view.totals[version] = now
        }
        view.breakerGauges = BreakerGauges.read(exposition.samples, name: names.breakerState)
        metrics[subject] = view
        for version in subject.version.map({ [$0] }) ?? Version.allCases where trafficSource(of: version) == (subject.version?.target ?? .router) {
            let source = trafficSource(of: version)
            guard let totals = source == .router ? view.totals[version] : versionTotals[version] else { continue }
            let empty = EvidenceLedger(spacing: evidenceSpacing, latencyLimit: latencyLimit)
            ledgers[version, default: empty].record(totals, from: source, at: time, change: pendingChanges.removeValue(forKey: version))
            if version == .stable { ledgers[.canary, default: empty].noteStable(totals, from: source, at: time) }
        }
    }

    /// A new step begins at `time`: every version's sequential evidence starts afresh from what it
    /// has served so far.
    public mutating func beginStep(at time: Double) {
        for version in ledgers.keys { ledgers[version]?.beginStep(at: time) }
    }

    /// Where a version's sequential tests start counting, and its newest totals (nil before its
    /// traffic source's first scrape).
    public func evidence(of version: Version) -> EvidenceLedger? {
        ledgers[version]
    }

    /// Discovery's list: instances that left are no longer judged or shown, but what is known of
    /// them stays, so one that comes back (a pod flapping in and out of a headless service) keeps
    /// its counters (nothing it served in between is lost) and its unhealthy time.
    private mutating func applyMembers(_ version: Version, _ ids: [String], at time: Double) {
        let listed = Set(ids).sorted()
        if let before = members[version], before != listed {
            let joined = Set(listed).subtracting(before).count
            let left = Set(before).subtracting(listed).count
            pendingChanges[version] = "the \(version.rawValue)'s instances changed (\(joined) joined, \(left) left)"
        }
        members[version] = listed
        everListed[version, default: []].formUnion(ids)
        for subject in ids.map({ Subject.instance(version, $0) }) where firstSeen[subject] == nil {
            firstSeen[subject] = time
        }
    }

    // MARK: Instances

    /// The instances a version has now: as discovery last said, else every one observed; sorted.
    public func instances(of version: Version) -> [Subject] {
        if let ids = members[version] { return ids.map { .instance(version, $0) } }
        return firstSeen.keys.filter { $0.version == version }.sorted()
    }

    /// Instances whose metrics were read in the last `within` seconds before `now` but that
    /// discovery has never listed (a selector that matches more than the list or DNS), while the
    /// version's traffic is summed from its instances: their traffic counts as the version's, but
    /// nothing else of them is judged. Sorted.
    public func unlistedInstances(of version: Version, now: Double, within: Double) -> [String] {
        guard members[version] != nil, trafficSource(of: version) != .router else { return [] }
        let listed = everListed[version] ?? []
        return metrics.filter { subject, view in
            subject.version == version && !listed.contains(subject.instance) && (view.lastGoodScrape.map { now - $0 <= within } ?? false)
        }.map(\.key.instance).sorted()
    }

    /// The version's traffic source's totals per instance over the last `window` seconds (empty
    /// when only the router is read), for naming the worst instance.
    public func instanceTraffic(of version: Version, over window: Double) -> [(Subject, WindowStats)] {
        instances(of: version).compactMap { subject in
            metrics[subject]?.windows[version]?.stats(over: window).map { (subject, $0) }
        }
    }

    /// The version's current instance in the worst health: unreachable before the other states
    /// that are not SERVING, before SERVING; the longest in its state first. Nil before any check.
    public func worstHealth(of version: Version) -> (Subject, HealthView)? {
        func rank(_ view: HealthView) -> (Int, Double) {
            switch view.status {
            case .unreachable: (0, view.since)
            case .notServing, .unknown, .serviceUnknown: (1, view.since)
            case .serving: (2, view.since)
            }
        }
        return instances(of: version).compactMap { subject in health[subject].map { (subject, $0) } }
            .min { rank($0.1) < rank($1.1) }
    }

    /// When the data of an instance's (or the router's) last good scrape is as of: the time of the
    /// scrape, or for Prometheus's answers, that time less the age of their samples.
    public func lastGoodScrape(_ subject: Subject) -> Double? {
        metrics[subject]?.lastGoodScrape
    }

    /// When an instance was first observed or discovered (for the age of data it never sent).
    public func firstSeen(_ subject: Subject) -> Double? {
        firstSeen[subject]
    }

    /// Breaker states from the breaker gauge (`metrics.breaker_state`) of an instance's last good scrape.
    public func breakerGauges(of subject: Subject) -> [String: BreakerGauges.Reading] {
        metrics[subject]?.breakerGauges ?? [:]
    }

    // MARK: Versions

    /// Where a version's traffic is read from: the router once its client series (upstream values
    /// mapped as configured) have carried requests of both versions, else the version's instances.
    public func trafficSource(of version: Version) -> Target {
        if let router = metrics[.router], router.meter.versionsWithTraffic.count == Version.allCases.count { return .router }
        return version.target
    }

    /// A version's instances whose own metrics fail now (their last failure is newer than their
    /// last good read), with that failure's message: while the router's series are the source,
    /// the gates do not need them, but the operator must still hear of them.
    public func failingOwnMetrics(of version: Version) -> [(subject: Subject, message: String)] {
        instances(of: version).compactMap { subject in
            guard let failure = failures[subject]?["metrics"], failure.at > (metrics[subject]?.lastGoodScrape ?? -.infinity) else { return nil }
            return (subject, failure.message)
        }
    }

    /// The subjects whose metrics a version's traffic is read from now.
    public func metricsSubjects(of version: Version) -> [Subject] {
        trafficSource(of: version) == .router ? [.router] : instances(of: version)
    }

    /// Upstream label values of the router's last scrape that map to no version (a router whose
    /// clusters are named otherwise than `metrics.upstream_stable` / `upstream_canary` say).
    public var unmatchedUpstreams: [String] {
        metrics[.router]?.meter.unmatchedUpstreams ?? []
    }

    /// Code label values of a version's traffic source's last scrape that name no gRPC status code.
    public func unrecognisedCodes(of version: Version) -> [String] {
        let values = metricsSubjects(of: version).flatMap { metrics[$0]?.meter.unrecognisedCodes[version] ?? [] }
        return Array(Set(values)).sorted()
    }

    /// A version's traffic over the last `window` seconds, from its source.
    public func traffic(of version: Version, over window: Double) -> WindowStats? {
        if trafficSource(of: version) == .router { return metrics[.router]?.windows[version]?.stats(over: window) }
        return versionWindows[version]?.stats(over: window)
    }

    /// How old a version's metrics are: the stalest of its sources (an instance never scraped counts
    /// from when it was first seen); nil until one of them has been scraped.
    public func lastGoodScrape(of version: Version) -> Double? {
        stalestMetrics(of: version)?.time
    }

    /// The version's metrics source with the oldest data, and that data's time; nil until one of
    /// them has been scraped.
    public func stalestMetrics(of version: Version) -> (subject: Subject, time: Double)? {
        let subjects = metricsSubjects(of: version)
        guard subjects.contains(where: { metrics[$0]?.lastGoodScrape != nil }) else { return nil }
        return subjects.compactMap { subject in
            (metrics[subject]?.lastGoodScrape ?? firstSeen[subject]).map { (subject, $0) }
        }.min { $0.1 < $1.1 }
    }
}

extension TrafficTotals {
    /// These totals plus `other`, bucket by bucket (bounds present in either).
    func adding(_ other: TrafficTotals) -> TrafficTotals {
        guard !other.buckets.isEmpty else {
            return TrafficTotals(requests: requests + other.requests, failures: failures + other.failures, buckets: buckets)
        }
        var counts: [Double: Double] = [:]
        for bucket in buckets + other.buckets { counts[bucket.upperBound, default: 0] += bucket.count }
        return TrafficTotals(
            requests: requests + other.requests, failures: failures + other.failures,
            buckets: counts.map { HistogramBucket(upperBound: $0.key, count: $0.value) }.sorted { $0.upperBound < $1.upperBound })
    }
}
