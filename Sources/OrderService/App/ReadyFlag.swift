import Synchronization

/// Whether a process is ready (`/readyz`): false while starting and while draining. Thread-safe.
public final class ReadyFlag: Sendable {
    private let value = Atomic<Bool>(false)

    /// Creates a flag that is not ready.
    public init() {}

    /// Whether ready.
    public var isReady: Bool { value.load(ordering: .relaxed) }

    /// Sets readiness.
    public func set(_ ready: Bool) {
        value.store(ready, ordering: .relaxed)
    }
}
