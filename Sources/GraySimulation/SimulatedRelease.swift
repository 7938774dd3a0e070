import Foundation
public import GrayCore

/// A whole release judged by the real ``ReleaseEngine`` on simulated canary traffic: each interval,
/// a Poisson number of requests (constant or in bursts), each failing and each slower than the
/// latency limit by chance, accumulates into go-grpc-prometheus counters and histogram buckets; one
/// poll round (health SERVING, breakers closed, the scrape) goes to the engine, and every weight it
/// sends is confirmed at once. Seeded, so a run repeats exactly. The canary is served only while
/// its weight is above 0, at `rate` requests a second whatever the weight (the figures are per
/// canary request rate).
public struct SimulatedRelease: Sendable {
    /// How the canary behaves.
    public struct Scenario: Sendable {
        /// Mean canary requests a second.
        public var rate: Double
        /// Traffic in bursts: one interval in five carries five times the mean, the others none.
        public var bursty = false
        /// The healthy canary's failure ratio.
        public var failureRatio = 0.008
        /// The healthy canary's share of requests slower than the latency limit (0.6%: an
        /// exponential latency whose P99 is 0.9 × the limit).
        public var slowShare = 0.006
        /// A fault, if the canary has one.
        public var fault: Fault?
        /// Stable requests a second (0: the stable is not scraped).
        public var stableRate = 0.0
        /// The stable's failure ratio.
        public var stableFailureRatio = 0.008
        /// The stable's share of requests slower than the latency limit.
        public var stableSlowShare = 0.006
        /// Seconds between poll rounds.
        public var interval = 1.0
        /// Seconds simulated at most.
        public var horizon = 900.0

        /// A canary at `rate` requests a second, healthy unless `fault` says otherwise.
        public init(rate: Double, bursty: Bool = false, fault: Fault? = nil) {
            self.rate = rate
            self.bursty = bursty
            self.fault = fault
        }
    }

    /// A fault: from its onset on, the canary fails (or is slow) at these shares.
    public struct Fault: Sendable {
        /// The failure ratio from the onset (nil: unchanged).
        public var failureRatio: Double?
        /// The share slower than the latency limit from the onset (nil: unchanged).
        public var slowShare: Double?
        /// The stable's failure ratio from the onset (nil: unchanged) — a shared dependency failing.
        public var stableFailureRatio: Double?
        /// When it begins.
        public var onset: Onset

        /// Creates a fault.
        public init(failureRatio: Double? = nil, slowShare: Double? = nil, stableFailureRatio: Double? = nil, onset: Onset) {
            self.failureRatio = failureRatio
            self.slowShare = slowShare
            self.stableFailureRatio = stableFailureRatio
            self.onset = onset
        }
    }

    /// When a fault begins.
    public enum Onset: Sendable {
        /// When the step with this index (0 = the first) is confirmed.
        case step(Int)
        /// This many seconds after the first step is confirmed.
        case after(Double)
    }

    /// How a simulated release ended.
    public enum Outcome: Sendable, Equatable {
        /// Rolled back at `at` (seconds since the simulation began) by `gate`.
        case rolledBack(at: Double, gate: Gate?, reason: String)
        /// Promoted to 100% at `at`.
        case promoted(at: Double)
        /// Still running (holding or baking) when the horizon was reached.
        case running
    }

    /// What a simulated release did.
    public struct Result: Sendable {
        /// How it ended.
        public var outcome: Outcome
        /// When the fault began, if it did.
        public var onset: Double?

        /// Seconds from the fault's onset to the rollback, when both happened.
        public var detectionDelay: Double? {
            guard case .rolledBack(let at, _, _) = outcome, let onset, at >= onset else { return nil }
            return at - onset
        }

        /// The hold reasons announced, in order.
        public var holds: [String] = []

        /// True when it rolled back before any fault began (a false rollback).
        public var falseRollback: Bool {
            guard case .rolledBack(let at, _, _) = outcome else { return false }
            return onset.map { at < $0 } ?? true
        }
    }

    /// The histogram's upper bounds, as multiples of the latency limit (the limit itself is one).
    static let boundMultiples: [Double] = [0.1, 0.2, 0.5, 1, 2, 5]

