import GrayCore
import GraySimulation
import Testing

/// Versions made of many instances: per-version aggregation of per-series increases, the health
/// rule over instances (`gates.max_unhealthy`), discovery, and the worst instance in every reason.
@Suite("Versions of many instances")
struct InstanceFleetTests {
    static let ids = ["orders-canary-1", "orders-canary-2", "orders-canary-3"]

    /// A fleet of three canary instances, each serving `requests(id, second)` a second with
    /// `failureRatio(id, second)`, scraped and health-checked every second, healthy breakers.
    struct Fleet {
        var instances: [String: SimulatedCanary] = [:]
        var rng = SplitMix64(seed: 11)

        mutating func round(
            _ second: Int, health: (String) -> HealthStatus = { _ in .serving }, failureRatio: (String) -> Double = { _ in 0.002 },
            requests: Double = 30, skip: Set<String> = []
        ) -> [Observation] {
            var observations: [Observation] = []
            for id in InstanceFleetTests.ids where !skip.contains(id) {
                var instance = instances[id] ?? SimulatedCanary()
                instance.serve(rng.poisson(requests), failureRatio: failureRatio(id), rng: &rng)
                instances[id] = instance
                let subject = Subject.instance(.canary, id)
                observations += [
                    .health(subject, health(id)), .breakersNotObserved(subject, reason: "none", configured: true),
                    .metrics(subject, instance.exposition),
                ]
            }
            return observations
        }
    }

    static func fleetState() -> FleetState {
        FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
    }

    @Test("a version's traffic is the sum of each instance's reset-adjusted increases; one restart resets only its own series")
    func aggregation() throws {
        var fleet = Self.fleetState()
        var simulated = Fleet()
        var served = 0.0
        for second in 1...10 {
            if second == 6 {
                // A restart: the counters start again from 0; what was served before it stays counted.
                served += simulated.instances["orders-canary-2"].map { $0.ok + $0.failed } ?? 0
                simulated.instances["orders-canary-2"]?.restart()
            }
            let observations = simulated.round(second)
            if second == 1 {
                served -= Self.ids.map { simulated.instances[$0].map { $0.ok + $0.failed } ?? 0 }.reduce(0, +)  // the baseline
            }
            for observation in observations { fleet.apply(observation, at: Double(second)) }
        }
        served += Self.ids.map { simulated.instances[$0].map { $0.ok + $0.failed } ?? 0 }.reduce(0, +)
        let version = try #require(fleet.traffic(of: .canary, over: 30))
        #expect(version.requests == served && served > 0, "\(version.requests) counted, \(served) served after the first scrape")
        #expect(fleet.instances(of: .canary).map(\.instance) == Self.ids)
    }

    @Test("one failing instance trips the error gate, and the reason names it as the worst")
    func worstInstanceNamed() throws {
        var harness = ReleaseHarness()
        var simulated = Fleet()
        for second in 1...60 {
            harness.t = Double(second)
            harness.handle(.observed(simulated.round(second, failureRatio: { $0 == "orders-canary-2" && second > 40 ? 0.5 : 0.002 }), at: harness.t))
            if harness.rollback != nil { break }
        }
        #expect(harness.steps.count >= 1, "released on three healthy instances first")
        let rollback = try #require(harness.rollback)
        #expect(rollback.reason.hasPrefix("canary failures "), "\(rollback.reason)")
        #expect(rollback.reason.contains("; worst orders-canary-2: "), "\(rollback.reason)")
    }

    @Test("an instance unhealthy longer than the health limit trips by default, naming it; a shorter blip only holds")
    func healthRule() throws {
        let evaluator = GateEvaluator(settings: GateSettings())
        var fleet = Self.fleetState()
        var simulated = Fleet()
        for second in 1...20 {
            let down = second >= 10 ? "orders-canary-3" : ""
            for observation in simulated.round(second, health: { $0 == down ? .notServing : .serving }) {
                fleet.apply(observation, at: Double(second))
            }
            let gate = try #require(evaluator.evaluate(fleet, now: Double(second)).result(.health))
            switch second {
            case ..<10:
                #expect(gate.verdict == .pass && gate.reason == "canary 3/3 SERVING")
            case 10...15:
                #expect(gate.verdict == .hold, "\(second): \(gate.reason)")
                #expect(gate.reason.hasPrefix("canary 1/3 instances not SERVING: worst canary orders-canary-3 NOT_SERVING for "))
            default:
                #expect(gate.verdict == .trip, "\(second): \(gate.reason)")
                #expect(gate.reason.hasPrefix("canary 1/3 instances not SERVING for > 5 s (max_unhealthy 0): worst canary orders-canary-3 NOT_SERVING for "))
            }
        }
    }

