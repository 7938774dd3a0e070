import GrayCore
import GraySimulation
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
        let engine = Self.release(seconds: 200) { _ in .breakersNotObserved(.canary, reason: "targets.canary.breakers: none", configured: true) }
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

    @Test("a 404 at /admin/breakers counts as 'none' only while the canary's metrics are read; an open gauge still trips")
    func notFoundNeedsFreshMetrics() throws {
        let evaluator = GateEvaluator(settings: GateSettings())
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
        fleet.apply(.breakersNotObserved(.canary, reason: "http://c/admin/breakers answers 404", configured: false), at: 1)
        let unknown = try #require(evaluator.evaluate(fleet, now: 1).result(.breakers))
        #expect(unknown.verdict == .hold, "no metrics read yet: a gauge may exist")
        #expect(unknown.reason == "canary breakers unknown: http://c/admin/breakers answers 404, and the canary's metrics (where a breaker gauge would be) not read yet")
        fleet.apply(.metrics(.canary, Exposition(samples: [Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "OK")], value: 1)])), at: 2)
        fleet.apply(.breakersNotObserved(.canary, reason: "http://c/admin/breakers answers 404", configured: false), at: 2)
        #expect(evaluator.evaluate(fleet, now: 2).result(.breakers)?.verdict == .pass)
        #expect(evaluator.evaluate(fleet, now: 9).result(.breakers)?.verdict == .hold, "metrics stale: the gauge is unknown again")
        fleet.apply(.metrics(.canary, Exposition(samples: [Sample(name: "circuit_breaker_state", labels: [Label("name", "db")], value: 2)])), at: 10)
        fleet.apply(.breakersNotObserved(.canary, reason: "http://c/admin/breakers answers 404", configured: false), at: 10)
        #expect(evaluator.evaluate(fleet, now: 10).result(.breakers)?.verdict == .trip)
    }

    @Test("breakers that were read once going 404 later is a failure, not 'none'")
    func goneAfterSeen() throws {
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
        fleet.apply(.breakers(.canary, ReleaseHarness.closedBreaker), at: 1)
        fleet.apply(.metrics(.canary, Exposition(samples: [])), at: 20)
        fleet.apply(.breakersNotObserved(.canary, reason: "http://c/admin/breakers answers 404", configured: false), at: 20)
        let gate = try #require(GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 20).result(.breakers))
        #expect(gate.verdict == .hold && gate.reason == "canary breakers not read for 19 s", "\(gate.reason)")
        #expect(fleet.failures[.canary]?["breakers"]?.message == "http://c/admin/breakers answers 404, after breakers were read")
    }

    @Test("a service's own breakers answer cannot claim 'not observed': an open breaker beside such a field still trips")
    func notSpoofable() throws {
        let body = try JSONParser.parse(#"{"breakers":[{"name":"db","method":"/x","state":"open"}],"not_observed":"none here"}"#)
        let observation = try #require(RecordEntry.breakers(.canary, body: body).observation())
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
        fleet.apply(observation, at: 1)
        #expect(GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 1).result(.breakers)?.verdict == .trip)
    }

    @Test("'not observed' is recorded as grayctl's own line and replays as such")
    func recorded() throws {
        let entry = RecordEntry.breakersNotObserved(.canary, reason: "targets.canary.breakers: none", configured: true)
        let text = RecordingWriter.headerLine(RecordingHeader(started: "2026-12-02T00:00:00Z", service: "s", targets: [:]))
            + RecordingWriter.line(RecordLine(t: 1, entry: entry))
        #expect(text.contains(#""kind":"breakers_not_observed""#), "\(text)")
        let read = try RecordingReader.read(text)
        #expect(read.lines.map(\.entry) == [entry])
        #expect(entry.observation() == .breakersNotObserved(.canary, reason: "targets.canary.breakers: none", configured: true))
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