    /// Runs `scenario` through an engine with `plan` and `gates`, drawing from `seed`.
    public static func run(_ scenario: Scenario, plan: ReleasePlan = ReleasePlan(), gates: GateSettings = GateSettings(), seed: UInt64) -> Result {
        var rng = SplitMix64(seed: seed)
        var engine = ReleaseEngine(plan: plan, gates: gates, metrics: MetricNames(), failureCodes: .defaults, autoAdvance: true)
        var counters = Counters(bounds: boundMultiples.map { $0 * gates.maxLatency })
        var stable = Counters(bounds: boundMultiples.map { $0 * gates.maxLatency })
        var holds: [String] = []
        var onset: Double?
        var firstStepAt: Double?
        var t = 0.0
        while t < scenario.horizon {
            t += scenario.interval
            if onset == nil, let fault = scenario.fault {
                switch fault.onset {
                case .step(let index) where engine.state.stepIndex >= index: onset = t - scenario.interval
                case .after(let seconds) where firstStepAt.map({ t - scenario.interval >= $0 + seconds }) == true: onset = t - scenario.interval
                default: break
                }
            }
            if engine.state.weight > 0 {
                let faulty = onset != nil
                let mean = scenario.rate * scenario.interval
                let requests = scenario.bursty ? (rng.uniform() < 0.2 ? rng.poisson(5 * mean) : 0) : rng.poisson(mean)
                counters.serve(
                    requests,
                    failureRatio: faulty ? scenario.fault?.failureRatio ?? scenario.failureRatio : scenario.failureRatio,
                    slowShare: faulty ? scenario.fault?.slowShare ?? scenario.slowShare : scenario.slowShare,
                    limit: gates.maxLatency, rng: &rng)
            }
            var round: [Observation] = [
                .health(.canary, .serving), .breakers(.canary, []), .metrics(.canary, counters.exposition),
            ]
            if scenario.stableRate > 0 {
                let ratio = onset != nil ? scenario.fault?.stableFailureRatio ?? scenario.stableFailureRatio : scenario.stableFailureRatio
                stable.serve(rng.poisson(scenario.stableRate * scenario.interval), failureRatio: ratio, slowShare: scenario.stableSlowShare, limit: gates.maxLatency, rng: &rng)
                round.append(.metrics(.stable, stable.exposition))
            }
            var queue = engine.handle(.observed(round, at: t))
            while !queue.isEmpty {
                let effect = queue.removeFirst()
                if case .announce(let decision) = effect, decision.kind == .hold { holds.append(decision.reason) }
                guard case .setWeight(let weight) = effect else { continue }
                queue += engine.handle(.routerAcknowledged(weight: weight, at: t))
                if firstStepAt == nil, weight > 0 { firstStepAt = t }
            }
            switch engine.state.phase {
            case .rollingBack, .rolledBack:
                let gate = engine.state.report.tripped?.gate
                return Result(outcome: .rolledBack(at: t, gate: gate, reason: engine.state.finalReason ?? engine.state.report.tripped?.reason ?? ""), onset: onset, holds: holds)
            case .promoted:
                return Result(outcome: .promoted(at: t), onset: onset, holds: holds)
            case .waiting, .progressing:
                continue
            }
        }
        return Result(outcome: .running, onset: onset, holds: holds)
    }

    /// The canary's cumulative counters, as go-grpc-prometheus would expose them.
    struct Counters {
        let bounds: [Double]
        var ok = 0.0
        var failed = 0.0
        /// Cumulative count per bound, then +Inf.
        var buckets: [Double]

        init(bounds: [Double]) {
            self.bounds = bounds
            self.buckets = [Double](repeating: 0, count: bounds.count + 1)
        }

        /// Serves `requests`: failures at `failureRatio`; latency exponential with the mean that
        /// puts `slowShare` of requests above `limit`.
        mutating func serve(_ requests: Int, failureRatio: Double, slowShare: Double, limit: Double, rng: inout SplitMix64) {
            guard requests > 0 else { return }
            let failures = rng.binomial(requests, failureRatio)
            failed += Double(failures)
            ok += Double(requests - failures)
            // Exponential latency with P(L > limit) = slowShare: P(L > x) = slowShare^(x / limit).
            var left = requests
            var above = 1.0
            var below = 0
            for (index, bound) in bounds.enumerated() {
                let beyond = slowShare <= 0 ? 0 : (slowShare >= 1 ? 1 : pow(slowShare, bound / limit))
                let inBucket = above > 0 ? max(0, min(1, (above - beyond) / above)) : 1
                let count = rng.binomial(left, inBucket)
                left -= count
                below += count
                buckets[index] += Double(below)
                above = beyond
            }
            buckets[bounds.count] += Double(requests)
        }

        var exposition: Exposition {
            let base = [Label("grpc_method", "CreateOrder"), Label("grpc_service", "order.v1.OrderService"), Label("grpc_type", "unary")]
            var samples = [
                Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "OK")] + base, value: ok),
                Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "Unavailable")] + base, value: failed),
            ]
            for (index, bound) in bounds.enumerated() {
                samples.append(Sample(name: "grpc_server_handling_seconds_bucket", labels: base + [Label("le", "\(bound)")], value: buckets[index]))
            }
            samples.append(Sample(name: "grpc_server_handling_seconds_bucket", labels: base + [Label("le", "+Inf")], value: buckets[bounds.count]))
            return Exposition(samples: samples, types: ["grpc_server_handling_seconds": .histogram])
        }
    }
}
