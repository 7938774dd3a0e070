import Foundation
import GRPCCore
import GrayCore
import GrayTesting
import OrderAPI
import OrderService
import SwiftProtobuf
import Testing

@Suite("order-service over real gRPC and HTTP on 127.0.0.1", .serialized)
struct ServiceOverLoopbackTests {
    @Test("unary: an order is created, answered by the canary's version")
    func unary() async throws {
        let service = try await RunningService.start()
        let response = try await service.withClients { orders, _ in try await orders.createOrder(orderRequest()) }
        #expect(response.orderID > 0 && response.status == .pending && response.servedBy == "v2")
        try await service.stop()
    }

    @Test("every validation error is INVALID_ARGUMENT naming the field; out of stock is FAILED_PRECONDITION", arguments: [
        (orderRequest(user: ""), RPCError.Code.invalidArgument, "user_id must not be empty"),
        (orderRequest(items: []), .invalidArgument, "items must contain at least one item"),
        (orderRequest(items: [("", 1)]), .invalidArgument, "items[0].sku_id must not be empty"),
        (orderRequest(items: [("sku-1", 0)]), .invalidArgument, "items[0].count must be at least 1 (got 0)"),
        (orderRequest(items: [("sku-2", 6)]), .failedPrecondition, "insufficient stock for sku_id \"sku-2\": requested 6, available 5"),
        (orderRequest(items: [("nope", 1)]), .notFound, "unknown sku_id \"nope\""),
    ])
    func errors(request: Order_V1_CreateOrderRequest, code: RPCError.Code, message: String) async throws {
        let service = try await RunningService.start()
        do {
            _ = try await service.withClients { orders, _ in try await orders.createOrder(request) }
            Issue.record("accepted")
        } catch let error as RPCError {
            #expect(error.code == code)
            #expect(error.message == message)
        }
        try await service.stop()
    }

    @Test("a stream answers each request in order and stays open for many")
    func stream() async throws {
        let service = try await RunningService.start()
        let ids = try await service.withClients { orders, _ in
            try await orders.createOrderStream { writer in
                for index in 0..<200 { try await writer.write(orderRequest(user: "u\(index)")) }
            } onResponse: { response in
                var ids: [UInt64] = []
                for try await message in response.messages { ids.append(message.orderID) }
                return ids
            }
        }
        #expect(ids.count == 200)
        #expect(ids == ids.sorted() && Set(ids).count == 200)
        try await service.stop()
    }

