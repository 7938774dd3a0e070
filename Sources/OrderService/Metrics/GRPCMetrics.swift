public import Prometheus
import Synchronization

/// go-grpc-prometheus compatible metrics of one side of gRPC: `grpc_server_*` on instances,
/// `grpc_client_*` (with an `upstream` label) on the gateway.
///
/// Names and labels as `docs/endpoints.md` fixes them: `*_started_total`, `*_handled_total`
/// (with `grpc_code`), `*_msg_received_total`, `*_msg_sent_total` and the histogram
/// `*_handling_seconds` with go-grpc-prometheus's default buckets. For streams, every message
/// answered counts as one handled request with its own code and latency. Thread-safe.
public final class GRPCMetrics: Sendable {
    /// Which side: decides the name prefix and the help texts.
    public enum Side: String, Sendable {
        /// Instances: `grpc_server_*`.
        case server
        /// The gateway's calls to upstreams: `grpc_client_*`.
        case client
    }

    /// One gRPC method, as labels.
    public struct Method: Sendable, Hashable {
        /// e.g. `order.v1.OrderService`.
        public var service: String
        /// e.g. `CreateOrderStream`.
        public var name: String
        /// `unary`, `client_stream`, `server_stream` or `bidi_stream`.
        public var type: String

        /// Creates a method.
        public init(service: String, name: String, type: String) {
            self.service = service
            self.name = name
            self.type = type
        }
    }

    /// go-grpc-prometheus's default latency buckets, in seconds.
    public static let buckets: [Duration] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map {
        Duration.nanoseconds(Int64($0 * 1e9))
    }

    private let registry: PrometheusCollectorRegistry
    private let side: Side
    private let extraLabels: [(String, String)]

    /// Which counter family.
    private enum Family: String, Sendable {
        case started, msgReceived = "msg_received", msgSent = "msg_sent", handled
    }

    private struct CounterKey: Hashable, Sendable {
        var family: Family
        var method: Method
        var code: String?
    }

    // The registry looks metrics up by name and labels under a lock and builds label strings: done
    // once per series here, not per message.
    private let counters = Mutex<[CounterKey: Counter]>([:])
    private let histograms = Mutex<[Method: DurationHistogram]>([:])

    /// Creates metrics in `registry`; `extraLabels` (e.g. `upstream`) go on every series.
    public init(registry: PrometheusCollectorRegistry, side: Side, extraLabels: [(String, String)] = []) {
        self.registry = registry
        self.side = side
        self.extraLabels = extraLabels
    }

    private var prefix: String { "grpc_\(side.rawValue)" }
    private var role: String { side == .server ? "server" : "client" }

    private func labels(_ method: Method) -> [(String, String)] {
        [("grpc_method", method.name), ("grpc_service", method.service), ("grpc_type", method.type)] + extraLabels
    }

    /// An RPC (or stream) started.
    public func started(_ method: Method) {
        counter(.started, method, help: "Total number of RPCs started on the \(role).").increment()
    }

    /// A message was received.
    public func received(_ method: Method) {
        counter(.msgReceived, method, help: "Total number of RPC stream messages received on the \(role).").increment()
    }

    /// A message was sent.
    public func sent(_ method: Method) {
        counter(.msgSent, method, help: "Total number of gRPC stream messages sent by the \(role).").increment()
    }

    /// A request was answered with `code` (a go-grpc-prometheus code name) after `duration`.
    public func handled(_ method: Method, code: String, duration: Duration) {
        counter(.handled, method, code: code, help: "Total number of RPCs completed on the \(role), regardless of success or failure.")
            .increment()
        histogram(method).record(duration)
    }

    private func counter(_ family: Family, _ method: Method, code: String? = nil, help: String) -> Counter {
        let key = CounterKey(family: family, method: method, code: code)
        if let counter = counters.withLock({ $0[key] }) { return counter }
        let labels = (code.map { [("grpc_code", $0)] } ?? []) + labels(method)
        let counter = registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "\(prefix)_\(family.rawValue)", unitName: "total", helpText: help),
            labels: labels)
        counters.withLock { $0[key] = counter }
        return counter
    }

    private func histogram(_ method: Method) -> DurationHistogram {
        if let histogram = histograms.withLock({ $0[method] }) { return histogram }
        let histogram = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "\(prefix)_handling", unitName: "seconds",
                helpText: "Histogram of response latency (seconds) of gRPC that had been application-level handled by the \(role)."),
            labels: labels(method), buckets: Self.buckets)
        histograms.withLock { $0[method] = histogram }
        return histogram
    }
}
