import GrayCore
import Testing

/// Many real services have no circuit breakers: "not observed" lets the other gates judge, while a
/// breaker source that is configured and unreadable still holds.
@Suite("Breakers not observed, or observed and unreadable")
struct BreakerObservationTests {
    /// One round per second of a healthy canary whose breakers arrive as `breakers`.
    static func release(seconds: Int, breakers: (Int) -> Observation) -> ReleaseEngine {
        var engine = ReleaseEngine(plan: ReleasePlan(), gates: GateSettings(), metrics: MetricNames(), failureCodes: .defaults, autoAdvance: true)
        var canary = SimulatedCanary()
        var rng = SplitMix64(seed: 7)
        for second in 1...seconds {
            canary.serve(rng.poisson(20), failureRatio: 0.002, rng: &rng)
            var queue = engine.handle(.observed([.health(.canary, .serving), breakers(second), .metrics(.canary, canary.exposition)], at: Double(second)))
            while !queue.isEmpty {
                if case .setWeight(let weight) = queue.removeFirst() {
                    queue += engine.handle(.routerAcknowledged(weight: weight, at: Double(second)))
                }
            }
        }
        return engine
    }

    @Test("a canary whose breakers are not observed is released on the other gates, and the gate says so")
    func notObserved() throws {
        let engine = Self.release(seconds: 200) { _ in .breakersNotObserved(.canary, reason: "targets.canary.breakers: none") }
        #expect(engine.state.phase == .promoted)
        let gate = try #require(engine.state.report.result(.breakers))
        #expect(gate.verdict == .pass && gate.reason == "canary breakers not observed (targets.canary.breakers: none): the other gates judge")
    }

    @Test("a configured breaker source that cannot be read holds, with its last error")
    func unreadable() throws {
        let engine = Self.release(seconds: 60) { _ in .failed(.canary, endpoint: "breakers", message: "http://c/admin/breakers: HTTP 404") }
        #expect(engine.state.weight == 0)
        #expect(engine.state.holdReason == "no breaker data from the canary yet (last error: http://c/admin/breakers: HTTP 404)")
    }

    @Test("an open breaker in a gauge still trips when /admin/breakers is not there")
    func gaugeBesideNotObserved() {
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
        fleet.apply(.breakersNotObserved(.canary, reason: "404"), at: 1)
        fleet.apply(.metrics(.canary, Exposition(samples: [Sample(name: "circuit_breaker_state", labels: [Label("name", "db")], value: 2)])), at: 1)
        #expect(GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 1).result(.breakers)?.verdict == .trip)
    }

    @Test("'not observed' is recorded and replays as such")
    func recorded() {
        let entry = RecordEntry.breakersNotObserved(.canary, reason: "targets.canary.breakers: none")
        #expect(entry.observation() == .breakersNotObserved(.canary, reason: "targets.canary.breakers: none"))
        let line = RecordingWriter.line(RecordLine(t: 1, entry: entry))
        #expect(line.contains(#""not_observed":"targets.canary.breakers: none""#), "\(line)")
    }

    @Test("targets.<version>.breakers is read and checked", arguments: BreakerSource.allCases)
    func config(source: BreakerSource) throws {
        let config = try ConfigLoader.load("targets:\n  canary:\n    breakers: \(source.rawValue)\n")
        #expect(config.targets[.canary]?.breakers == source)
    }

    @Test("an unknown breaker source names the key and the choices")
    func badSource() {
        #expect(throws: ConfigError.invalidValue(
            key: "targets.canary.breakers", line: 3, expected: "one of auto, admin, gauge, none", found: "\"hystrix\"")) {
            try ConfigLoader.load("targets:\n  canary:\n    breakers: hystrix\n")
        }
    }
}
