import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Hummingbird
import Logging
import NIOCore
import OrderAPI
public import OrderService
public import Prometheus

/// One gateway process: gRPC front for `order.v1.OrderService` splitting traffic between the
/// stable and canary upstreams by weight, plus the admin port. `drain()` stops it gracefully.
public final class GatewayApp: Sendable {
    /// How to run.
    public struct Configuration: Sendable {
        /// `host:port` of the stable upstream's gRPC port (several, comma-separated: round robin).
        public var stable: String
        /// `host:port` of the canary upstream's gRPC port (several, comma-separated: round robin).
        public var canary: String
        /// Initial canary weight.
        public var weight = 0
        /// Address to bind.
        public var host = "127.0.0.1"
        /// gRPC port (0: any free port).
        public var grpcPort = 0
        /// Admin port (0: any free port).
        public var adminPort = 0
        /// Token for `PUT /admin/canary`.
        public var token: BearerToken?
        /// Seconds open calls get to finish once draining.
        public var drainTimeout: Double = 10
        /// TLS files of the gateway's own gRPC port.
        public var tls = TLSFiles()
        /// TLS files for calls to the upstreams.
        public var upstreamTLS = TLSFiles()

        /// Creates a configuration.
        public init(stable: String, canary: String) {
            self.stable = stable
            self.canary = canary
        }
    }

    /// Why the gateway cannot start.
    public enum StartError: Error, CustomStringConvertible {
        /// An upstream address is not `host:port`.
        case badUpstream(String)

        public var description: String {
            switch self {
            case .badUpstream(let address): return "upstream \"\(address)\" is not host:port"
            }
        }
    }

    /// The weight (tests may read it).
    public let weight: CanaryWeight
    /// Metrics behind `/metrics`.
    public let registry: PrometheusCollectorRegistry
    private let configuration: Configuration
    private let routes: GatewayRoutes
    private let log: @Sendable (String) -> Void
    private let drainSignal: AsyncStream<Void>
    private let drainContinuation: AsyncStream<Void>.Continuation

    /// Builds the gateway; nothing listens until `run`.
    public init(configuration: Configuration, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.log = log
        let now: @Sendable () -> Double = { Date().timeIntervalSince1970 }
        registry = PrometheusCollectorRegistry()
        weight = CanaryWeight(weight: configuration.weight, now: now())
        routes = GatewayRoutes(
            weight: weight, upstreams: [.stable: configuration.stable, .canary: configuration.canary], registry: registry,
            token: configuration.token, now: now, log: log)
        (drainSignal, drainContinuation) = AsyncStream<Void>.makeStream()
    }

    /// Starts draining: stop accepting, let open calls finish, then stop.
    public func drain() {
        drainContinuation.yield()
    }

    /// A client of one version's upstreams: `host:port`, or several IPv4 `host:port`s separated by
    /// commas, balanced round robin (a version of many instances).
    private static func client(_ addresses: String, tls: TLSFiles) throws -> GRPCClient<HTTP2ClientTransport.Posix> {
        var pairs: [(host: String, port: Int)] = []
        for address in addresses.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), colon != address.startIndex else {
                throw StartError.badUpstream(address)
            }
            pairs.append((String(address[..<colon]), port))
        }
        guard let first = pairs.first else { throw StartError.badUpstream(addresses) }
        if pairs.count == 1 {
            return GRPCClient(
                transport: try .http2NIOPosix(
                    target: .dns(host: first.host, port: first.port), transportSecurity: tls.client, config: .answeringPings))
        }
        return GRPCClient(
            transport: try .http2NIOPosix(
                target: .ipv4(pairs: pairs), transportSecurity: tls.client, config: .answeringPings,
                serviceConfig: ServiceConfig(loadBalancingConfig: [.roundRobin])))
    }

    /// Serves until drained; calls `onListening` with the gRPC and admin ports once bound.
    public func run(onListening: @escaping @Sendable (_ grpc: Int, _ admin: Int) -> Void) async throws {
        let stableClient = try Self.client(configuration.stable, tls: configuration.upstreamTLS)
        let canaryClient = try Self.client(configuration.canary, tls: configuration.upstreamTLS)
        let handler = GatewayHandler(
            weight: weight,
            stable: .init(
                client: Order_V1_OrderService.Client(wrapping: stableClient),
                metrics: GRPCMetrics(registry: registry, side: .client, extraLabels: [("upstream", "stable")])),
            canary: .init(
                client: Order_V1_OrderService.Client(wrapping: canaryClient),
                metrics: GRPCMetrics(registry: registry, side: .client, extraLabels: [("upstream", "canary")])))
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: configuration.host, port: configuration.grpcPort), transportSecurity: configuration.tls.server)
        let server = GRPCServer(transport: transport, services: [handler])
        let (adminPorts, adminPortContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: routes.router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.adminPort), serverName: "order-gateway"),
            onServerRunning: { channel in
                adminPortContinuation.yield(channel.localAddress?.port ?? 0)
                adminPortContinuation.finish()
            },
            logger: .init(label: "order-gateway.admin"))
        let routes = self.routes
        let drainable = DrainableServer(
            serveGRPC: { try await server.serve() }, serveAdmin: { try await app.run() },
            background: [{ try await stableClient.runConnections() }, { try await canaryClient.runConnections() }],
            beginGracefulShutdown: { server.beginGracefulShutdown() })
        try await drainable.run(
            whenListening: {
                guard let grpcPort = try await transport.listeningAddress.ipv4?.port else {
                    throw RPCError(code: .internalError, message: "gateway did not bind an IPv4 address")
                }
                var adminPort = 0
                for await port in adminPorts { adminPort = port }
                routes.ready.set(true)
                onListening(grpcPort, adminPort)
            },
            drainSignal: drainSignal,
            onDrain: { routes.ready.set(false) },
            drainTimeout: configuration.drainTimeout, log: log)
    }
}
