/// A circuit breaker with sony/gobreaker semantics. Pure: time is passed in, so tests drive it.
///
/// Closed: requests pass and are counted; counts reset every `interval` (0 = never); the breaker
/// trips (opens) when at least `minRequests` were counted and the failure ratio exceeds
/// `errorThreshold`. Open: requests are refused until `timeout` has passed, then half-open.
/// Half-open: up to `maxRequests` trial requests pass; that many successes in a row close it, one
/// failure opens it again. Each state change starts a new generation; results reported for an
/// older generation are ignored (a request that started before the change).
public struct CircuitBreaker: Sendable {
    /// Breaker state.
    public enum State: String, Sendable, Equatable {
        /// Requests pass.
        case closed
        /// Requests are refused.
        case open
        /// A few trial requests pass.
        case halfOpen = "half-open"
    }

    /// Tunables (the seed's values for `CreateOrderStream` are the defaults).
    public struct Settings: Sendable, Equatable {
        /// Failure ratio above which the breaker trips.
        public var errorThreshold = 0.3
        /// Requests needed before it may trip.
        public var minRequests = 20
        /// Seconds after which closed counts reset (0: never).
        public var interval: Double = 60
        /// Seconds the breaker stays open.
        public var timeout: Double = 30
        /// Trial requests allowed while half-open.
        public var maxRequests = 5

        /// The defaults.
        public init() {}
    }

    /// Request counts of the current generation.
    public struct Counts: Sendable, Equatable {
        /// Requests allowed.
        public var requests = 0
        /// Successes.
        public var totalSuccesses = 0
        /// Failures.
        public var totalFailures = 0
        /// Successes since the last failure.
        public var consecutiveSuccesses = 0
        /// Failures since the last success.
        public var consecutiveFailures = 0
    }

    /// One state change.
    public struct Transition: Sendable, Equatable {
        /// When (seconds since the Unix epoch).
        public var at: Double
        /// Before.
        public var from: State
        /// After.
        public var to: State
    }

    /// Why a request was refused.
    public enum Refusal: Error, Sendable, Equatable {
        /// Open; retry after this many seconds.
        case open(retryAfter: Double)
        /// Half-open and the trial requests are taken; retry after this many seconds.
        case tooManyRequests
    }

    /// Name, e.g. `order-stream`.
    public let name: String
    /// The tunables.
    public let settings: Settings
    /// Current state (as of the last call).
    public private(set) var state = State.closed
    /// Counts of the current generation.
    public private(set) var counts = Counts()
    /// When the current state began.
    public private(set) var since: Double
    /// Recent transitions, oldest first (at most 20).
    public private(set) var transitions: [Transition] = []
    private var generation: UInt64 = 0
    private var expiry: Double

    /// Creates a closed breaker at time `now`.
    public init(name: String, settings: Settings = Settings(), now: Double) {
        self.name = name
        self.settings = settings
        self.since = now
        self.expiry = settings.interval > 0 ? now + settings.interval : .infinity
    }

    /// Asks to let a request through; on success returns the generation to report its result with.
    public mutating func allow(now: Double) -> Result<UInt64, Refusal> {
        advance(now: now)
        switch state {
        case .open:
            return .failure(.open(retryAfter: max(0, expiry - now)))
        case .halfOpen where counts.requests >= settings.maxRequests:
            return .failure(.tooManyRequests)
        default:
            counts.requests += 1
            return .success(generation)
        }
    }

    /// Reports the result of a request allowed in `generation`.
    public mutating func record(success: Bool, generation: UInt64, now: Double) {
        advance(now: now)
        guard generation == self.generation else { return }
        if success {
            counts.totalSuccesses += 1
            counts.consecutiveSuccesses += 1
            counts.consecutiveFailures = 0
            if state == .halfOpen, counts.consecutiveSuccesses >= settings.maxRequests {
                change(to: .closed, now: now)
            }
        } else {
            counts.totalFailures += 1
            counts.consecutiveFailures += 1
            counts.consecutiveSuccesses = 0
            switch state {
            case .closed:
                let ratio = Double(counts.totalFailures) / Double(max(counts.requests, 1))
                if counts.requests >= settings.minRequests, ratio > settings.errorThreshold {
                    change(to: .open, now: now)
                }
            case .halfOpen:
                change(to: .open, now: now)
            case .open:
                break
            }
        }
    }

    /// The state at `now` (open turns half-open after the timeout).
    public mutating func current(now: Double) -> State {
        advance(now: now)
        return state
    }

    private mutating func advance(now: Double) {
        switch state {
        case .closed where now >= expiry:
            newGeneration(now: now)
        case .open where now >= expiry:
            change(to: .halfOpen, now: now)
        default:
            break
        }
    }

    private mutating func change(to newState: State, now: Double) {
        guard newState != state else { return }
        transitions.append(Transition(at: now, from: state, to: newState))
        if transitions.count > 20 { transitions.removeFirst(transitions.count - 20) }
        state = newState
        since = now
        newGeneration(now: now)
    }

    private mutating func newGeneration(now: Double) {
        generation &+= 1
        counts = Counts()
        switch state {
        case .closed: expiry = settings.interval > 0 ? now + settings.interval : .infinity
        case .open: expiry = now + settings.timeout
        case .halfOpen: expiry = .infinity
        }
    }
}