    @Test("concurrent streams never oversell a small stock")
    func oversellRace() async throws {
        let service = try await RunningService.start(stock: ["sku-1": 1_000_000, "sku-2": 50])
        let outcomes = try await service.withClients { orders, _ in
            try await withThrowingTaskGroup(of: (ok: Int, short: Int).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        var ok = 0
                        var short = 0
                        for _ in 0..<10 {
                            do {
                                _ = try await orders.createOrderStream { writer in
                                    try await writer.write(orderRequest(items: [("sku-2", 1)]))
                                } onResponse: { response in
                                    for try await _ in response.messages {}
                                }
                                ok += 1
                            } catch let error as RPCError where error.code == .failedPrecondition {
                                short += 1
                            }
                        }
                        return (ok, short)
                    }
                }
                return try await group.reduce((0, 0)) { ($0.0 + $1.ok, $0.1 + $1.short) }
            }
        }
        #expect(outcomes.0 == 50 && outcomes.1 == 150)
        #expect(service.app.inventory.record("sku-2")?.available == 0)
        try await service.stop()
    }

    @Test("injected failures trip the breaker: UNAVAILABLE with retry-after-ms, then half-open, then closed")
    func breaker() async throws {
        var settings = CircuitBreaker.Settings()
        settings.minRequests = 10
        settings.timeout = 1
        settings.maxRequests = 2
        let service = try await RunningService.start(breaker: settings)
        let set = try await service.admin("POST", "/admin/faults", body: #"{"error_ratio":1,"method":"CreateOrder"}"#, token: RunningService.token)
        #expect(set.status == 200)
        var codes: [RPCError.Code] = []
        var retryAfter: String?
        try await service.withClients { orders, _ in
            for _ in 0..<12 {
                do {
                    _ = try await orders.createOrder(orderRequest())
                } catch let error as RPCError {
                    codes.append(error.code)
                    if error.code == .unavailable { retryAfter = error.metadata["retry-after-ms"].first { _ in true }.map { "\($0)" } }
                }
            }
        }
        #expect(codes.prefix(10).allSatisfy { $0 == .internalError })
        #expect(codes.suffix(2).allSatisfy { $0 == .unavailable })
        #expect(retryAfter != nil)
        let open = try await service.admin("GET", "/admin/breakers")
        #expect(open.body.contains(#""state":"open""#))
        _ = try await service.admin("POST", "/admin/faults", body: "{}", token: RunningService.token)
        try await Task.sleep(for: .milliseconds(1_100))
        try await service.withClients { orders, _ in
            for _ in 0..<2 { _ = try await orders.createOrder(orderRequest()) }
        }
        let closed = try await service.admin("GET", "/admin/breakers")
        let document = try JSONParser.parse(closed.body)
        let createBreaker = try #require(try BreakersDecoder.decode(document).first { $0.name == "order-create" })
        #expect(createBreaker.state == .closed)
        #expect(createBreaker.transitions.map(\.to) == [.open, .halfOpen, .closed])
        let metrics = try await service.admin("GET", "/metrics")
        #expect(metrics.body.contains(#"circuit_breaker_transitions_total{name="order-create",from="closed",to="open"} 1"#))
        try await service.stop()
    }

    @Test("health Check and Watch, NOT_FOUND and SERVICE_UNKNOWN for unknown names, NOT_SERVING on drain")
    func health() async throws {
        let service = try await RunningService.start()
        let statuses = try await service.withClients { _, health in
            let whole = try await health.check(.with { $0.service = "" })
            let named = try await health.check(.with { $0.service = "order.v1.OrderService" })
            var unknownCode: RPCError.Code?
            do { _ = try await health.check(.with { $0.service = "nope" }) } catch let error as RPCError { unknownCode = error.code }
            let unknownWatch = try await health.watch(.with { $0.service = "nope" }) { response in
                for try await message in response.messages { return message.status }
                return .unknown
            }
            let watched = try await health.watch(.with { $0.service = "" }) { response in
                var seen: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
                for try await message in response.messages {
                    seen.append(message.status)
                    if seen.count == 1 { service.app.drain() }
                }
                return seen
            }
            return (whole.status, named.status, unknownCode, unknownWatch, watched)
        }
        #expect(statuses.0 == .serving && statuses.1 == .serving)
        #expect(statuses.2 == .notFound)
        #expect(statuses.3 == .serviceUnknown)
        #expect(statuses.4 == [.serving, .notServing])
        try await service.task.value
    }

    @Test("drain: /readyz turns 503 and an open stream completes its in-flight request")
    func drain() async throws {
        let service = try await RunningService.start(drainTimeout: 5)
        let ready = try await service.admin("GET", "/readyz")
        #expect(ready.status == 200)
        let ids = try await service.withClients { orders, _ in
            try await orders.createOrderStream { writer in
                try await writer.write(orderRequest())
                try await Task.sleep(for: .milliseconds(200))
                service.app.drain()
                try await Task.sleep(for: .milliseconds(200))
                try await writer.write(orderRequest(user: "during-drain"))
            } onResponse: { response in
                var ids: [UInt64] = []
                for try await message in response.messages { ids.append(message.orderID) }
                return ids
            }
        }
        #expect(ids.count == 2, "the request sent while draining was answered")
        try await service.task.value
    }

    @Test("admin: info, auth on faults, bad bodies; metrics parse with grayctl's parser and pass promtool")
    func admin() async throws {
        let service = try await RunningService.start()
        _ = try await service.withClients { orders, _ in try await orders.createOrder(orderRequest()) }
        let info = try await service.admin("GET", "/admin/info")
        #expect(info.body.contains(#""role":"canary""#) && info.body.contains(#""version":"v2""#))
        #expect(try await service.admin("POST", "/admin/faults", body: "{}").status == 401)
        #expect(try await service.admin("POST", "/admin/faults", body: "{}", token: "wrong").status == 401)
        #expect(try await service.admin("POST", "/admin/faults", body: "[1]", token: RunningService.token).status == 400)
        #expect(try await service.admin("POST", "/admin/faults", body: #"{"error_ratio":2}"#, token: RunningService.token).status == 400)
        let metrics = try await service.admin("GET", "/metrics")
        let exposition = try ExpositionParser.parse(metrics.body)
        let handled = exposition.samples.first { $0.name == "grpc_server_handled_total" && $0.label("grpc_method") == "CreateOrder" }
        #expect(handled?.label("grpc_code") == "OK" && handled?.value == 1)
        #expect(exposition.types["grpc_server_handling_seconds"] == .histogram)
        let promtool = try PromtoolCheck.run(metrics.body)
        #expect(promtool.status == 0, "promtool check metrics: \(promtool.output)")
        try await service.stop()
    }
}
