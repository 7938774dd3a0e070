public import GrayCore
public import GrayProbe

/// The instances of one version at each poll round, and the probes that reach them.
///
/// Where they come from (`targets.<version>` in `grayctl.yaml`): one instance (`admin`/`grpc`, the
/// version's *sole* instance), a static list (`instances`), DNS (`dns`: every address of a name,
/// re-resolved every `every` seconds), or Prometheus (a selector: the `instance` label values of
/// its answer; with `prometheus_instances`, each one's host is reached at the configured ports for
/// health and admin, from the round after it first appears). A list, DNS and Prometheus announce the instances with an `instances` entry
/// whenever they change (and at the first round it knows them); a failed resolution keeps the last
/// list and is an `error` entry of endpoint `discovery`. DNS is resolved beside the rounds: until
/// the first answer arrives the version has no instances yet.
public actor InstanceDirectory {
    /// One instance and the probes that reach it.
    public struct Member: Sendable {
        /// The instance.
        public let subject: Subject
        /// Its health, if it can be checked.
        public let health: (any HealthProbe)?
        /// Its own metrics, if it can be scraped.
        public let metrics: (any MetricsProbe)?
        /// Its breakers, if they are read from it.
        public let breakers: (any BreakerProbe)?
        /// Values of Prometheus's `instance` label that are this instance.
        public let labels: [String]

        /// A member with its probes.
        public init(
            subject: Subject, health: (any HealthProbe)?, metrics: (any MetricsProbe)?, breakers: (any BreakerProbe)?, labels: [String]
        ) {
            self.subject = subject
            self.health = health
            self.metrics = metrics
            self.breakers = breakers
            self.labels = labels
        }
    }

    /// How a member is made from its endpoints (the production probes, or a test's twins).
    public typealias MemberMaker = @Sendable (Subject, InstanceEndpoints) -> Member

    enum Source {
        case sole(InstanceEndpoints)
        case list([InstanceEndpoints])
        case fixed
        case dns(DNSDiscovery, MemberMaker)
        case prometheus(InstancePorts?, MemberMaker)
        case none
    }

    /// The version.
    public let version: Version
    private let source: Source
    private var members: [Member] = []
    private var announced: [String]?
    private var resolvedAt: ContinuousClock.Instant?
    private var resolution: Task<Void, Never>?
    private var answer: Result<[String], ProbeError>?
    private let resolve: @Sendable (String) async throws(ProbeError) -> [String]

    /// The directory of `version` as `endpoints` configure it, each member made by `make`, DNS
    /// names resolved by `resolve` (the system resolver); `hasSelector` when Prometheus reads its
    /// metrics (with nothing else configured, Prometheus's answers name its instances).
    public init(
        version: Version, endpoints: TargetEndpoints?, hasSelector: Bool,
        resolve: @escaping @Sendable (String) async throws(ProbeError) -> [String] = DNSResolver.addresses(of:),
        make: @escaping MemberMaker
    ) {
        self.version = version
        self.resolve = resolve
        if let endpoints, !endpoints.instances.isEmpty {
            source = .list(endpoints.instances)
        } else if let dns = endpoints?.dns {
            source = .dns(dns, make)
        } else if let endpoints, endpoints.admin != nil || endpoints.grpc != nil {
            source = .sole(InstanceEndpoints(admin: endpoints.admin, grpc: endpoints.grpc))
        } else {
            source = hasSelector ? .prometheus(endpoints?.prometheusInstances, make) : .none
        }
        switch source {
        case .sole(let instance): members = [make(Subject(version.target), instance)]
        case .list(let list): members = list.map { make(.instance(version, $0.id!), $0) }
        case .fixed, .dns, .prometheus, .none: break
        }
    }

    /// A directory of fixed members (tests' twins): a version's sole subject alone behaves as a
    /// configured single instance (never announced), named members as a static list.
    public init(version: Version, members: [Member]) {
        self.version = version
        self.source = members.count == 1 && members[0].subject.isSole ? .sole(InstanceEndpoints()) : .fixed
        self.members = members
        self.resolve = DNSResolver.addresses(of:)
    }

    /// True when the instances are whatever Prometheus's answers name.
    public var fromPrometheus: Bool {
        if case .prometheus = source { return true }
        return false
    }

    /// The instances of this round, and what discovery says in it (a changed list, a failure).
    public func round() async -> (members: [Member], entries: [RecordEntry]) {
        var entries: [RecordEntry] = []
        switch source {
        case .list, .fixed:
            entries += announce(members.map(\.subject.instance))
        case .dns(let dns, let make):
            // Resolution runs beside the rounds, never inside one: a slow resolver must not delay
            // health, metrics or a rollback's read-back. A round takes the answer that has arrived.
            let now = ContinuousClock.now
            if resolution == nil, resolvedAt.map({ now - $0 >= .milliseconds(Int64(dns.every * 1000)) }) ?? true {
                resolvedAt = now
                let resolve = self.resolve
                resolution = Task { [weak self] in
                    let answer: Result<[String], ProbeError>
                    do throws(ProbeError) {
                        answer = .success(try await resolve(dns.name))
                    } catch {
                        answer = .failure(error)
                    }
                    await self?.resolved(answer)
                }
            } else if resolution != nil, let started = resolvedAt, now - started > .seconds(max(10, 2 * dns.every)) {
                // A resolver that never answers (a hung NSS lookup) is said every round; the last
                // list stays in use.
                let waited = Format.seconds(Double((now - started).components.seconds))
                entries.append(.error(Subject(version.target), endpoint: "discovery", message: "resolving \(dns.name) has not answered for \(waited); the last list stays in use"))
            }
            if let answer {
                self.answer = nil
                switch answer {
                case .success(let addresses):
                    let known = Dictionary(members.map { ($0.subject.instance, $0) }, uniquingKeysWith: { a, _ in a })
                    members = addresses.map { address in
                        let instance = dns.instance(at: address)
                        return known[instance.id!] ?? make(.instance(version, instance.id!), instance)
                    }
                    entries += announce(members.map(\.subject.instance))
                case .failure(let error):
                    entries += announce(members.map(\.subject.instance))
                    entries.append(.error(Subject(version.target), endpoint: "discovery", message: error.description))
                }
            }
        case .sole, .prometheus, .none:
            break
        }
        return (members, entries)
    }

    /// True when one instance is configured: Prometheus's answer must then name one instance.
    public var isSole: Bool {
        if case .sole = source { return true }
        return false
    }

    /// The subject a Prometheus `instance` label value is of: the member it names, else an instance
    /// of that name (one the list or DNS does not have still serves the version's traffic).
    public func subjectResolver() -> @Sendable (String?) -> Subject {
        let version = version
        let byLabel = Dictionary(members.flatMap { member in member.labels.map { ($0, member.subject) } }, uniquingKeysWith: { a, _ in a })
        return { label in label.flatMap { byLabel[$0] } ?? label.map { .instance(version, $0) } ?? Subject(version.target) }
    }

    /// For Prometheus discovery: the instances an answer named (`instance` label values, an
    /// instance Prometheus cannot scrape included), announced when they changed; with ports, they
    /// are the members whose health and admin the next rounds read.
    public func saw(_ ids: [String]) -> [RecordEntry] {
        guard case .prometheus(let ports, let make) = source else { return [] }
        let ids = ids.sorted()
        if let ports {
            let known = Dictionary(members.map { ($0.subject.instance, $0) }, uniquingKeysWith: { a, _ in a })
            members = ids.map { id in
                if let member = known[id] { return member }
                var endpoints = ports.endpoints(host: InstancePorts.host(ofLabel: id))
                endpoints.name = id
                return make(.instance(version, id), endpoints)
            }
        }
        return announce(ids)
    }

    private func resolved(_ answer: Result<[String], ProbeError>) {
        self.answer = answer
        resolution = nil
    }

    private func announce(_ ids: [String]) -> [RecordEntry] {
        guard ids != announced else { return [] }
        announced = ids
        return [.instances(version, ids)]
    }
}
