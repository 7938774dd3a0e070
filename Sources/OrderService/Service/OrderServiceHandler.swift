public import GRPCCore
public import OrderAPI

/// `order.v1.OrderService` over gRPC: `CreateOrder` answers one request; `CreateOrderStream`
/// answers each request in order on a stream that stays open. A failed request ends its stream
/// with that request's status (gRPC has no per-message status); the client opens a new stream.
public struct OrderServiceHandler: Order_V1_OrderService.SimpleServiceProtocol {
    private let processor: OrderProcessor
    private let metrics: GRPCMetrics

    /// Creates the handler.
    public init(processor: OrderProcessor, metrics: GRPCMetrics) {
        self.processor = processor
        self.metrics = metrics
    }

    public func createOrder(request: Order_V1_CreateOrderRequest, context: ServerContext) async throws -> Order_V1_CreateOrderResponse {
        metrics.started(OrderProcessor.unary)
        return try await processor.process(request, method: OrderProcessor.unary)
    }

    public func createOrderStream(
        request: RPCAsyncSequence<Order_V1_CreateOrderRequest, any Error>, response: RPCWriter<Order_V1_CreateOrderResponse>,
        context: ServerContext
    ) async throws {
        metrics.started(OrderProcessor.stream)
        for try await message in request {
            try await response.write(try await processor.process(message, method: OrderProcessor.stream))
        }
    }
}
