public import GrayCore
public import GrayProbe

/// One poll round of the fleet: health of both versions, scrapes of router, stable and canary,
/// both versions' breakers (as `targets.<version>.breakers` says) and the router's weight, all at
/// once; every failure becomes an `error` entry. Only configured endpoints are polled. A target
/// with a Prometheus selector has its metrics read from Prometheus instead of its `/metrics`.
public struct FleetPoller: FleetObserver {
    private let health: [Target: GRPCHealthClient]
    private let admin: [Target: AdminReader]
    private let breakerSources: [Target: BreakerSource]
    private let prometheus: PrometheusSource?

    /// A Prometheus server as the metrics source of the targets it has a selector for.
    public struct PrometheusSource: Sendable {
        let reader: PrometheusReader
        let settings: PrometheusSettings
        let names: MetricNames
        let window: Int

        /// Reads `settings`' selectors through `reader`, the series of `names`, over the last
        /// `window` seconds (a series without a sample in it is stale).
        public init(reader: PrometheusReader, settings: PrometheusSettings, names: MetricNames, window: Int) {
            self.reader = reader
            self.settings = settings
            self.names = names
            self.window = window
        }

        /// One read of `target`'s series; nil when it has no selector.
        func read(_ target: Target) -> (@Sendable () async -> RecordEntry)? {
            guard let selector = settings.selectors[target] else { return nil }
            let families = target == .router
                ? [names.clientHandled, names.clientLatency + "_bucket"]
                : [names.serverHandled, names.serverLatency + "_bucket", names.breakerState]
            let (reader, window, bound) = (reader, window, settings.maxSeries)
            return { await reader.metrics(target, selector: selector, names: families, window: window, maxSeries: bound) }
        }
    }
    private let router: (any TrafficRouter)?
    private let healthDeadline: Double

    /// Creates a poller from the configured targets.
    public init(
        targets: [Target: TargetEndpoints], router: (any TrafficRouter)?, tls: ProbeTLS?, timeout: Double,
        prometheus: PrometheusSource? = nil
    ) {
        var health: [Target: GRPCHealthClient] = [:]
        var admin: [Target: AdminReader] = [:]
        for (target, endpoints) in targets {
            if let grpc = endpoints.grpc, target != .router { health[target] = GRPCHealthClient(address: grpc, tls: tls) }
            if let url = endpoints.admin { admin[target] = AdminReader(target: target, baseURL: url, tls: tls ?? ProbeTLS(), timeout: timeout) }
        }
        self.health = health
        self.admin = admin
        self.breakerSources = targets.mapValues(\.breakers)
        self.prometheus = prometheus
        self.router = router
        self.healthDeadline = timeout
    }

    /// Polls everything once, concurrently.
    public func poll() async -> [RecordEntry] {
        await withTaskGroup(of: (Int, RecordEntry).self) { group in
            var order = 0
            for target in Target.allCases {
                if let client = health[target] {
                    let deadline = healthDeadline
                    group.addTask { [order] in (order, await Self.healthEntry(client, target: target, deadline: deadline)) }
                    order += 1
                }
            }
            for target in Target.allCases {
                if let read = prometheus?.read(target) {
                    group.addTask { [order] in (order, await read()) }
                    order += 1
                } else if let reader = admin[target] {
                    group.addTask { [order] in (order, await reader.metrics()) }
                    order += 1
                }
                if target != .router, let entry = breakersTask(target) {
                    group.addTask { [order] in (order, await entry()) }
                    order += 1
                }
            }
            if let router {
                group.addTask { [order] in (order, await router.read()) }
            }
            var entries: [(Int, RecordEntry)] = []
            for await entry in group { entries.append(entry) }
            return entries.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// How `target`'s breakers are read this round, as its source says; nil when not at all.
    private func breakersTask(_ target: Target) -> (@Sendable () async -> RecordEntry)? {
        switch breakerSources[target] ?? .auto {
        case .none:
            return { .breakersNotObserved(target, reason: "targets.\(target.rawValue).breakers: none", configured: true) }
        case .gauge:
            return nil
        case .auto:
            guard let reader = admin[target] else { return nil }
            return { await reader.breakers(absentMeansNone: true) }
        case .admin:
            guard let reader = admin[target] else { return nil }
            return { await reader.breakers() }
        }
    }

    private static func healthEntry(_ client: GRPCHealthClient, target: Target, deadline: Double) async -> RecordEntry {
        let result = await client.check(deadline: deadline)
        if result.status == .unreachable, let error = result.error {
            return .error(target, endpoint: "health", message: error.description)
        }
        return .health(target, result.status, latency: result.seconds)
    }
}
