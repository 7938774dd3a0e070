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
    /// The label holding the gRPC status code name.
    public var codeLabel = "grpc_code"
    /// The router label naming the upstream version (`stable` or `canary`).
    public var upstreamLabel = "upstream"
    /// Breaker state gauge (0 closed, 1 half-open, 2 open).
    public var breakerState = "circuit_breaker_state"

    /// The defaults.
    public init() {}
}

/// gRPC status codes counted as failures; the rest (client faults) are not.
public struct FailureCodes: Equatable, Sendable {
    /// Code names as go-grpc-prometheus writes them in `grpc_code`.
    public var names: Set<String>

    /// The defaults of `docs/endpoints.md`.
    public static let defaults = FailureCodes(names: [
        "Unknown", "DeadlineExceeded", "Unimplemented", "Internal", "Unavailable", "DataLoss",
    ])

    /// Creates a set.
    public init(names: Set<String>) {
        self.names = names
    }

    /// Every code name gRPC defines, for validating configuration.
    public static let allCodeNames: Set<String> = [
        "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists",
        "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange",
        "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated",
    ]
}
