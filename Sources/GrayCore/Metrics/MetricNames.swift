/// Which metric and label names carry requests, codes and latency.
///
/// Defaults are go-grpc-prometheus's. A router that exposes per-upstream client metrics
/// (`grpc_client_*{upstream=...}`) is preferred as the source of both versions' traffic; otherwise
/// each version's instances' server metrics are used.
public struct MetricNames: Equatable, Sendable {
    /// Server-side handled counter on instances.
    public var serverHandled = "grpc_server_handled_total"
    /// Server-side latency histogram family on instances (without `_bucket`).
    public var serverLatency = "grpc_server_handling_seconds"
    /// Client-side handled counter on the router, split by `upstreamLabel`.
    public var clientHandled = "grpc_client_handled_total"
    /// Client-side latency histogram family on the router.
    public var clientLatency = "grpc_client_handling_seconds"
    /// Seconds per unit of the router's latency buckets (`le`): 1, or 0.001 for a histogram in
    /// milliseconds (Envoy's `upstream_rq_time`; `metrics.client_latency_unit: milliseconds`).
    public var clientLatencyScale = 1.0
    /// The label holding the gRPC status code name.
    public var codeLabel = "grpc_code"
    /// The router label naming the upstream version.
    public var upstreamLabel = "upstream"
    /// The value of `upstreamLabel` that means each version on the router (`stable`, `canary` by
    /// default; e.g. `orders-v1`, `orders-v2` for a router that names clusters).
    public var upstreamValues: [Version: String] = [.stable: "stable", .canary: "canary"]
    /// Breaker state gauge (0 closed, 1 half-open, 2 open).
    public var breakerState = "circuit_breaker_state"
    /// The label holding the gRPC service name.
    public var serviceLabel = "grpc_service"
    /// Services whose calls are not traffic: go-grpc-prometheus counts every health check (grayctl's,
    /// the kubelet's) and reflection call, which would pad a version's requests with successes.
    public var ignoredServices: Set<String> = [
        "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
    ]

    /// The defaults.
    public init() {}
}

/// gRPC status codes counted as failures; the rest (client faults) are not.
public struct FailureCodes: Equatable, Sendable {
    /// The failing codes.
    public var codes: Set<GRPCStatusCode>

    /// The defaults of `docs/endpoints.md`.
    public static let defaults = FailureCodes(codes: [.unknown, .deadlineExceeded, .unimplemented, .internal, .unavailable, .dataLoss])

    /// Creates a set.
    public init(codes: Set<GRPCStatusCode>) {
        self.codes = codes
    }

    /// Whether a request with code label `value` failed; nil when `value` is no gRPC status code in
    /// any spelling (such a request is neither a success nor a failure: the error gate holds).
    public func isFailure(_ value: String) -> Bool? {
        GRPCStatusCode(label: value).map { codes.contains($0) }
    }
}
