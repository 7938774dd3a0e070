import Synchronization

/// The gateway's canary weight with a generation for optimistic concurrency (`ETag`/`If-Match`).
/// Every change is atomic and bumps the generation. Thread-safe.
public final class CanaryWeight: Sendable {
    /// One state of the weight.
    public struct State: Sendable, Equatable {
        /// Canary weight in percent, 0...100.
        public var weight: Int
        /// Bumped by every change.
        public var generation: UInt64
        /// When it was last changed, seconds since the Unix epoch.
        public var updatedAt: Double
        /// Who changed it last.
        public var updatedBy: String
    }

    /// Why a change was refused.
    public enum ChangeError: Error, Equatable, Sendable {
        /// Not in 0...100.
        case outOfRange(Int)
        /// `If-Match` named another generation.
        case generationMismatch(expected: UInt64, current: UInt64)
    }

    private let state: Mutex<State>

    /// Starts at `weight`, generation 1.
    public init(weight: Int, now: Double) {
        state = Mutex(State(weight: weight, generation: 1, updatedAt: now, updatedBy: "startup"))
    }

    /// The current state.
    public var current: State { state.withLock { $0 } }

    /// Sets the weight if `ifMatch` (when given) is the current generation.
    public func set(_ weight: Int, ifMatch: UInt64?, by: String, now: Double) throws(ChangeError) -> State {
        guard (0...100).contains(weight) else { throw .outOfRange(weight) }
        let result: Result<State, ChangeError> = state.withLock { state in
            if let ifMatch, ifMatch != state.generation {
                return .failure(.generationMismatch(expected: ifMatch, current: state.generation))
            }
            state = State(weight: weight, generation: state.generation + 1, updatedAt: now, updatedBy: by)
            return .success(state)
        }
        return try result.get()
    }

    /// Picks the upstream of one call: canary with probability weight/100 (`draw` in 0..<1).
    public func pick(draw: Double) -> Upstream {
        draw * 100 < Double(current.weight) ? .canary : .stable
    }
}

/// The two upstreams of the gateway.
public enum Upstream: String, Sendable, CaseIterable {
    /// The stable version.
    case stable
    /// The canary version.
    case canary
}
