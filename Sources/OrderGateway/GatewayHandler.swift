public import GRPCCore
public import GRPCNIOTransportHTTP2Posix
public import OrderAPI
public import OrderService

/// The gateway's `order.v1.OrderService`: each unary call and each new stream goes to the stable or
/// the canary upstream by the current weight; a stream stays pinned to its upstream. Upstream
/// errors pass through with their code; an unreachable upstream answers `UNAVAILABLE`.
/// Per-upstream client metrics count every message answered, with its code and latency.
public struct GatewayHandler: Order_V1_OrderService.SimpleServiceProtocol {
    /// One upstream: its client and its metrics.
    public struct Route: Sendable {
        /// The client to the upstream.
        public var client: Order_V1_OrderService.Client<HTTP2ClientTransport.Posix>
        /// `grpc_client_*{upstream=...}`.
        public var metrics: GRPCMetrics

        /// Creates a route.
        public init(client: Order_V1_OrderService.Client<HTTP2ClientTransport.Posix>, metrics: GRPCMetrics) {
            self.client = client
            self.metrics = metrics
        }
    }

    private let weight: CanaryWeight
    private let routes: [Upstream: Route]

    /// Creates the handler over both upstreams.
    public init(weight: CanaryWeight, stable: Route, canary: Route) {
        self.weight = weight
        self.routes = [.stable: stable, .canary: canary]
    }

    private func route() -> Route {
        routes[weight.pick(draw: Double.random(in: 0..<1))]!
    }

    public func createOrder(request: Order_V1_CreateOrderRequest, context: ServerContext) async throws -> Order_V1_CreateOrderResponse {
        let route = route()
        let method = OrderProcessor.unary
        let clock = ContinuousClock()
        let start = clock.now
        route.metrics.started(method)
        route.metrics.sent(method)
        do {
            let response = try await route.client.createOrder(request)
            route.metrics.received(method)
            route.metrics.handled(method, code: "OK", duration: clock.now - start)
            return response
        } catch {
            let failure = Self.rpcError(error)
            route.metrics.handled(method, code: failure.code.prometheusName, duration: clock.now - start)
            throw failure
        }
    }

    public func createOrderStream(
        request: RPCAsyncSequence<Order_V1_CreateOrderRequest, any Error>, response: RPCWriter<Order_V1_CreateOrderResponse>,
        context: ServerContext
    ) async throws {
        let route = route()
        let method = OrderProcessor.stream
        let sentTimes = SendTimes()
        route.metrics.started(method)
        do {
            try await route.client.createOrderStream { writer in
                for try await message in request {
                    sentTimes.push(ContinuousClock.now)
                    route.metrics.sent(method)
                    try await writer.write(message)
                }
            } onResponse: { upstream in
                for try await message in upstream.messages {
                    route.metrics.received(method)
                    route.metrics.handled(method, code: "OK", duration: sentTimes.popElapsed())
                    try await response.write(message)
                }
            }
        } catch {
            let failure = Self.rpcError(error)
            if sentTimes.pending > 0 {
                route.metrics.handled(method, code: failure.code.prometheusName, duration: sentTimes.popElapsed())
            }
            throw failure
        }
    }

    /// Upstream errors keep their code, message and application metadata (`retry-after-ms`); the
    /// upstream's transport headers are dropped (sent again they would break the stream). Anything
    /// else is `UNAVAILABLE`.
    static func rpcError(_ error: any Error) -> RPCError {
        guard let upstream = error as? RPCError else {
            return RPCError(code: .unavailable, message: "upstream failed: \(error)")
        }
        let metadata = Metadata(upstream.metadata.filter { element in
            let name = element.key.lowercased()
            return !(name.hasPrefix(":") || name.hasPrefix("grpc-") || name == "content-type" || name == "te")
        })
        return RPCError(code: upstream.code, message: upstream.message, metadata: metadata)
    }
}
