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

    /// The defaults.
    public init() {}
}

/// How to reach one target.
public struct TargetEndpoints: Equatable, Sendable {
    /// Base URL of the HTTP admin port (`/metrics`, `/admin/...`), e.g. `http://127.0.0.1:9191`.
    public var admin: String?
    /// `host:port` of the gRPC port (health checks).
    public var grpc: String?
    /// For the router: which traffic provider speaks to it (one of ``routerKinds``).
    public var kind: String?

    /// The router kinds grayctl has a provider for.
    public static let routerKinds = ["gateway"]

    /// Creates endpoints.
    public init(admin: String? = nil, grpc: String? = nil, kind: String? = nil) {
        self.admin = admin
        self.grpc = grpc
        self.kind = kind
    }
}
