/// One circuit breaker as `/admin/breakers` reports it.
public struct BreakerStatus: Equatable, Sendable {
    /// Breaker state, gobreaker style.
    public enum State: String, Sendable {
        /// Calls pass.
        case closed
        /// Calls are refused with `UNAVAILABLE`.
        case open
        /// A few trial calls pass.
        case halfOpen = "half-open"
    }

    /// One state change.
    public struct Transition: Equatable, Sendable {
        /// When, as the service wrote it (RFC 3339).
        public var at: String
        /// State before.
        public var from: State
        /// State after.
        public var to: State

        /// Creates a transition.
        public init(at: String, from: State, to: State) {
            self.at = at
            self.from = from
            self.to = to
        }
    }

    /// Breaker name, e.g. `order-stream`.
    public var name: String
    /// Full gRPC method the breaker guards.
    public var method: String
    /// Current state.
    public var state: State
    /// Since when (RFC 3339), if reported.
    public var since: String?
    /// Recent transitions, oldest first.
    public var transitions: [Transition]

    /// Creates a breaker status.
    public init(name: String, method: String, state: State, since: String? = nil, transitions: [Transition] = []) {
        self.name = name
        self.method = method
        self.state = state
        self.since = since
        self.transitions = transitions
    }
}
