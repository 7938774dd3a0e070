public import OrderAPI
import Synchronization

/// The health status of each service name, with watchers told of every change. Thread-safe.
///
/// Known names are `""` (the server as a whole) and `order.v1.OrderService`. Draining sets every
/// name to `NOT_SERVING`; `finishWatchers()` ends every `Watch` stream so graceful shutdown can
/// complete.
public final class HealthStatusStore: Sendable {
    /// A serving status.
    public typealias Status = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private struct State {
        var statuses: [String: Status]
        var watchers: [Int: (service: String, continuation: AsyncStream<Status>.Continuation)] = [:]
        var nextWatcher = 0
        var finished = false
        var openHandlers = 0
    }

    private let state: Mutex<State>

    /// Creates a store where every name in `services` has `initial`.
    public init(services: [String], initial: Status) {
        state = Mutex(State(statuses: Dictionary(uniqueKeysWithValues: services.map { ($0, initial) })))
    }

    /// The status of `service`, nil when the name is unknown.
    public func status(of service: String) -> Status? {
        state.withLock { $0.statuses[service] }
    }

    /// Sets every known name to `status` and tells watchers.
    public func setAll(_ status: Status) {
        state.withLock { state in
            for name in state.statuses.keys { state.statuses[name] = status }
            for watcher in state.watchers.values { watcher.continuation.yield(status) }
        }
    }

    /// A stream of `service`'s status: the current one first, then every change, until `stop` is
    /// called, `finishWatchers()` or the consumer stops. Unknown names get `SERVICE_UNKNOWN`.
    public func watch(_ service: String) -> (stream: AsyncStream<Status>, stop: @Sendable () -> Void) {
        let (stream, continuation) = AsyncStream<Status>.makeStream(bufferingPolicy: .bufferingNewest(4))
        let id: Int? = state.withLock { state in
            continuation.yield(state.statuses[service] ?? .serviceUnknown)
            guard !state.finished else {
                continuation.finish()
                return nil
            }
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = (service, continuation)
            return id
        }
        if let id {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
            }
        }
        return (stream, { continuation.finish() })
    }

    /// Runs one `Watch` handler's `body`, counted so that ``finishWatchers()`` can wait for it.
    public func counting<T>(_ body: () async throws -> T) async rethrows -> T {
        state.withLock { $0.openHandlers += 1 }
        defer { state.withLock { $0.openHandlers -= 1 } }
        return try await body()
    }

    /// Ends every watch stream and refuses new ones, then waits (up to 1 s) until every `Watch`
    /// handler has written its last status and returned: graceful shutdown signals cancellation
    /// to open RPCs, which would otherwise race the final NOT_SERVING.
    public func finishWatchers() async {
        finishStreams()
        for _ in 0..<100 where state.withLock({ $0.openHandlers }) > 0 {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func finishStreams() {
        let continuations = state.withLock { state -> [AsyncStream<Status>.Continuation] in
            state.finished = true
            let all = state.watchers.values.map(\.continuation)
            state.watchers.removeAll()
            return all
        }
        for continuation in continuations { continuation.finish() }
    }
}
