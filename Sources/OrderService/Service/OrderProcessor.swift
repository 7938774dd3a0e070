public import GRPCCore
public import OrderAPI
import SwiftProtobuf

/// The path of one order request through the service, shared by the unary and the streaming
/// method: breaker → injected faults → validation → inventory → id. Every request is counted in
/// the metrics with its own code and latency, and reported to its breaker (client faults such as
/// `INVALID_ARGUMENT` do not count as breaker failures). Thread-safe.
public struct OrderProcessor: Sendable {
    /// What a processor needs.
    public struct Dependencies: Sendable {
        /// Stock.
        public var inventory: Inventory
        /// Order ids.
        public var ids: OrderIDGenerator
        /// Breakers by method.
        public var breakers: BreakerBoard
        /// Injected faults.
        public var faults: FaultInjector
        /// Server metrics.
        public var metrics: GRPCMetrics
        /// The version answering (`served_by`).
        public var version: String
        /// Wall-clock seconds since the Unix epoch.
        public var now: @Sendable () -> Double

        /// Creates dependencies.
        public init(
            inventory: Inventory, ids: OrderIDGenerator, breakers: BreakerBoard, faults: FaultInjector,
            metrics: GRPCMetrics, version: String, now: @escaping @Sendable () -> Double
        ) {
            self.inventory = inventory
            self.ids = ids
            self.breakers = breakers
            self.faults = faults
            self.metrics = metrics
            self.version = version
            self.now = now
        }
    }

    /// The unary method, as metric labels.
    public static let unary = GRPCMetrics.Method(service: "order.v1.OrderService", name: "CreateOrder", type: "unary")
    /// The streaming method, as metric labels.
    public static let stream = GRPCMetrics.Method(service: "order.v1.OrderService", name: "CreateOrderStream", type: "bidi_stream")

    private let dependencies: Dependencies

    /// Creates a processor.
    public init(_ dependencies: Dependencies) {
        self.dependencies = dependencies
    }

    /// Answers one request of `method`, or throws the `RPCError` it is answered with.
    public func process(_ request: Order_V1_CreateOrderRequest, method: GRPCMetrics.Method) async throws -> Order_V1_CreateOrderResponse {
        let clock = ContinuousClock()
        let start = clock.now
        let metrics = dependencies.metrics
        metrics.received(method)
        do {
            let response = try await guarded(request, method: method)
            metrics.sent(method)
            metrics.handled(method, code: "OK", duration: clock.now - start)
            return response
        } catch {
            metrics.handled(method, code: error.code.prometheusName, duration: clock.now - start)
            throw error
        }
    }

    private func guarded(_ request: Order_V1_CreateOrderRequest, method: GRPCMetrics.Method) async throws(RPCError) -> Order_V1_CreateOrderResponse {
        let path = "/\(method.service)/\(method.name)"
        let breakers = dependencies.breakers
        var generation: UInt64?
        switch breakers.allow(method: path, now: dependencies.now()) {
        case .failure(let refusal):
            let retryAfter: Double
            switch refusal {
            case .open(let seconds): retryAfter = seconds
            case .tooManyRequests: retryAfter = 1
            }
            let name = breakers.methods[path] ?? path
            throw RPCError(
                code: .unavailable, message: "circuit breaker \(name) is open: retry later",
                metadata: ["retry-after-ms": "\(Int((retryAfter * 1000).rounded(.up)))"])
        case .success(let allowed):
            generation = allowed
        case nil:
            break
        }
        do {
            let response = try await handle(request, method: method)
            if let generation { breakers.record(method: path, success: true, generation: generation, now: dependencies.now()) }
            return response
        } catch {
            if let generation {
                breakers.record(method: path, success: !error.code.isServiceFailure, generation: generation, now: dependencies.now())
            }
            throw error
        }
    }

    private func handle(_ request: Order_V1_CreateOrderRequest, method: GRPCMetrics.Method) async throws(RPCError) -> Order_V1_CreateOrderResponse {
        let plan = dependencies.faults.plan(for: method.name, draw: Double.random(in: 0..<1))
        if plan.delayMilliseconds > 0 {
            try? await Task.sleep(for: .milliseconds(plan.delayMilliseconds))
        }
        if plan.fail { throw RPCError(code: .internalError, message: "injected fault (POST /admin/faults)") }
        if let problem = OrderValidation.problem(request) {
            throw RPCError(code: .invalidArgument, message: problem)
        }
        do {
            _ = try dependencies.inventory.reserveAll(request.items.map { ($0.skuID, Int($0.count)) })
        } catch {
            switch error {
            case .unknownSKU: throw RPCError(code: .notFound, message: error.description)
            case .insufficient: throw RPCError(code: .failedPrecondition, message: error.description)
            }
        }
        let id = dependencies.ids.next()
        return .with {
            $0.orderID = id
            $0.status = .pending
            $0.servedBy = dependencies.version
            $0.createdAtMs = OrderIDGenerator.milliseconds(of: id)
        }
    }
}

extension Error {
    fileprivate var code: RPCError.Code {
        (self as? RPCError)?.code ?? .unknown
    }
}
