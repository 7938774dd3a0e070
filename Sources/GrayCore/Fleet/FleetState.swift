/// Everything grayctl currently knows of the fleet, built from observations only.
///
/// Pure: time comes with each observation. Traffic of a version is read from the router's
/// per-upstream client metrics when they have series for both versions, else from that version's
/// instance.
public struct FleetState: Sendable {
    /// The last health answer of a target and since when it has been the same.
    public struct HealthView: Equatable, Sendable {
        /// The status.
        public var status: HealthStatus
        /// When the target entered this status (first observation of it).
        public var since: Double
        /// When it was last checked.
        public var checkedAt: Double
        /// How long the last check took (seconds), when known.
        public var latency: Double?
    }

    /// The last breakers read of a target.
    public struct BreakersView: Equatable, Sendable {
        /// The breakers.
        public var breakers: [BreakerStatus]
        /// When they were read.
        public var readAt: Double
        /// Why the target's breakers are not observed, when they are not.
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

    /// The last failure of one endpoint of a target.
    public struct FailureView: Equatable, Sendable {
        /// The message.
        public var message: String
        /// When it happened.
        public var at: Double
    }

    struct MetricsView: Sendable {
        var meter: TrafficMeter
        var windows: [Version: TrafficWindow] = [:]
        var lastGoodScrape: Double?
        var breakerGauges: [String: BreakerGauges.Reading] = [:]
    }

    /// The metric and label names the fleet's scrapes are read with.
    public let names: MetricNames
    private let keep: Double
    private var metrics: [Target: MetricsView] = [:]
    /// Health per target.
    public private(set) var health: [Target: HealthView] = [:]
    /// Breakers per target.
    public private(set) var breakers: [Target: BreakersView] = [:]
    /// The router's weight.
    public private(set) var routerWeight: WeightView?
    /// The last failure per target and endpoint (`metrics`, `health`, `breakers`, `weight`).
    public private(set) var failures: [Target: [String: FailureView]] = [:]
    /// Time of the first observation.
    public private(set) var firstObservationAt: Double?
    /// Targets that have reported at least one breaker: a later 404 is then a failure.
    private var breakersSeen: Set<Target> = []

    /// Creates an empty fleet view that keeps `keep` seconds of traffic history.
    public init(names: MetricNames, failureCodes: FailureCodes, keep: Double) {
        self.names = names
        self.keep = keep
        for target in Target.allCases {
            let source: TrafficMeter.Source
            switch target {
            case .router: source = .router
            case .stable: source = .instance(.stable)
            case .canary: source = .instance(.canary)
            }
            metrics[target] = MetricsView(meter: TrafficMeter(source: source, names: names, failureCodes: failureCodes))
        }
    }

    /// Applies one observation made at `time`.
    public mutating func apply(_ observation: Observation, at time: Double) {
        if firstObservationAt == nil { firstObservationAt = time }
        switch observation {
        case .metrics(let target, let exposition):
            applyMetrics(target, exposition, at: time)
        case .health(let target, let status, let latency):
            applyHealth(target, status, at: time)
            health[target]?.latency = latency
        case .breakers(let target, let list):
            breakers[target] = BreakersView(breakers: list, readAt: time)
            if !list.isEmpty { breakersSeen.insert(target) }
        case .breakersNotObserved(let target, let reason, let configured):
            if !configured, breakersSeen.contains(target) {
                // Breakers were read before: their endpoint going missing is a failure, not "none".
                failures[target, default: [:]]["breakers"] = FailureView(message: "\(reason), after breakers were read", at: time)
            } else {
                breakers[target] = BreakersView(breakers: [], readAt: time, notObserved: reason, notObservedByConfig: configured)
            }
        case .weight(let weight, let generation):
            routerWeight = WeightView(weight: weight, generation: generation, readAt: time)
        case .failed(let target, let endpoint, let message):
            failures[target, default: [:]][endpoint] = FailureView(message: message, at: time)
            if endpoint == "health" { applyHealth(target, .unreachable, at: time) }
        }
    }

    private mutating func applyHealth(_ target: Target, _ status: HealthStatus, at time: Double) {
        if let current = health[target], current.status == status {
            health[target]?.checkedAt = time
        } else {
            health[target] = HealthView(status: status, since: time, checkedAt: time)
        }
    }

    private mutating func applyMetrics(_ target: Target, _ exposition: Exposition, at time: Double) {
        guard var view = metrics[target] else { return }
        let totals = view.meter.ingest(exposition)
        view.lastGoodScrape = time
        let versions: [Version]
        switch target {
        case .router: versions = Version.allCases
        case .stable: versions = [.stable]
        case .canary: versions = [.canary]
        }
        for version in versions {
            view.windows[version, default: TrafficWindow(keep: keep)].append(totals[version] ?? TrafficTotals(), at: time)
        }
        view.breakerGauges = BreakerGauges.read(exposition.samples, name: names.breakerState)
        metrics[target] = view
    }

    /// Where a version's traffic is read from: the router once its client series (upstream values
    /// mapped as configured) have carried requests of both versions, else the version's instance.
    public func trafficSource(of version: Version) -> Target {
        if let router = metrics[.router], router.meter.versionsWithTraffic.count == Version.allCases.count { return .router }
        return version == .canary ? .canary : .stable
    }

    /// Upstream label values of the router's last scrape that map to no version (a router whose
    /// clusters are named otherwise than `metrics.upstream_stable` / `upstream_canary` say).
    public var unmatchedUpstreams: [String] {
        metrics[.router]?.meter.unmatchedUpstreams ?? []
    }

    /// Code label values of a version's traffic source's last scrape that name no gRPC status code.
    public func unrecognisedCodes(of version: Version) -> [String] {
        metrics[trafficSource(of: version)]?.meter.unrecognisedCodes[version] ?? []
    }

    /// A version's traffic over the last `window` seconds, from its source.
    public func traffic(of version: Version, over window: Double) -> WindowStats? {
        metrics[trafficSource(of: version)]?.windows[version]?.stats(over: window)
    }

    /// When the version's traffic source was last scraped successfully.
    public func lastGoodScrape(of version: Version) -> Double? {
        metrics[trafficSource(of: version)]?.lastGoodScrape
    }

    /// When a target was last scraped successfully.
    public func lastGoodScrape(target: Target) -> Double? {
        metrics[target]?.lastGoodScrape
    }

    /// Breaker states from the breaker gauge (`metrics.breaker_state`) of a target's last good scrape.
    public func breakerGauges(of target: Target) -> [String: BreakerGauges.Reading] {
        metrics[target]?.breakerGauges ?? [:]
    }
}
