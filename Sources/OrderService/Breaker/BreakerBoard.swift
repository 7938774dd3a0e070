public import Prometheus
import Synchronization

/// The service's circuit breakers, one per guarded method, shared by all requests. Thread-safe.
///
/// State changes are counted (`circuit_breaker_transitions_total{name,from,to}`), exposed as a
/// gauge (`circuit_breaker_state{name}`: 0 closed, 1 half-open, 2 open) and logged.
public final class BreakerBoard: Sendable {
    private let breakers: Mutex<[String: CircuitBreaker]>
    private let registry: PrometheusCollectorRegistry
    private let log: @Sendable (String) -> Void
    /// Breaker names by the method they guard.
    public let methods: [String: String]

    /// Creates breakers named `name` for `method` (full path, e.g. `/order.v1.OrderService/CreateOrderStream`).
    public init(
        breakers list: [(name: String, method: String, settings: CircuitBreaker.Settings)], now: Double,
        registry: PrometheusCollectorRegistry, log: @escaping @Sendable (String) -> Void
    ) {
        var byName: [String: CircuitBreaker] = [:]
        var methods: [String: String] = [:]
        for entry in list {
            byName[entry.name] = CircuitBreaker(name: entry.name, settings: entry.settings, now: now)
            methods[entry.method] = entry.name
        }
        self.breakers = Mutex(byName)
        self.methods = methods
        self.registry = registry
        self.log = log
        for entry in list { gauge(entry.name).set(to: 0) }
    }

    /// Lets a request of `method` through its breaker (methods without one always pass).
    public func allow(method: String, now: Double) -> Result<UInt64, CircuitBreaker.Refusal>? {
        guard let name = methods[method] else { return nil }
        return update(name, now: now) { $0.allow(now: now) }
    }

    /// Reports the outcome of a request allowed in `generation`.
    public func record(method: String, success: Bool, generation: UInt64, now: Double) {
        guard let name = methods[method] else { return }
        update(name, now: now) { $0.record(success: success, generation: generation, now: now) }
    }

    /// A snapshot of every breaker (state advanced to `now`), sorted by name.
    public func snapshot(now: Double) -> [CircuitBreaker] {
        let names = breakers.withLock { Array($0.keys) }.sorted()
        return names.compactMap { name in update(name, now: now) { $0 } }
    }

    /// Runs `body` on breaker `name` under the lock, then publishes any transitions it caused.
    @discardableResult
    private func update<T>(_ name: String, now: Double, _ body: (inout CircuitBreaker) -> T) -> T? {
        let (result, newTransitions, state) = breakers.withLock { all -> (T?, [CircuitBreaker.Transition], CircuitBreaker.State?) in
            guard var breaker = all[name] else { return (nil, [], nil) }
            let before = breaker.transitions.count
            _ = breaker.current(now: now)
            let result = body(&breaker)
            let added = breaker.transitions.count >= before ? Array(breaker.transitions.suffix(breaker.transitions.count - before)) : breaker.transitions
            all[name] = breaker
            return (result, added, breaker.state)
        }
        for transition in newTransitions {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "circuit_breaker_transitions", unitName: "total",
                    helpText: "Circuit breaker state changes."),
                labels: [("name", name), ("from", transition.from.rawValue), ("to", transition.to.rawValue)]
            ).increment()
            log("breaker \(name): \(transition.from.rawValue) -> \(transition.to.rawValue)")
        }
        if let state, !newTransitions.isEmpty {
            gauge(name).set(to: state == .closed ? 0 : state == .halfOpen ? 1 : 2)
        }
        return result
    }

    private func gauge(_ name: String) -> Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "circuit_breaker", unitName: "state",
                helpText: "Circuit breaker state (0 closed, 1 half-open, 2 open)."),
            labels: [("name", name)])
    }
}
