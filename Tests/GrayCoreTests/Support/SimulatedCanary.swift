import Foundation
import GrayCore
import GraySimulation

/// A simulated canary instance: cumulative server counters as go-grpc-prometheus would expose them.
struct SimulatedCanary {
    static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    var ok = 0.0
    var failed = 0.0
    var buckets = [Double](repeating: 0, count: bounds.count + 1)

    /// Serves `requests`, each failing with `failureRatio`; latency `latency` seconds (or from `slowRatio`
    /// of requests at 0.8 s).
    mutating func serve(_ requests: Int, failureRatio: Double, latency: Double = 0.02, slowRatio: Double = 0, rng: inout SplitMix64) {
        for _ in 0..<requests {
            if Double.random(in: 0..<1, using: &rng) < failureRatio { failed += 1 } else { ok += 1 }
            let seconds = Double.random(in: 0..<1, using: &rng) < slowRatio ? 0.8 : latency
            for (index, bound) in Self.bounds.enumerated() where seconds <= bound {
                buckets[index] += 1
            }
            buckets[Self.bounds.count] += 1
        }
    }

    /// Restarts the process: every counter back to 0.
    mutating func restart() {
        self = SimulatedCanary()
    }

    /// The scrape as an exposition.
    var exposition: Exposition {
        let base = [Label("grpc_method", "CreateOrderStream"), Label("grpc_service", "order.v1.OrderService"), Label("grpc_type", "bidi_stream")]
        var samples = [
            Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "OK")] + base, value: ok),
            Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "Unavailable")] + base, value: failed),
        ]
        for (index, bound) in Self.bounds.enumerated() {
            samples.append(Sample(name: "grpc_server_handling_seconds_bucket", labels: base + [Label("le", "\(bound)")], value: buckets[index]))
        }
        samples.append(Sample(name: "grpc_server_handling_seconds_bucket", labels: base + [Label("le", "+Inf")], value: buckets[Self.bounds.count]))
        return Exposition(samples: samples, types: ["grpc_server_handling_seconds": .histogram])
    }
}

/// Drives a ``ReleaseEngine`` with one poll round per second and, unless told otherwise, confirms
/// weights at once (a router that always takes them).
struct ReleaseHarness {
    var engine: ReleaseEngine
    var canary = SimulatedCanary()
    var rng: SplitMix64
    var decisions: [Decision] = []
    var effects: [ReleaseEffect] = []
    var t = 0.0
    /// False: `setWeight` effects are only kept, and the test answers for the router.
    var confirms = true
    /// When set, each round also reads the router at this weight.
    var routerReads: Int?

    init(
        seed: UInt64 = 1, plan: ReleasePlan = ReleasePlan(), gates: GateSettings = GateSettings(), autoAdvance: Bool = true,
        readOnly: Bool = false
    ) {
        engine = ReleaseEngine(
            plan: plan, gates: gates, metrics: MetricNames(), failureCodes: .defaults, autoAdvance: autoAdvance, readOnly: readOnly)
        rng = SplitMix64(seed: seed)
    }

    static let closedBreaker = [BreakerStatus(name: "order-stream", method: "/order.v1.OrderService/CreateOrderStream", state: .closed)]

    /// One second of canary traffic, then one poll round of `observations` (defaults: scrape, SERVING,
    /// closed breaker).
    mutating func second(
        rate: Double, failureRatio: Double = 0.002, slowRatio: Double = 0,
        health: HealthStatus = .serving, breakers: [BreakerStatus] = closedBreaker, scrape: Bool = true
    ) {
        t += 1
        canary.serve(rng.poisson(rate), failureRatio: failureRatio, slowRatio: slowRatio, rng: &rng)
        var round: [Observation] = [.health(.canary, health), .breakers(.canary, breakers)]
        round.append(scrape ? .metrics(.canary, canary.exposition) : .failed(.canary, endpoint: "metrics", message: "connection refused"))
        if let routerReads { round.append(.weight(routerReads, generation: "g\(Int(t))")) }
        handle(.observed(round, at: t))
    }

    /// Handles an event, confirming every weight at once, and keeps effects and decisions.
    mutating func handle(_ event: ReleaseEvent) {
        var queue = engine.handle(event)
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            effects.append(effect)
            switch effect {
            case .setWeight(let weight) where confirms:
                queue += engine.handle(.routerAcknowledged(weight: weight, at: t))
                if routerReads != nil { routerReads = weight }
            case .announce(let decision): decisions.append(decision)
            default: break
            }
        }
    }

    var rollback: Decision? {
        decisions.first { if case .rollback = $0.kind { return true } else { return false } }
    }

    var steps: [Decision] {
        decisions.filter { if case .step = $0.kind { return true } else { return false } }
    }

    /// The weights sent to the router, in order.
    var weightsSent: [Int] {
        effects.compactMap { if case .setWeight(let weight) = $0 { return weight } else { return nil } }
    }

    /// The journal entries written, in order.
    var journalled: [JournalEntry] {
        effects.compactMap { if case .appendJournal(let entry) = $0 { return entry } else { return nil } }
    }
}