    @Test("samples Prometheus answers with their age are as old as they say: the version goes stale though every query answers")
    func sampleAge() throws {
        let evaluator = GateEvaluator(settings: GateSettings())
        var fleet = Self.fleetState()
        var simulated = Fleet()
        for second in 1...40 {
            // From second 20 on, canary-2's exporter is frozen: its newest samples stay those of second 20.
            for observation in simulated.round(second) {
                guard case .metrics(let subject, let exposition, _) = observation, subject.instance == "orders-canary-2", second > 20 else {
                    fleet.apply(observation, at: Double(second))
                    continue
                }
                fleet.apply(.metrics(subject, exposition, age: Double(second - 20)), at: Double(second))
            }
            let gate = try #require(evaluator.evaluate(fleet, now: Double(second)).result(.metrics))
            let age = Double(second - 20)
            if age <= GateSettings().staleHold {
                #expect(gate.verdict == .pass, "\(second): \(gate.reason)")
            } else if age <= GateSettings().staleRollback {
                #expect(gate.verdict == .hold, "\(second): \(gate.reason)")
                #expect(gate.reason.hasPrefix("canary metrics stale for \(Format.seconds(age)) (stalest orders-canary-2)"), "\(gate.reason)")
            } else {
                #expect(gate.verdict == .trip, "\(second): \(gate.reason)")
            }
        }
    }

    @Test("max_unhealthy tolerates a count or a percent of instances")
    func allowance() throws {
        var fleet = Self.fleetState()
        var simulated = Fleet()
        for second in 1...20 {
            for observation in simulated.round(second, health: { $0 == "orders-canary-1" ? .unreachable : .serving }) {
                fleet.apply(observation, at: Double(second))
            }
        }
        var settings = GateSettings()
        settings.maxUnhealthy = .count(1)
        let one = try #require(GateEvaluator(settings: settings).evaluate(fleet, now: 20).result(.health))
        #expect(one.verdict == .pass)
        #expect(one.reason.hasPrefix("canary 2/3 SERVING (1 not SERVING ≤ max_unhealthy 1: worst canary orders-canary-1 UNREACHABLE for "))
        settings.maxUnhealthy = .percent(50)
        #expect(GateEvaluator(settings: settings).evaluate(fleet, now: 20).result(.health)?.verdict == .pass, "50% of 3 is 1")
        settings.maxUnhealthy = .percent(30)
        #expect(GateEvaluator(settings: settings).evaluate(fleet, now: 20).result(.health)?.verdict == .trip, "30% of 3 is 0")
        #expect(UnhealthyAllowance.percent(10).allowed(of: 50) == 5)
        #expect(UnhealthyAllowance.percent(29).allowed(of: 100) == 29 && UnhealthyAllowance.percent(57).allowed(of: 100) == 57)
    }

    @Test("an instance removed by discovery is dropped, not unhealthy; the traffic it served stays counted")
    func departure() throws {
        let evaluator = GateEvaluator(settings: GateSettings())
        var fleet = Self.fleetState()
        var simulated = Fleet()
        fleet.apply(.instances(.canary, Self.ids), at: 0)
        for second in 1...10 {
            for observation in simulated.round(second) { fleet.apply(observation, at: Double(second)) }
        }
        let before = try #require(fleet.traffic(of: .canary, over: 30)).requests
        fleet.apply(.instances(.canary, Array(Self.ids.prefix(2))), at: 11)
        for second in 11...20 {
            for observation in simulated.round(second, skip: ["orders-canary-3"]) { fleet.apply(observation, at: Double(second)) }
        }
        let report = evaluator.evaluate(fleet, now: 20)
        #expect(report.result(.health)?.reason == "canary 2/2 SERVING")
        #expect(report.result(.metrics)?.verdict == .pass, "the departed instance's metrics are not stale: \(report.result(.metrics)?.reason ?? "")")
        #expect(fleet.instances(of: .canary).map(\.instance) == Array(Self.ids.prefix(2)))
        #expect(try #require(fleet.traffic(of: .canary, over: 30)).requests > before, "sums never go down")
        #expect(!InstanceRow.rows(fleet, now: 20, window: 30, quantile: 0.99).contains { $0.subject.instance == "orders-canary-3" })
        // It comes back (a pod flapping in and out of DNS): its counters continue, nothing it served is lost.
        let beforeReturn = try #require(fleet.traffic(of: .canary, over: 30)).requests
        fleet.apply(.instances(.canary, Self.ids), at: 21)
        simulated.instances["orders-canary-3"]!.serve(100, failureRatio: 0, rng: &simulated.rng)
        fleet.apply(.metrics(.instance(.canary, "orders-canary-3"), simulated.instances["orders-canary-3"]!.exposition), at: 21)
        let afterReturn = try #require(fleet.traffic(of: .canary, over: 30)).requests
        #expect(afterReturn - beforeReturn == 100, "counted from its last scrape, not from a new baseline")
    }

