public import GrayCore
public import GrayProbe

/// One poll round of the fleet, composed of capability ports: each version's instances (its
/// ``InstanceDirectory``), their ``HealthProbe``s, the version's ``VersionMetricsSource``, their
/// ``BreakerProbe``s, the router's ``MetricsProbe`` and the ``TrafficRouter``'s weight, all at once;
/// every failure becomes an `error` entry. Nothing here knows which adapter stands behind a port.
/// Entries come in a fixed order: discovery, health, then per version metrics and breakers, then
/// the router (a version whose instances Prometheus names announces them with its metrics).
public struct FleetPoller: FleetObserver {
    /// What one version is read through.
    public struct VersionPorts: Sendable {
        /// Its instances.
        public let directory: InstanceDirectory
        /// Where its metrics come from.
        public let metrics: any VersionMetricsSource

        /// The ports of one version.
        public init(directory: InstanceDirectory, metrics: any VersionMetricsSource) {
            self.directory = directory
            self.metrics = metrics
        }
    }

    private let versions: [VersionPorts]
    private let routerMetrics: (any MetricsProbe)?
    private let router: (any TrafficRouter)?

    /// A poller of `versions`, the router's metrics and the router.
    public init(versions: [VersionPorts], routerMetrics: (any MetricsProbe)?, router: (any TrafficRouter)?) {
        self.versions = versions
        self.routerMetrics = routerMetrics
        self.router = router
    }

    /// The production poller of the configured targets: gRPC health, admin `/metrics` and
    /// `/admin/breakers` (as `targets.<version>.breakers` says), or Prometheus for the targets it has
    /// a selector for. Only configured endpoints are polled.
    public init(
        targets: [Target: TargetEndpoints], router: (any TrafficRouter)?, tls: ProbeTLS?, timeout: Double,
        prometheus: PrometheusSource? = nil
    ) {
        let versions = Version.allCases.map { version -> VersionPorts in
            let breakers = targets[version.target]?.breakers ?? .auto
            let directory = InstanceDirectory(
                version: version, endpoints: targets[version.target], hasSelector: prometheus?.hasSelector(version.target) == true
            ) { subject, endpoints in
                let admin = endpoints.admin.map { AdminReader(subject: subject, baseURL: $0, tls: tls ?? ProbeTLS(), timeout: timeout) }
                return InstanceDirectory.Member(
                    subject: subject, health: endpoints.grpc.map { GRPCHealthProbe(subject: subject, address: $0, tls: tls, deadline: timeout) },
                    metrics: admin, breakers: AdminBreakerProbe(subject: subject, source: breakers, admin: admin),
                    labels: [endpoints.name, endpoints.admin.map(InstanceEndpoints.hostPort)].compactMap { $0 })
            }
            return VersionPorts(directory: directory, metrics: prometheus?.metrics(of: version) ?? DirectScrape())
        }
        let routerMetrics = prometheus?.routerProbe()
            ?? targets[.router]?.metricsURL.map { AdminReader(subject: .router, metricsURL: $0, tls: tls ?? ProbeTLS(), timeout: timeout) }
            ?? targets[.router]?.admin.map { AdminReader(subject: .router, baseURL: $0, tls: tls ?? ProbeTLS(), timeout: timeout) }
        self.init(versions: versions, routerMetrics: routerMetrics, router: router)
    }

    /// Polls everything once, concurrently.
    public func poll() async -> [RecordEntry] {
        var rounds: [(VersionPorts, [InstanceDirectory.Member])] = []
        var discovery: [RecordEntry] = []
        for ports in versions {
            let (members, entries) = await ports.directory.round()
            discovery += entries
            rounds.append((ports, members))
        }
        let observed = await withTaskGroup(of: (Int, [RecordEntry]).self) { group in
            var order = 0
            func add(_ task: @escaping @Sendable () async -> [RecordEntry]) {
                group.addTask { [order] in (order, await task()) }
                order += 1
            }
            for (_, members) in rounds {
                for member in members {
                    if let probe = member.health { add { [await probe.check()] } }
                }
            }
            for (ports, members) in rounds {
                add { await ports.metrics.read(members, of: ports.directory) }
                for member in members {
                    if let probe = member.breakers { add { [await probe.read()] } }
                }
            }
            if let routerMetrics { add { [await routerMetrics.scrape()] } }
            if let router { add { [await router.read()] } }
            var entries: [(Int, [RecordEntry])] = []
            for await entry in group { entries.append(entry) }
            return entries.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        return discovery + observed
    }
}
