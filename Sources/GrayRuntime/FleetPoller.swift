public import GrayCore
public import GrayProbe

/// One poll round of the fleet: each version's instances (as its ``InstanceDirectory`` finds
/// them), their gRPC health, metrics and breakers (as `targets.<version>.breakers` says), the
/// router's metrics and its weight, all at once; every failure becomes an `error` entry. Only
/// configured endpoints are polled. A target with a Prometheus selector has its metrics read from
/// Prometheus (one query for the whole version, split by instance) instead of each `/metrics`.
public struct FleetPoller: FleetObserver {
    private let directories: [InstanceDirectory]
    private let routerAdmin: AdminReader?
    private let breakerSources: [Version: BreakerSource]
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

        func hasSelector(_ target: Target) -> Bool { settings.selectors[target] != nil }

        /// One read of `target`'s series, split by `subjectOf`; nil when it has no selector.
        func read(
            _ target: Target, oneInstance: Bool, subjectOf: @escaping @Sendable (String?) -> Subject
        ) -> (@Sendable () async -> [RecordEntry])? {
            guard let selector = settings.selectors[target] else { return nil }
            let families = target == .router
                ? [names.clientHandled, names.clientLatency + "_bucket"]
                : [names.serverHandled, names.serverLatency + "_bucket", names.breakerState]
            let (reader, window, bound) = (reader, window, settings.maxSeries)
            return {
                await reader.metrics(
                    Subject(target), selector: selector, names: families, window: window, maxSeries: bound,
                    oneInstance: oneInstance, subjectOf: subjectOf)
            }
        }
    }
    private let router: (any TrafficRouter)?
    private let healthDeadline: Double

    /// Creates a poller from the configured targets.
    public init(
        targets: [Target: TargetEndpoints], router: (any TrafficRouter)?, tls: ProbeTLS?, timeout: Double,
        prometheus: PrometheusSource? = nil
    ) {
        directories = Version.allCases.map { version in
            InstanceDirectory(
                version: version, endpoints: targets[version.target], hasSelector: prometheus?.hasSelector(version.target) == true,
                tls: tls, timeout: timeout)
        }
        routerAdmin = targets[.router]?.admin.map { AdminReader(subject: .router, baseURL: $0, tls: tls ?? ProbeTLS(), timeout: timeout) }
        breakerSources = Dictionary(uniqueKeysWithValues: Version.allCases.map { ($0, targets[$0.target]?.breakers ?? .auto) })
        self.prometheus = prometheus
        self.router = router
        self.healthDeadline = timeout
    }

    /// Polls everything once, concurrently. Entries come in a fixed order: discovery, health,
    /// then per version metrics and breakers, then the router.
    public func poll() async -> [RecordEntry] {
        var rounds: [(InstanceDirectory, [InstanceDirectory.Member], (@Sendable (String?) -> Subject)?)] = []
        var discovery: [RecordEntry] = []
        for directory in directories {
            let (members, entries) = await directory.round()
            discovery += entries
            rounds.append((directory, members, prometheus?.hasSelector(directory.version.target) == true ? await directory.subjectResolver() : nil))
        }
        let observed = await withTaskGroup(of: (Int, [RecordEntry]).self) { group in
            var order = 0
            func add(_ task: @escaping @Sendable () async -> [RecordEntry]) {
                group.addTask { [order] in (order, await task()) }
                order += 1
            }
            let deadline = healthDeadline
            for (_, members, _) in rounds {
                for member in members {
                    if let client = member.health {
                        add { [await Self.healthEntry(client, subject: member.subject, deadline: deadline)] }
                    }
                }
            }
            for (directory, members, subjectOf) in rounds {
                let version = directory.version
                if let subjectOf, let read = prometheus?.read(version.target, oneInstance: await directory.isSole, subjectOf: subjectOf) {
                    add { await Self.checked(read(), members: members, directory: directory) }
                } else {
                    for member in members {
                        if let reader = member.admin { add { [await reader.metrics()] } }
                    }
                }
                for member in members {
                    if let task = breakersTask(member, version: version) { add { [await task()] } }
                }
            }
            if let read = prometheus?.read(.router, oneInstance: true, subjectOf: { _ in .router }) {
                add(read)
            } else if let reader = routerAdmin {
                add { [await reader.metrics()] }
            }
            if let router {
                add { [await router.read()] }
            }
            var entries: [(Int, [RecordEntry])] = []
            for await entry in group { entries.append(entry) }
            return entries.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        return discovery + observed
    }

    /// Prometheus's entries for a version, plus what they say of its instances: with Prometheus
    /// discovery, the instances it named; with a list or DNS, an error for each member it has no
    /// series of (its metrics go stale, it is not silently left out).
    private static func checked(
        _ entries: [RecordEntry], members: [InstanceDirectory.Member], directory: InstanceDirectory
    ) async -> [RecordEntry] {
        let answered = Set(entries.compactMap { entry -> Subject? in
            if case .metrics(let subject, _) = entry { return subject }
            return nil
        })
        guard !answered.isEmpty else { return entries }
        if await directory.fromPrometheus {
            return await directory.saw(answered.map(\.instance)) + entries
        }
        let missing = members.filter { !answered.contains($0.subject) }.map { member in
            RecordEntry.error(
                member.subject, endpoint: "metrics",
                message: "Prometheus has no series of \(member.subject.instance) in the selector's answer (its instance label is \(member.labels.map { "\"\($0)\"" }.joined(separator: " or ")))")
        }
        return entries + missing
    }

    /// How `member`'s breakers are read this round, as its version's source says; nil when not at all.
    private func breakersTask(_ member: InstanceDirectory.Member, version: Version) -> (@Sendable () async -> RecordEntry)? {
        let subject = member.subject
        switch breakerSources[version] ?? .auto {
        case .none:
            return { .breakersNotObserved(subject, reason: "targets.\(version.rawValue).breakers: none", configured: true) }
        case .gauge:
            return nil
        case .auto:
            guard let reader = member.admin else { return nil }
            return { await reader.breakers(absentMeansNone: true) }
        case .admin:
            guard let reader = member.admin else { return nil }
            return { await reader.breakers() }
        }
    }

    private static func healthEntry(_ client: GRPCHealthClient, subject: Subject, deadline: Double) async -> RecordEntry {
        let result = await client.check(deadline: deadline)
        if result.status == .unreachable, let error = result.error {
            return .error(subject, endpoint: "health", message: error.description)
        }
        return .health(subject, result.status, latency: result.seconds)
    }
}