    @Test("a member that is not scraped makes the version's metrics stale, naming it; a version-wide failure reaches every instance")
    func staleInstance() throws {
        let evaluator = GateEvaluator(settings: GateSettings())
        var fleet = Self.fleetState()
        var simulated = Fleet()
        fleet.apply(.instances(.canary, Self.ids), at: 0)
        for second in 1...12 {
            for observation in simulated.round(second, skip: second > 3 ? ["orders-canary-2"] : []) { fleet.apply(observation, at: Double(second)) }
        }
        let gate = try #require(evaluator.evaluate(fleet, now: 12).result(.metrics))
        #expect(gate.verdict == .hold && gate.reason == "canary metrics stale for 9 s (stalest orders-canary-2)", "\(gate.reason)")
        fleet.apply(.failed(.canary, endpoint: "metrics", message: "http://prom/api/v1/query: refused"), at: 13)
        for id in Self.ids {
            #expect(fleet.failures[.instance(.canary, id)]?["metrics"]?.message == "http://prom/api/v1/query: refused")
        }
        #expect(fleet.health[.canary] == nil && !fleet.instances(of: .canary).contains(.canary), "no phantom sole instance")
    }

    @Test("series of an instance discovery does not list count as the version's traffic, and the metrics gate says so")
    func unlisted() throws {
        var fleet = Self.fleetState()
        var simulated = Fleet()
        fleet.apply(.instances(.canary, Array(Self.ids.prefix(2))), at: 0)
        for second in 1...3 {
            for observation in simulated.round(second) { fleet.apply(observation, at: Double(second)) }
        }
        let gate = try #require(GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 3).result(.metrics))
        #expect(gate.verdict == .pass)
        #expect(gate.reason == "canary metrics fresh (from 2 canary instances); also counted, not listed: orders-canary-3 (the selector matches instances discovery does not list)", "\(gate.reason)")
        let counted = try #require(fleet.traffic(of: .canary, over: 30)).requests
        let listed = fleet.instanceTraffic(of: .canary, over: 30).map(\.1.requests).reduce(0, +)
        #expect(counted > listed, "the unlisted instance's requests are in the version's sum")
    }

    @Test("a version down to one named instance keeps naming it")
    func lastNamedInstance() throws {
        var fleet = Self.fleetState()
        var simulated = Fleet()
        fleet.apply(.instances(.canary, ["orders-canary-1"]), at: 0)
        for second in 1...12 {
            for observation in simulated.round(second, health: { _ in .notServing }, skip: ["orders-canary-2", "orders-canary-3"]) {
                fleet.apply(observation, at: Double(second))
            }
        }
        let report = GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 12)
        #expect(report.result(.health)?.reason.hasPrefix("canary 1/1 instances not SERVING for > 5 s (max_unhealthy 0): worst canary orders-canary-1 NOT_SERVING for ") == true)
        #expect(report.result(.metrics)?.reason == "canary metrics fresh (from canary orders-canary-1)")
    }

    @Test("an open breaker on one instance trips, naming the instance")
    func breakerOnOneInstance() throws {
        var fleet = Self.fleetState()
        var simulated = Fleet()
        for observation in simulated.round(1) { fleet.apply(observation, at: 1) }
        fleet.apply(.breakers(.instance(.canary, "orders-canary-2"), [BreakerStatus(name: "db", method: "CreateOrder", state: .open)]), at: 1)
        let gate = try #require(GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 1).result(.breakers))
        #expect(gate.verdict == .trip && gate.reason == "canary orders-canary-2 breaker db (CreateOrder) open")
    }

    @Test("recordings carry the instance of named instances only, and discovery's lists; old lines read as sole instances")
    func recording() throws {
        let lines = [
            RecordLine(t: 1, entry: .instances(.canary, ["a:9191", "b:9191"])),
            RecordLine(t: 1, entry: .health(.instance(.canary, "a:9191"), .serving)),
            RecordLine(t: 1, entry: .health(.canary, .serving)),
            RecordLine(t: 1, entry: .error(.instance(.stable, "s-1"), endpoint: "metrics", message: "refused")),
        ]
        let text = lines.map(RecordingWriter.line).joined()
        #expect(text == """
            {"t":1,"kind":"instances","instances":["a:9191","b:9191"],"target":"canary"}
            {"t":1,"kind":"health","instance":"a:9191","status":"SERVING","target":"canary"}
            {"t":1,"kind":"health","status":"SERVING","target":"canary"}
            {"t":1,"kind":"error","endpoint":"metrics","instance":"s-1","message":"refused","target":"stable"}

            """)
        let header = RecordingWriter.headerLine(RecordingHeader(started: "2026-12-02T00:00:00Z", service: "s", targets: [:]))
        let read = try RecordingReader.read(header + text)
        #expect(read.lines == lines)
        #expect(throws: RecordingError.self) {
            try RecordingReader.read(header + #"{"t":1,"kind":"health","instance":"","status":"SERVING","target":"canary"}"# + "\n")
        }
        #expect(throws: RecordingError.self) {
            try RecordingReader.read(header + #"{"t":1,"kind":"instances","instances":"a","target":"canary"}"# + "\n")
        }
    }
}
