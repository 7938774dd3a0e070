/// Everything `grayctl.yaml` configures; every field has the default of `docs/gates.md`.
public struct GrayConfig: Equatable, Sendable {
    /// The service being released (shown in the header and recordings).
    public var service = "order-service"
    /// Endpoints per target.
    public var targets: [Target: TargetEndpoints] = [:]
    /// Steps and bake.
    public var plan = ReleasePlan()
    /// Gate thresholds.
    public var gates = GateSettings()
    /// gRPC codes counted as failures.
    public var failureCodes = FailureCodes.defaults
    /// Metric and label names.
    public var metrics = MetricNames()
    /// Where metrics are read from (`metrics.source`).
    public var metricsSource = MetricsSource.scrape
    /// The Prometheus server, when `metrics.source` is `prometheus`.
    public var prometheus: PrometheusSettings?
    /// Webhooks told of steps, holds, rollbacks, the end and operator actions (`notify:`).
    public var notify: [WebhookURL] = []

    /// The defaults.
    public init() {}

    /// True when a version may be observed as several named instances (a list, DNS, or
    /// Prometheus's instance labels): recordings of such a fleet are format version 2.
    public var namesInstances: Bool {
        Version.allCases.contains { version in
            let endpoints = targets[version.target]
            let discovered = endpoints.map { $0.admin == nil && $0.grpc == nil } ?? true
            return !(endpoints?.instances.isEmpty ?? true) || endpoints?.dns != nil
                || (discovered && metricsSource == .prometheus && prometheus?.selectors[version.target] != nil)
        }
    }
}

/// How to reach one target.
public struct TargetEndpoints: Equatable, Sendable {
    /// Base URL of the HTTP admin port (`/metrics`, `/admin/...`), e.g. `http://127.0.0.1:9191`.
    public var admin: String?
    /// `host:port` of the gRPC port (health checks).
    public var grpc: String?
    /// For the router: which traffic provider speaks to it (one of ``routerKinds``).
    public var kind: String?
    /// For the router: the engine and how grayctl reaches it; nil when no router is configured.
    public var engine: RouterEngine?
    /// For the router: the full URL of its Prometheus exposition when it is not the gateway's
    /// `<admin>/metrics` (Envoy's `/stats/prometheus`: `targets.router.metrics`).
    public var metricsURL: String?

    /// For a version of many instances: the static list (`instances:`).
    public var instances: [InstanceEndpoints] = []
    /// For a version of many instances: the DNS name whose addresses are its instances (`dns:`).
    public var dns: DNSDiscovery?
    /// For a version of many instances named by Prometheus's `instance` label: the ports at which
    /// each one's host is reached (`prometheus_instances:`).
    public var prometheusInstances: InstancePorts?

    /// For a version: where its circuit breakers are read.
    public var breakers: BreakerSource = .auto

    /// The router kinds grayctl has a provider for.
    public static let routerKinds = ["gateway", "envoy", "haproxy", "istio", "httproute"]

    /// Creates endpoints.
    public init(admin: String? = nil, grpc: String? = nil, kind: String? = nil, breakers: BreakerSource = .auto) {
        self.admin = admin
        self.grpc = grpc
        self.kind = kind
        self.breakers = breakers
    }
}

/// The engine that splits traffic between stable and canary (`targets.router.kind`), and how
/// grayctl reaches it. Each kind has its own keys under `targets.router` (docs/endpoints.md).
public enum RouterEngine: Equatable, Sendable {
    /// The reference gateway: `GET/PUT /admin/canary` on its admin port (`admin`).
    case gateway(admin: String)
    /// Envoy: a route's `weighted_clusters` read from runtime keys `runtime_prefix.<cluster>`,
    /// through its admin API (`admin`).
    case envoy(admin: String, runtimePrefix: String, clusters: RouterSides)
    /// HAProxy: two servers of one backend, weighted through the runtime API (`socket`: `host:port`
    /// or a unix socket path).
    case haproxy(socket: String, backend: String, servers: RouterSides)
    /// An Istio VirtualService or a Gateway API HTTPRoute, through the Kubernetes API.
    case kubernetes(KubernetesRouteSettings)

