import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import OrderAPI
import OrderService
import SwiftProtobuf

/// An order-service instance running in this test process on free loopback ports.
final class RunningService: Sendable {
    let app: OrderServiceApp
    let ports: OrderServiceApp.Ports
    let task: Task<Void, any Error>
    static let token = "test-token-\(UInt32.random(in: 0...UInt32.max))"

    private init(app: OrderServiceApp, ports: OrderServiceApp.Ports, task: Task<Void, any Error>) {
        self.app = app
        self.ports = ports
        self.task = task
    }

    /// Starts an instance and waits until both ports listen.
    static func start(
        role: String = "canary", stock: [String: Int] = ["sku-1": 1_000_000, "sku-2": 5], drainTimeout: Double = 5,
        breaker: CircuitBreaker.Settings = CircuitBreaker.Settings()
    ) async throws -> RunningService {
        var configuration = OrderServiceApp.Configuration(role: role, version: role == "canary" ? "v2" : "v1", stock: stock)
        configuration.drainTimeout = drainTimeout
        configuration.token = BearerToken(token)
        configuration.breaker = breaker
        let app = OrderServiceApp(configuration: configuration, log: { _ in })
        let (portStream, continuation) = AsyncStream<OrderServiceApp.Ports>.makeStream()
        let task = Task {
            try await app.run { ports in
                continuation.yield(ports)
                continuation.finish()
            }
        }
        var ports: OrderServiceApp.Ports?
        for await bound in portStream { ports = bound }
        guard let ports else { throw RPCError(code: .internalError, message: "service did not start") }
        return RunningService(app: app, ports: ports, task: task)
    }

    /// Drains and waits for `run` to return.
    func stop() async throws {
        app.drain()
        try await task.value
    }

    /// Runs `body` with an OrderService client and a Health client on the instance.
    func withClients<T: Sendable>(
        _ body: (Order_V1_OrderService.Client<HTTP2ClientTransport.Posix>, Grpc_Health_V1_Health.Client<HTTP2ClientTransport.Posix>) async throws -> T
    ) async throws -> T {
        try await withGRPCClient(
            transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: ports.grpc), transportSecurity: .plaintext)
        ) { client in
            try await body(Order_V1_OrderService.Client(wrapping: client), Grpc_Health_V1_Health.Client(wrapping: client))
        }
    }

    /// An HTTP request to the admin port.
    func admin(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(ports.admin)\(path)")!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A request for `count` units of each SKU.
func orderRequest(user: String = "u1", items: [(String, Int32)] = [("sku-1", 1)]) -> Order_V1_CreateOrderRequest {
    .with { request in
        request.userID = user
        request.items = items.map { item in .with { $0.skuID = item.0; $0.count = item.1 } }
    }
}
