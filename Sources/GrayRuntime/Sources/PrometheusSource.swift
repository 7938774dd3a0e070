public import GrayCore
public import GrayProbe

/// A Prometheus server as the metrics source of the targets it has a selector for: one read a
/// round per target (`PrometheusReader`: `/federate` or the query API), the answer split by the
/// `instance` label.
public struct PrometheusSource: Sendable {
    let reader: PrometheusReader
    let settings: PrometheusSettings
    let names: MetricNames

    /// Reads `settings`' selectors through `reader`, the series of `names`.
    public init(reader: PrometheusReader, settings: PrometheusSettings, names: MetricNames) {
        self.reader = reader
        self.settings = settings
        self.names = names
    }

    /// Whether `target` has a selector.
    public func hasSelector(_ target: Target) -> Bool { settings.selectors[target] != nil }

    /// The metrics source of `version`; nil when it has no selector.
    public func metrics(of version: Version) -> (any VersionMetricsSource)? {
        guard let selector = settings.selectors[version.target] else { return nil }
        let (reader, maxSeries) = (reader, settings.maxSeries)
        let families = Self.versionFamilies(names)
        return VersionQuery { whole, oneInstance, subjectOf in
            await reader.metrics(
                whole, selector: selector, names: families, maxSeries: maxSeries, oneInstance: oneInstance,
                subjectOf: subjectOf)
        }
    }

    /// The series read of a version: the gates' families, and `up` — a live instance that has
    /// served nothing yet has no other series (many services create them on the first call), and an
    /// instance Prometheus cannot scrape shows as `up 0`.
    public static func versionFamilies(_ names: MetricNames) -> [String] {
        [names.serverHandled, names.serverLatency + "_bucket", names.breakerState, "up"]
    }

    /// The router's series as a probe; nil when the router has no selector.
    public func routerProbe() -> (any MetricsProbe)? {
        guard let selector = settings.selectors[.router] else { return nil }
        return RouterQuery(
            reader: reader, selector: selector, names: [names.clientHandled, names.clientLatency + "_bucket", "up"], maxSeries: settings.maxSeries)
    }

    /// One version's query: its instances as the directory names them; with a list or DNS, a
    /// member Prometheus has no series of is an error of that member (its metrics go stale, it is
    /// not silently left out); with Prometheus discovery, the instances it named are announced.
    struct VersionQuery: VersionMetricsSource {
        /// One query of the version's selector (`PrometheusReader.metrics`): the version as a whole,
        /// whether it is one instance, and how an `instance` label value maps to a subject.
        let query: @Sendable (Subject, Bool, @escaping @Sendable (String?) -> Subject) async -> [RecordEntry]

        func read(_ members: [InstanceDirectory.Member], of directory: InstanceDirectory) async -> [RecordEntry] {
            let entries = await query(Subject(directory.version.target), await directory.isSole, await directory.subjectResolver())
            // An instance Prometheus cannot scrape (`up` 0) was answered too: an error of its own.
            let answered = Set(entries.compactMap { entry -> Subject? in
                switch entry {
                case .metrics(let subject, _, _): subject
                case .error(let subject, _, _) where !subject.isSole: subject
                default: nil
                }
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
    }

    /// The router's query: one instance.
    struct RouterQuery: MetricsProbe {
        let reader: PrometheusReader
        let selector: String
        let names: [String]
        let maxSeries: Int

        func scrape() async -> RecordEntry {
            let entries = await reader.metrics(
                .router, selector: selector, names: names, maxSeries: maxSeries, oneInstance: true, subjectOf: { _ in .router })
            return entries.first ?? .error(.router, endpoint: "metrics", message: "Prometheus answered nothing for \(selector)")
        }
    }
}