    /// Where the engine is reached: names the release's journal and lock.
    public var address: String {
        switch self {
        case .gateway(let admin), .envoy(let admin, _, _): admin
        case .haproxy(let socket, _, _): socket
        case .kubernetes(let route): "kubernetes/\(route.kind.rawValue)/\(route.namespace ?? "-")/\(route.name)"
        }
    }
}

/// A route of the Kubernetes API as the router (`kind: istio` or `httproute`): which object, and
/// where the credentials come from (a kubeconfig, else the in-cluster service account).
public struct KubernetesRouteSettings: Equatable, Sendable {
    /// VirtualService or HTTPRoute.
    public var kind: KubernetesRoute.Kind
    /// The object's name.
    public var name: String
    /// Its namespace; nil: the kubeconfig context's, else the service account's, else `default`.
    public var namespace: String?
    /// The kubeconfig file; nil: `$KUBECONFIG`, else `~/.kube/config`, else in-cluster.
    public var kubeconfig: String?
    /// The kubeconfig context; nil: its current context.
    public var context: String?
    /// The stable and canary destinations: Istio subsets (else hosts) or HTTPRoute backendRef names.
    public var destinations: RouterSides

    /// A route named `name` of `kind`.
    public init(kind: KubernetesRoute.Kind, name: String, destinations: RouterSides = RouterSides()) {
        self.kind = kind
        self.name = name
        self.destinations = destinations
    }
}

/// The names an engine gives the stable and the canary side (HAProxy servers, Envoy clusters).
public struct RouterSides: Equatable, Sendable {
    /// The stable side's name.
    public var stable: String
    /// The canary side's name.
    public var canary: String

    /// Sides named `stable` and `canary`.
    public init(stable: String = "stable", canary: String = "canary") {
        self.stable = stable
        self.canary = canary
    }
}

/// One instance of a static list (`targets.<version>.instances[i]`).
public struct InstanceEndpoints: Equatable, Sendable {
    /// The instance's name (a pod name); else its ID is its admin (or gRPC) `host:port`.
    public var name: String?
    /// Base URL of its admin port.
    public var admin: String?
    /// `host:port` of its gRPC port.
    public var grpc: String?

    /// Creates an instance.
    public init(name: String? = nil, admin: String? = nil, grpc: String? = nil) {
        self.name = name
        self.admin = admin
        self.grpc = grpc
    }

    /// The instance's ID: its name, else its admin `host:port` (Prometheus's `instance` label when
    /// Prometheus scrapes that port), else its gRPC address; nil with neither.
    public var id: String? {
        name ?? admin.map(Self.hostPort) ?? grpc
    }

    /// `host:port` of a URL (`http://10.0.3.7:9191/x` → `10.0.3.7:9191`).
    public static func hostPort(_ url: String) -> String {
        let parts = url.split(separator: "/", omittingEmptySubsequences: false)
        let authority = parts.count > 2 && parts[0].hasSuffix(":") && parts[1].isEmpty ? parts[2] : parts[0]
        return String(authority)
    }
}

/// The ports at which each discovered instance's host is reached: the addresses of a DNS name, or
/// the hosts of Prometheus's `instance` label values.
public struct InstancePorts: Equatable, Sendable {
    /// Port of each instance's admin HTTP (`/metrics`, `/admin/...`).
    public var adminPort: Int?
    /// Port of each instance's gRPC (health).
    public var grpcPort: Int?
    /// `http` or `https` for the admin port.
    public var scheme = "http"

    /// Ports; neither is set yet.
    public init(adminPort: Int? = nil, grpcPort: Int? = nil) {
        self.adminPort = adminPort
        self.grpcPort = grpcPort
    }

    /// The endpoints of the instance at `host`: a name, an IPv4 address, or an IPv6 address with
    /// or without brackets.
    public func endpoints(host: String) -> InstanceEndpoints {
        let host = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return InstanceEndpoints(admin: adminPort.map { "\(scheme)://\(host):\($0)" }, grpc: grpcPort.map { "\(host):\($0)" })
    }

