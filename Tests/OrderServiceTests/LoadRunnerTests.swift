import GRPCCore
import OrderAPI
import OrderLoad
import OrderService
import SwiftProtobuf
import Testing

@Suite("order-load: bounded runs, per-request latency, status codes", .serialized)
struct LoadRunnerTests {
    static func plan(_ call: LoadPlan.Call, total: Int?, duration: Double? = nil, rps: Double? = nil) throws -> LoadPlan {
        LoadPlan(
            call: call, concurrency: 4, total: total, duration: duration, rps: rps,
            template: try Order_V1_CreateOrderRequest(jsonString: #"{"user_id":"u-{{n}}","items":[{"sku_id":"sku-1","count":1}]}"#))
    }

    @Test("unary and stream runs answer exactly --total requests", arguments: [LoadPlan.Call.unary, .stream])
    func total(call: LoadPlan.Call) async throws {
        let service = try await RunningService.start()
        let report = try await service.withClients { orders, _ in
            try await LoadRunner.run(try Self.plan(call, total: 200), client: orders) { _, _, _ in }
        }
        #expect(report.count == 200)
        #expect(report.codes == ["OK": 200])
        #expect(report.count == report.codes.values.reduce(0, +))
        #expect(report.json.contains(#""count":200"#))
        try await service.stop()
    }

    @Test("failures are counted by code and streams are reopened after them")
    func failures() async throws {
        let service = try await RunningService.start(stock: ["sku-1": 30])
        let report = try await service.withClients { orders, _ in
            try await LoadRunner.run(try Self.plan(.stream, total: 60), client: orders) { _, _, _ in }
        }
        #expect(report.count == 60)
        #expect(report.codes == ["OK": 30, "FailedPrecondition": 30])
        try await service.stop()
    }

    @Test("the rate cap and the duration bound the run")
    func bounded() async throws {
        let service = try await RunningService.start()
        let report = try await service.withClients { orders, _ in
            try await LoadRunner.run(try Self.plan(.unary, total: nil, duration: 1, rps: 50), client: orders) { _, _, _ in }
        }
        // The cap is the property: never more than 50/s (+1 for the request due at t = 0). How close a
        // busy test machine gets to the cap is throughput, not correctness.
        #expect(report.count <= 51, "\(report.count) requests in 1 s at 50/s")
        #expect(report.count >= 10)
        #expect(report.duration < 2)
        try await service.stop()
    }

    @Test("the template's {{n}} becomes the request number")
    func template() throws {
        let plan = try Self.plan(.unary, total: 1)
        #expect(plan.request(42).userID == "u-42")
    }
}
