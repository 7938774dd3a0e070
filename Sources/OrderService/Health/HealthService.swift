public import GRPCCore
public import OrderAPI
import SwiftProtobuf

/// `grpc.health.v1.Health`: `Check` answers the status or `NOT_FOUND`; `Watch` streams the status
/// and every change (`SERVICE_UNKNOWN` for an unknown name) until the client goes away or the
/// server drains.
public struct HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    private let store: HealthStatusStore

    /// Creates the service over `store`.
    public init(store: HealthStatusStore) {
        self.store = store
    }

    public func check(
        request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard let status = store.status(of: request.service) else {
            throw RPCError(code: .notFound, message: "unknown service \"\(request.service)\"")
        }
        return .with { $0.status = status }
    }

    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        let (stream, stop) = store.watch(request.service)
        // The server only signals cancellation; without this handler a watch would never end.
        try await store.counting {
            try await withRPCCancellationHandler {
                for await status in stream {
                    try await response.write(.with { $0.status = status })
                }
            } onCancelRPC: {
                stop()
            }
        }
    }
}
