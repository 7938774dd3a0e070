/// The run loop shared by the order-service and the gateway: serve gRPC and the admin port until
/// a drain is requested, then stop accepting RPCs, let open ones finish until a deadline, and stop.
public struct DrainableServer: Sendable {
    /// Serves gRPC until its graceful shutdown completes.
    public var serveGRPC: @Sendable () async throws -> Void
    /// Serves the admin port until cancelled.
    public var serveAdmin: @Sendable () async throws -> Void
    /// Other work that lasts as long as the server (cancelled at the end), e.g. client connections.
    public var background: [@Sendable () async throws -> Void]
    /// Stops accepting new RPCs; open ones continue.
    public var beginGracefulShutdown: @Sendable () -> Void

    /// Creates a server description.
    public init(
        serveGRPC: @escaping @Sendable () async throws -> Void, serveAdmin: @escaping @Sendable () async throws -> Void,
        background: [@Sendable () async throws -> Void] = [], beginGracefulShutdown: @escaping @Sendable () -> Void
    ) {
        self.serveGRPC = serveGRPC
        self.serveAdmin = serveAdmin
        self.background = background
        self.beginGracefulShutdown = beginGracefulShutdown
    }

    private enum Finished: Sendable {
        case grpc, other, deadline
    }

    /// Runs until drained.
    ///
    /// - Parameters:
    ///   - whenListening: awaits both ports being bound and marks the process ready.
    ///   - drainSignal: the first element starts the drain.
    ///   - onDrain: marks the process not ready (health NOT_SERVING, `/readyz` 503) before
    ///     the server stops accepting.
    ///   - drainTimeout: seconds open RPCs get; then everything left is cancelled.
    public func run(
        whenListening: @escaping @Sendable () async throws -> Void, drainSignal: AsyncStream<Void>,
        onDrain: @escaping @Sendable () async -> Void, drainTimeout: Double, log: @escaping @Sendable (String) -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Finished.self) { group in
            let grpc = serveGRPC
            let admin = serveAdmin
            group.addTask {
                try await grpc()
                return .grpc
            }
            group.addTask {
                try await admin()
                return .other
            }
            for work in background {
                group.addTask {
                    try await work()
                    return .other
                }
            }
            try await whenListening()
            for await _ in drainSignal { break }
            log("draining: not ready, open RPCs get \(drainTimeout) s")
            await onDrain()
            beginGracefulShutdown()
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int(drainTimeout * 1000)))
                return .deadline
            }
            while let finished = try await group.next() {
                if finished == .grpc {
                    log("drained: every RPC finished")
                    break
                }
                if finished == .deadline {
                    log("drain deadline passed: cancelling what is left")
                    break
                }
            }
            group.cancelAll()
        }
    }
}