    /// The host of a Prometheus `instance` label value (`10.0.3.7:9191` → `10.0.3.7`,
    /// `[fd00::7]:9191` → `[fd00::7]`); the value itself when it carries no port.
    public static func host(ofLabel label: String) -> String {
        if label.hasPrefix("["), let close = label.firstIndex(of: "]") { return String(label[...close]) }
        guard let colon = label.lastIndex(of: ":"), label.firstIndex(of: ":") == colon,
            !label[label.index(after: colon)...].isEmpty, label[label.index(after: colon)...].allSatisfy(\.isNumber)
        else { return label }
        return String(label[..<colon])
    }
}

/// Instances found in DNS (`targets.<version>.dns`): every A/AAAA record of `name` (a Kubernetes
/// headless service) is an instance, re-resolved every `every` seconds. An address that leaves is
/// dropped, not counted as failing. An instance's ID is `address:admin_port` (Prometheus's
/// `instance` label when it scrapes that port), else `address:grpc_port`.
public struct DNSDiscovery: Equatable, Sendable {
    /// The name to resolve.
    public var name: String
    /// Where each address is reached.
    public var ports = InstancePorts()
    /// Seconds between resolutions.
    public var every: Double = 10

    /// Discovery of `name`.
    public init(name: String) {
        self.name = name
    }

    /// The endpoints of the instance at `address` (IPv6 in brackets).
    public func instance(at address: String) -> InstanceEndpoints {
        ports.endpoints(host: address)
    }
}

/// Where a version's circuit breakers are read (`targets.<version>.breakers`). Many real services
/// have no breakers at all: saying so (`none`) lets the other gates judge instead of holding for
/// breaker data that will never come; naming a source makes its absence an error that holds.
public enum BreakerSource: String, Equatable, Sendable, CaseIterable {
    /// `/admin/breakers` on the admin port, and the breaker gauge in the metrics; an admin port that
    /// answers 404 there exposes no breakers (shown as "not observed" unless a gauge says more).
    case auto
    /// `/admin/breakers`, required: a 404 or any failure is an error, and the gate holds.
    case admin
    /// Only the breaker gauge (`metrics.breaker_state`) in the version's metrics; none holds.
    case gauge
    /// The service has no breakers: not observed, never read.
    case none
}

/// Where grayctl reads the versions' (and the router's) metrics.
public enum MetricsSource: String, Equatable, Sendable, CaseIterable {
    /// Each target's admin `/metrics`, scraped every round.
    case scrape
    /// A Prometheus server's raw series, per target selector (see ``PrometheusSettings``).
    case prometheus
}

/// A Prometheus server as the metrics source (`prometheus:` in `grayctl.yaml`).
public struct PrometheusSettings: Equatable, Sendable {
    /// Base URL of the server's HTTP API.
    public var url: String
    /// File holding a bearer token (read at start, never printed).
    public var bearerTokenFile: String?
    /// CA bundle to verify the server (PEM).
    public var caFile: String?
    /// The most series one selector may return; more is an error naming it.
    public var maxSeries = 1000
    /// How the series are read: `/federate` (the default) or the query API.
    public var api = PrometheusAPI.federate
    /// Label selector per target (`{job="order-service",version="v2"}`); a target without one is
    /// scraped directly (a canary scraped fast beside a fleet read through Prometheus).
    public var selectors: [Target: String] = [:]

    /// Settings for the server at `url`.
    public init(url: String) {
        self.url = url
    }
}

/// How grayctl reads a Prometheus server's raw series (`prometheus.api`).
public enum PrometheusAPI: String, CaseIterable, Equatable, Sendable {
    /// `GET /federate`: each series' newest sample with its own time; no PromQL evaluated.
    case federate
    /// Instant queries through `/api/v1/query`, for servers without `/federate` (Thanos, Mimir,
    /// Cortex): the series, and each instance's oldest sample time as a second query.
    case query
}
