import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Hummingbird
import Logging
import NIOCore
import OrderAPI
public import Prometheus

/// One order-service process: the gRPC server (order service + health) and the HTTP admin port,
/// with graceful drain.
///
/// Lifecycle: `run` binds both ports (0 picks a free one), marks the instance SERVING and ready,
/// reports the ports, then serves until `drain()`: health turns NOT_SERVING and `/readyz` 503,
/// `Watch` streams end, the gRPC server stops accepting RPCs and lets open ones finish; after the
/// drain deadline whatever is left is cancelled, and `run` returns.
public final class OrderServiceApp: Sendable {
    /// How to run.
    public struct Configuration: Sendable {
        /// `stable` or `canary`.
        public var role: String
        /// e.g. `v2`.
        public var version: String
        /// Address to bind both ports to.
        public var host = "127.0.0.1"
        /// gRPC port (0: any free port).
        public var grpcPort = 0
        /// Admin HTTP port (0: any free port).
        public var adminPort = 0
        /// Seconds open RPCs get to finish once draining.
        public var drainTimeout: Double = 10
        /// Token for admin mutations, if any.
        public var token: BearerToken?
        /// Initial stock per SKU.
        public var stock: [String: Int]
        /// Breaker settings for every guarded method.
        public var breaker = CircuitBreaker.Settings()
        /// TLS files for the gRPC port (none: plaintext).
        public var tls = TLSFiles()

        /// Creates a configuration.
        public init(role: String, version: String, stock: [String: Int]) {
            self.role = role
            self.version = version
            self.stock = stock
        }
    }

    /// Where the process listens, once running.
    public struct Ports: Sendable, Equatable {
        /// gRPC port.
        public var grpc: Int
        /// Admin HTTP port.
        public var admin: Int
    }

    /// Health statuses (tests and drills may change them).
    public let health: HealthStatusStore
    /// Injected faults.
    public let faults: FaultInjector
    /// The metrics registry behind `/metrics`.
    public let registry: PrometheusCollectorRegistry
    /// Stock.
    public let inventory: Inventory
    private let configuration: Configuration
    private let routes: AdminRoutes
    private let handler: OrderServiceHandler
    private let drainSignal: AsyncStream<Void>
    private let drainContinuation: AsyncStream<Void>.Continuation
    private let log: @Sendable (String) -> Void

    /// Builds the service; nothing listens until `run`.
    public init(configuration: Configuration, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.log = log
        let now: @Sendable () -> Double = { Date().timeIntervalSince1970 }
        registry = PrometheusCollectorRegistry()
        health = HealthStatusStore(services: ["", "order.v1.OrderService"], initial: .notServing)
        faults = FaultInjector()
        inventory = Inventory(stock: configuration.stock)
        let breakers = BreakerBoard(
            breakers: [
                ("order-create", "/order.v1.OrderService/CreateOrder", configuration.breaker),
                ("order-stream", "/order.v1.OrderService/CreateOrderStream", configuration.breaker),
            ],
            now: now(), registry: registry, log: log)
        let metrics = GRPCMetrics(registry: registry, side: .server)
        let node: UInt64 = configuration.role == "canary" ? 2 : 1
        let processor = OrderProcessor(.init(
            inventory: inventory, ids: OrderIDGenerator(node: node, clock: { Int64(now() * 1000) }), breakers: breakers,
            faults: faults, metrics: metrics, version: configuration.version, now: now))
        handler = OrderServiceHandler(processor: processor, metrics: metrics)
        routes = AdminRoutes(
            info: .init(
                service: "order-service", version: configuration.version, role: configuration.role,
                startedAt: HTTPAnswer.timestamp(now())),
            registry: registry, breakers: breakers, faults: faults, token: configuration.token, now: now, log: log)
        (drainSignal, drainContinuation) = AsyncStream<Void>.makeStream()
    }

    /// Starts draining (idempotent): the same as SIGTERM.
    public func drain() {
        drainContinuation.yield()
    }

    /// Serves until drained; calls `onListening` once both ports are bound.
    public func run(onListening: @escaping @Sendable (Ports) -> Void) async throws {
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: configuration.host, port: configuration.grpcPort), transportSecurity: configuration.tls.server)
        let server = GRPCServer(transport: transport, services: [handler, HealthService(store: health)])
        let (adminPorts, adminPortContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: routes.router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.adminPort), serverName: "order-service"),
            onServerRunning: { channel in
                adminPortContinuation.yield(channel.localAddress?.port ?? 0)
                adminPortContinuation.finish()
            },
            logger: .init(label: "order-service.admin"))
        let health = self.health
        let routes = self.routes
        let drainable = DrainableServer(
            serveGRPC: { try await server.serve() }, serveAdmin: { try await app.run() },
            beginGracefulShutdown: { server.beginGracefulShutdown() })
        try await drainable.run(
            whenListening: {
                guard let grpcPort = try await transport.listeningAddress.ipv4?.port else {
                    throw RPCError(code: .internalError, message: "gRPC server did not bind an IPv4 address")
                }
                var adminPort = 0
                for await port in adminPorts { adminPort = port }
                health.setAll(.serving)
                routes.ready.set(true)
                onListening(Ports(grpc: grpcPort, admin: adminPort))
            },
            drainSignal: drainSignal,
            onDrain: {
                routes.ready.set(false)
                health.setAll(.notServing)
                await health.finishWatchers()
            },
            drainTimeout: configuration.drainTimeout, log: log)
    }
}
