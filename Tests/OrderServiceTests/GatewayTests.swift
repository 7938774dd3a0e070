import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import GrayCore
import OrderAPI
import OrderGateway
import OrderService
import SwiftProtobuf
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A gateway in this process in front of two running instances.
final class RunningGateway: Sendable {
    let app: GatewayApp
    let grpc: Int
    let admin: Int
    let stable: RunningService
    let canary: RunningService
    let task: Task<Void, any Error>
    static let token = "gateway-token"

    private init(app: GatewayApp, grpc: Int, admin: Int, stable: RunningService, canary: RunningService, task: Task<Void, any Error>) {
        self.app = app
        self.grpc = grpc
        self.admin = admin
        self.stable = stable
        self.canary = canary
        self.task = task
    }

    static func start(weight: Int = 0) async throws -> RunningGateway {
        let stable = try await RunningService.start(role: "stable")
        let canary = try await RunningService.start(role: "canary")
        var configuration = GatewayApp.Configuration(stable: "127.0.0.1:\(stable.ports.grpc)", canary: "127.0.0.1:\(canary.ports.grpc)")
        configuration.weight = weight
        configuration.token = BearerToken(token)
        configuration.drainTimeout = 2
        let app = GatewayApp(configuration: configuration, log: { _ in })
        let (ports, continuation) = AsyncStream<(Int, Int)>.makeStream()
        let task = Task {
            try await app.run { grpc, admin in
                continuation.yield((grpc, admin))
                continuation.finish()
            }
        }
        var bound = (0, 0)
        for await pair in ports { bound = pair }
        return RunningGateway(app: app, grpc: bound.0, admin: bound.1, stable: stable, canary: canary, task: task)
    }

    func stop() async throws {
        app.drain()
        try await task.value
        try await stable.stop()
        if !canary.task.isCancelled { try? await canary.stop() }
    }

    func withClient<T: Sendable>(_ body: (Order_V1_OrderService.Client<HTTP2ClientTransport.Posix>) async throws -> T) async throws -> T {
        try await withGRPCClient(
            transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: grpc), transportSecurity: .plaintext)
        ) { client in try await body(Order_V1_OrderService.Client(wrapping: client)) }
    }

    func http(_ method: String, _ path: String, body: String? = nil, token: String? = nil, ifMatch: String? = nil)
        async throws -> (status: Int, body: String, etag: String?)
    {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(admin)\(path)")!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let ifMatch { request.setValue(ifMatch, forHTTPHeaderField: "If-Match") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, String(decoding: data, as: UTF8.self), http?.value(forHTTPHeaderField: "ETag"))
    }
}

@Suite("order-gateway: weighted split, pinned streams, admin API", .serialized)
struct GatewayTests {
    @Test("GET/PUT /admin/canary: token, 400/401/409, ETag and If-Match generations")
    func adminAPI() async throws {
        let gateway = try await RunningGateway.start()
        let initial = try await gateway.http("GET", "/admin/canary")
        #expect(initial.status == 200 && initial.etag == "\"1\"")
        #expect(initial.body.contains(#""weight":0"#) && initial.body.contains(#""generation":1"#))
        #expect(try await gateway.http("PUT", "/admin/canary", body: #"{"weight":5}"#).status == 401)
        #expect(try await gateway.http("PUT", "/admin/canary", body: #"{"weight":5}"#, token: "nope").status == 401)
        for bad in ["x", "[5]", #"{"weight":101}"#, #"{"weight":-1}"#, #"{"weight":5.5}"#, #"{"weight":"5"}"#, "{}"] {
            #expect(try await gateway.http("PUT", "/admin/canary", body: bad, token: RunningGateway.token).status == 400, "\(bad)")
        }
        #expect(try await gateway.http("PUT", "/admin/canary", body: #"{"weight":5}"#, token: RunningGateway.token, ifMatch: "\"9\"").status == 409)
        let changed = try await gateway.http("PUT", "/admin/canary", body: #"{"weight":5}"#, token: RunningGateway.token, ifMatch: "\"1\"")
        #expect(changed.status == 200 && changed.etag == "\"2\"" && changed.body.contains(#""weight":5"#))
        #expect(try await gateway.http("PUT", "/admin/canary", body: #"{"weight":10}"#, token: RunningGateway.token, ifMatch: "\"1\"").status == 409)
        let metrics = try await gateway.http("GET", "/metrics")
        #expect(metrics.body.contains("gateway_canary_weight 5"))
        try await gateway.stop()
    }

    @Test("2,000 calls split by weight within statistical tolerance; client metrics per upstream")
    func split() async throws {
        let gateway = try await RunningGateway.start(weight: 20)
        let served = try await gateway.withClient { orders in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        var canary = 0
                        for _ in 0..<200 where try await orders.createOrder(orderRequest()).servedBy == "v2" { canary += 1 }
                        return canary
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        // Binomial(2000, 0.2): mean 400, sd 17.9; 4.5 sd either side.
        #expect(abs(served - 400) <= 80, "\(served) of 2000 went to the canary")
        let metrics = try await gateway.http("GET", "/metrics")
        let exposition = try ExpositionParser.parse(metrics.body)
        let canaryOK = exposition.samples.first {
            $0.name == "grpc_client_handled_total" && $0.label("upstream") == "canary" && $0.label("grpc_code") == "OK"
        }
        #expect(canaryOK?.value == Double(served))
        try await gateway.stop()
    }

    @Test("a stream stays pinned to one upstream")
    func pinned() async throws {
        let gateway = try await RunningGateway.start(weight: 50)
        for _ in 0..<6 {
            let versions = try await gateway.withClient { orders in
                try await orders.createOrderStream { writer in
                    for _ in 0..<30 { try await writer.write(orderRequest()) }
                } onResponse: { response in
                    var versions: Set<String> = []
                    for try await message in response.messages { versions.insert(message.servedBy) }
                    return versions
                }
            }
            #expect(versions.count == 1)
        }
        try await gateway.stop()
    }

    @Test("an unreachable upstream answers UNAVAILABLE; upstream codes pass through")
    func upstreamFailures() async throws {
        let gateway = try await RunningGateway.start(weight: 100)
        do {
            _ = try await gateway.withClient { orders in try await orders.createOrder(orderRequest(user: "")) }
            Issue.record("accepted")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument && error.message == "user_id must not be empty", "\(error)")
        }
        try await gateway.canary.stop()
        do {
            _ = try await gateway.withClient { orders in try await orders.createOrder(orderRequest()) }
            Issue.record("answered by a stopped canary")
        } catch let error as RPCError {
            #expect(error.code == .unavailable)
        }
        gateway.app.drain()
        try await gateway.task.value
        try await gateway.stable.stop()
    }
}
