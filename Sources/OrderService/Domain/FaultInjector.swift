import Synchronization

/// Faults injected for drills and the demo through `POST /admin/faults`: a failure ratio and/or
/// added latency, for one method or all. Thread-safe.
public final class FaultInjector: Sendable {
    /// One fault setting.
    public struct Fault: Sendable, Equatable {
        /// Share of requests that fail with `INTERNAL` (0...1).
        public var errorRatio: Double
        /// Latency added to every request, milliseconds.
        public var latencyMilliseconds: Int
        /// The method it applies to (`CreateOrder`, `CreateOrderStream`, or the full path); nil: all.
        public var method: String?

        /// Creates a fault.
        public init(errorRatio: Double = 0, latencyMilliseconds: Int = 0, method: String? = nil) {
            self.errorRatio = errorRatio
            self.latencyMilliseconds = latencyMilliseconds
            self.method = method
        }
    }

    private let current = Mutex<Fault?>(nil)

    /// Creates an injector with no fault.
    public init() {}

    /// The fault in force, if any.
    public var fault: Fault? { current.withLock { $0 } }

    /// Sets (or with nil clears) the fault.
    public func set(_ fault: Fault?) {
        current.withLock { $0 = fault }
    }

    /// What to do to one request of `method` (the method name, e.g. `CreateOrderStream`).
    public func plan(for method: String, draw: Double) -> (delayMilliseconds: Int, fail: Bool) {
        guard let fault = fault else { return (0, false) }
        if let target = fault.method, target != method, !target.hasSuffix("/" + method) { return (0, false) }
        return (fault.latencyMilliseconds, draw < fault.errorRatio)
    }
}
