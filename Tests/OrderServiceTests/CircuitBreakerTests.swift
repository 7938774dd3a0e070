import OrderService
import Testing

@Suite("Circuit breaker with gobreaker semantics")
struct CircuitBreakerTests {
    static let settings: CircuitBreaker.Settings = {
        var settings = CircuitBreaker.Settings()
        settings.minRequests = 10
        return settings
    }()

    /// Sends `count` requests with the given outcome at time `now`.
    static func send(_ breaker: inout CircuitBreaker, _ count: Int, success: Bool, now: Double) {
        for _ in 0..<count {
            if case .success(let generation) = breaker.allow(now: now) {
                breaker.record(success: success, generation: generation, now: now)
            }
        }
    }

    @Test("trips when the failure ratio exceeds the threshold with enough requests; not before")
    func trips() {
        var breaker = CircuitBreaker(name: "order-stream", settings: Self.settings, now: 0)
        Self.send(&breaker, 6, success: true, now: 1)
        Self.send(&breaker, 3, success: false, now: 1)
        #expect(breaker.state == .closed, "9 requests < min 10")
        Self.send(&breaker, 1, success: false, now: 1)
        #expect(breaker.state == .open, "4 of 10 failed: 40% > 30%")
        #expect(breaker.allow(now: 2) == .failure(.open(retryAfter: 29)))
    }

    @Test("closed counts reset every interval")
    func interval() {
        var breaker = CircuitBreaker(name: "b", settings: Self.settings, now: 0)
        Self.send(&breaker, 9, success: true, now: 1)
        Self.send(&breaker, 3, success: false, now: 61)
        #expect(breaker.state == .closed)
        #expect(breaker.counts.requests == 3)
    }

    @Test("open → half-open after the timeout → closed after max_requests successes")
    func recovers() {
        var breaker = CircuitBreaker(name: "b", settings: Self.settings, now: 0)
        Self.send(&breaker, 10, success: false, now: 1)
        #expect(breaker.current(now: 30) == .open)
        #expect(breaker.current(now: 31) == .halfOpen)
        Self.send(&breaker, 4, success: true, now: 31)
        #expect(breaker.state == .halfOpen)
        Self.send(&breaker, 1, success: true, now: 31)
        #expect(breaker.state == .closed)
        #expect(breaker.transitions.map(\.to) == [.open, .halfOpen, .closed])
    }

    @Test("half-open lets only max_requests through, and one failure re-opens")
    func halfOpen() {
        var breaker = CircuitBreaker(name: "b", settings: Self.settings, now: 0)
        Self.send(&breaker, 10, success: false, now: 1)
        _ = breaker.current(now: 40)
        var generations: [UInt64] = []
        for _ in 0..<5 {
            if case .success(let generation) = breaker.allow(now: 40) { generations.append(generation) }
        }
        #expect(generations.count == 5)
        #expect(breaker.allow(now: 40) == .failure(.tooManyRequests))
        breaker.record(success: false, generation: generations[0], now: 40)
        #expect(breaker.state == .open)
    }

    @Test("results from an older generation are ignored")
    func staleGeneration() {
        var breaker = CircuitBreaker(name: "b", settings: Self.settings, now: 0)
        guard case .success(let old) = breaker.allow(now: 1) else { Issue.record("refused"); return }
        Self.send(&breaker, 10, success: false, now: 1)
        _ = breaker.current(now: 40)
        breaker.record(success: false, generation: old, now: 40)
        #expect(breaker.state == .halfOpen)
    }
}
