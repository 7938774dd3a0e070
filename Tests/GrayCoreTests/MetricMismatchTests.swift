import GrayCore
import Testing

/// Metrics that differ from the reference fleet's fail closed: never counted as successes, never a
/// silent zero that keeps the error gate from tripping.
@Suite("Metric mismatches fail closed")
struct MetricMismatchTests {
    /// One instance's server counters in the spelling under test.
    struct Counters {
        var ok = 0.0
        var failed = 0.0

        func exposition(ok okCode: String, failed failedCode: String) throws -> Exposition {
            try ExpositionParser.parse("""
                grpc_server_handled_total{grpc_code="\(okCode)",grpc_method="CreateOrder"} \(ok)
                grpc_server_handled_total{grpc_code="\(failedCode)",grpc_method="CreateOrder"} \(failed)
                grpc_server_handling_seconds_bucket{grpc_method="CreateOrder",le="0.1"} \(ok + failed)
                grpc_server_handling_seconds_bucket{grpc_method="CreateOrder",le="+Inf"} \(ok + failed)

                """)
        }
    }

    static func engine(_ config: GrayConfig = GrayConfig()) -> ReleaseEngine {
        ReleaseEngine(plan: config.plan, gates: config.gates, metrics: config.metrics, failureCodes: config.failureCodes, autoAdvance: true)
    }

    /// Runs `seconds` rounds of 40 canary requests a second, `failing` of them with `failedCode`;
    /// weights are confirmed at once. Returns the decisions.
    static func run(
        _ engine: inout ReleaseEngine, seconds: ClosedRange<Int>, failing: Double, ok okCode: String, failed failedCode: String,
        counters: inout Counters
    ) throws -> [Decision] {
        var decisions: [Decision] = []
        for second in seconds {
            counters.ok += 40 - failing
            counters.failed += failing
            var queue = engine.handle(.observed([
                .health(.canary, .serving), .breakers(.canary, ReleaseHarness.closedBreaker),
                .metrics(.canary, try counters.exposition(ok: okCode, failed: failedCode)),
            ], at: Double(second)))
            while !queue.isEmpty {
                switch queue.removeFirst() {
                case .setWeight(let weight): queue += engine.handle(.routerAcknowledged(weight: weight, at: Double(second)))
                case .announce(let decision): decisions.append(decision)
                default: break
                }
            }
        }
        return decisions
    }

    @Test("every spelling of a failing gRPC code counts as a failure: CamelCase, UPPER_SNAKE, numbers",
          arguments: [("OK", "Unavailable"), ("OK", "UNAVAILABLE"), ("0", "14"), ("ok", "deadline_exceeded"), ("OK", "DEADLINE_EXCEEDED")])
    func spellings(okCode: String, failedCode: String) throws {
        var engine = Self.engine()
        var counters = Counters()
        _ = try Self.run(&engine, seconds: 1...40, failing: 0, ok: okCode, failed: failedCode, counters: &counters)
        #expect(engine.state.weight == 10, "healthy: stepped to 5 then 10")
        let decisions = try Self.run(&engine, seconds: 41...50, failing: 10, ok: okCode, failed: failedCode, counters: &counters)
        let rollback = try #require(decisions.first { if case .rollback = $0.kind { return true } else { return false } })
        #expect(rollback.reason.hasPrefix("canary failures "), "\(rollback.reason)")
        #expect(engine.state.phase == .rolledBack)
    }

    @Test("a code value that is no gRPC status code holds (the release does not start) with a reason naming it, and never counts as a success")
    func unknownCode() throws {
        var engine = Self.engine()
        var counters = Counters()
        let decisions = try Self.run(&engine, seconds: 1...120, failing: 10, ok: "OK", failed: "BROKEN", counters: &counters)
        #expect(engine.state.weight == 0, "never started")
        #expect(!decisions.contains { if case .step = $0.kind { return true } else { return false } })
        let reason = try #require(engine.state.holdReason)
        #expect(reason.contains("grpc_server_handled_total has grpc_code=\"BROKEN\": not a gRPC status code"), "\(reason)")
        let errors = try #require(engine.state.report.result(.errors))
        #expect(errors.verdict == .hold)
        let counted = try #require(engine.state.report.measurements[.canary]?.requests)
        #expect(abs(counted - 30 * 30) < 1, "only the recognised OK requests of the window are counted: \(counted)")
    }

    @Test("health checks and reflection calls are not traffic: they never pad a version's requests with successes")
    func healthChecksIgnored() throws {
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
        for (second, checks) in [(1, 10.0), (2, 5000.0)] {
            fleet.apply(.metrics(.canary, try ExpositionParser.parse("""
                grpc_server_handled_total{grpc_code="OK",grpc_method="Check",grpc_service="grpc.health.v1.Health"} \(checks)
                grpc_server_handled_total{grpc_code="OK",grpc_method="CreateOrder",grpc_service="order.v1.OrderService"} \(second * 10)
                grpc_server_handled_total{grpc_code="Unavailable",grpc_method="CreateOrder",grpc_service="order.v1.OrderService"} \(second * 10)

                """)), at: Double(second))
        }
        let traffic = try #require(fleet.traffic(of: .canary, over: 30))
        #expect(traffic.requests == 20 && traffic.failures == 10, "only order.v1.OrderService's calls")
        var names = MetricNames()
        names.ignoredServices = []
        var counting = FleetState(names: names, failureCodes: .defaults, keep: 30)
        counting.apply(.metrics(.canary, try ExpositionParser.parse("grpc_server_handled_total{grpc_code=\"OK\",grpc_service=\"grpc.health.v1.Health\"} 1\n")), at: 1)
        counting.apply(.metrics(.canary, try ExpositionParser.parse("grpc_server_handled_total{grpc_code=\"OK\",grpc_service=\"grpc.health.v1.Health\"} 9\n")), at: 2)
        #expect(counting.traffic(of: .canary, over: 30)?.requests == 8, "metrics.ignored_services: [] counts them")
    }

    @Test("a handled counter without the code label holds too")
    func missingCodeLabel() throws {
        var engine = Self.engine()
        var count = 0.0
        for second in 1...60 {
            count += 40
            _ = engine.handle(.observed([
                .health(.canary, .serving), .breakers(.canary, ReleaseHarness.closedBreaker),
                .metrics(.canary, try ExpositionParser.parse("grpc_server_handled_total{grpc_method=\"CreateOrder\"} \(count)\n")),
            ], at: Double(second)))
        }
        #expect(engine.state.weight == 0)
        #expect(engine.state.holdReason?.contains("(no grpc_code label)") == true, "\(engine.state.holdReason ?? "")")
    }

    /// A router scrape whose upstream label values are `stable` and `canary` names.
    static func routerScrape(stable: String, canary: String, canaryFailed: Double, total: Double) throws -> Exposition {
        try ExpositionParser.parse("""
            grpc_client_handled_total{grpc_code="OK",upstream="\(stable)"} \(total * 19)
            grpc_client_handled_total{grpc_code="OK",upstream="\(canary)"} \(total - canaryFailed)
            grpc_client_handled_total{grpc_code="Unavailable",upstream="\(canary)"} \(canaryFailed)

            """)
    }

    @Test("router series whose upstream values match no version are not used: the canary's own metrics are, and the reason says why")
    func unmatchedUpstreams() throws {
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
        fleet.apply(.metrics(.router, try Self.routerScrape(stable: "orders-v1", canary: "orders-v2", canaryFailed: 0, total: 100)), at: 1)
        fleet.apply(.metrics(.canary, try Counters(ok: 100, failed: 0).exposition(ok: "OK", failed: "Unavailable")), at: 1)
        #expect(fleet.trafficSource(of: .canary) == .canary)
        #expect(fleet.unmatchedUpstreams == ["orders-v1", "orders-v2"])
        let report = GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 1)
        let metrics = try #require(report.result(.metrics))
        #expect(metrics.reason.contains("router's upstream values \"orders-v1\", \"orders-v2\" match no version"), "\(metrics.reason)")
        #expect(metrics.reason.contains("set metrics.upstream_stable and metrics.upstream_canary"))
    }

    @Test("mapped upstream values make the router the source, and its canary failures trip the gate")
    func mappedUpstreams() throws {
        var names = MetricNames()
        names.upstreamValues = [.stable: "orders-v1", .canary: "orders-v2"]
        var fleet = FleetState(names: names, failureCodes: .defaults, keep: 30)
        for second in 0...10 {
            let total = Double(second) * 40
            fleet.apply(.metrics(.router, try Self.routerScrape(stable: "orders-v1", canary: "orders-v2", canaryFailed: total / 4, total: total)), at: Double(second))
        }
        #expect(fleet.trafficSource(of: .canary) == .router)
        let report = GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 10)
        #expect(report.result(.errors)?.verdict == .trip)
    }

    @Test("while the router's series are the source, the canary's own metrics failing is named in the metrics gate (the gates still judge)")
    func ownMetricsFailingBesideTheRouter() throws {
        var names = MetricNames()
        names.upstreamValues = [.stable: "orders-v1", .canary: "orders-v2"]
        var fleet = FleetState(names: names, failureCodes: .defaults, keep: 30)
        for second in 0...4 {
            let total = Double(second) * 40
            fleet.apply(.metrics(.router, try Self.routerScrape(stable: "orders-v1", canary: "orders-v2", canaryFailed: 0, total: total)), at: Double(second))
        }
        fleet.apply(.metrics(.canary, try Counters(ok: 10, failed: 0).exposition(ok: "OK", failed: "Unavailable")), at: 1)
        let healthy = try #require(GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 4).result(.metrics))
        #expect(healthy.reason == "canary metrics fresh (from router)", "\(healthy.reason)")
        fleet.apply(.failed(.canary, endpoint: "metrics", message: "http://c/metrics: Timeout was reached (curl error 28)"), at: 3)
        let failing = try #require(GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 4).result(.metrics))
        #expect(failing.verdict == .pass)
        #expect(failing.reason == "canary metrics fresh (from router); the canary's own metrics failing (http://c/metrics: Timeout was reached (curl error 28)), judged on the router's", "\(failing.reason)")
        fleet.apply(.metrics(.canary, try Counters(ok: 20, failed: 0).exposition(ok: "OK", failed: "Unavailable")), at: 4)
        #expect(GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 4).result(.metrics)?.reason == "canary metrics fresh (from router)", "a good read clears it")
    }

    @Test("router series for only one version are not used (no canary series would read as 0 requests forever)")
    func oneVersionOnly() throws {
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
        for second in 1...3 {
            let text = "grpc_client_handled_total{grpc_code=\"OK\",upstream=\"stable\"} \(second * 10)\n"
            fleet.apply(.metrics(.router, try ExpositionParser.parse(text)), at: Double(second))
        }
        #expect(fleet.trafficSource(of: .canary) == .canary)
    }

    @Test("router series of both versions whose canary count never grows are not used: the canary's own failures still trip")
    func canarySeriesWithoutTraffic() throws {
        var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
        var counters = Counters()
        for second in 0...10 {
            let router = "grpc_client_handled_total{grpc_code=\"OK\",upstream=\"stable\"} \(second * 40)\n"
                + "grpc_client_handled_total{grpc_code=\"OK\",upstream=\"canary\"} 0\n"
            fleet.apply(.metrics(.router, try ExpositionParser.parse(router)), at: Double(second))
            counters.ok += 30
            counters.failed += 10
            fleet.apply(.metrics(.canary, try counters.exposition(ok: "OK", failed: "Unavailable")), at: Double(second))
        }
        #expect(fleet.trafficSource(of: .canary) == .canary)
        #expect(GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 10).result(.errors)?.verdict == .trip)
    }

    @Test("a breaker gauge with one series per state (resilience4j) is read by its state label, not by the last sample",
          arguments: [
            ("open", BreakerGauges.Reading.state(.open)), ("forced_open", .state(.open)), ("half_open", .state(.halfOpen)),
            ("closed", .state(.closed)), ("disabled", .state(.closed)), ("exploded", .unrecognised("state=\"exploded\"")),
          ])
    func oneHotGauge(current: String, expected: BreakerGauges.Reading) throws {
        let states = ["closed", "open", "half_open", "disabled", "forced_open", "metrics_only"]
        let text = (states + (states.contains(current) ? [] : [current])).map {
            "resilience4j_circuitbreaker_state{name=\"inventory\",state=\"\($0)\"} \($0 == current ? 1 : 0)"
        }.joined(separator: "\n") + "\n"
        let readings = BreakerGauges.read(try ExpositionParser.parse(text).samples, name: "resilience4j_circuitbreaker_state")
        #expect(readings == ["inventory": expected])
    }

    @Test("an open breaker in a one-hot gauge trips the gate; an unknown state holds")
    func oneHotGate() throws {
        var names = MetricNames()
        names.breakerState = "resilience4j_circuitbreaker_state"
        var fleet = FleetState(names: names, failureCodes: .defaults, keep: 30)
        let open = """
            resilience4j_circuitbreaker_state{name="inventory",state="open"} 1
            resilience4j_circuitbreaker_state{name="inventory",state="closed"} 0

            """
        fleet.apply(.metrics(.canary, try ExpositionParser.parse(open)), at: 1)
        let evaluator = GateEvaluator(settings: GateSettings())
        #expect(evaluator.evaluate(fleet, now: 1).result(.breakers)?.verdict == .trip)
        fleet.apply(.metrics(.canary, try ExpositionParser.parse("resilience4j_circuitbreaker_state{name=\"inventory\"} 7\n")), at: 2)
        let odd = try #require(evaluator.evaluate(fleet, now: 2).result(.breakers))
        #expect(odd.verdict == .hold && odd.reason == "canary breaker inventory: resilience4j_circuitbreaker_state has value 7, not a breaker state")
    }

    @Test("status codes parse in every spelling and reject everything else",
          arguments: [("Canceled", 1), ("CANCELLED", 1), ("cancelled", 1), ("RESOURCE_EXHAUSTED", 8), ("16", 16), ("OK", 0)])
    func codeParsing(label: String, code: Int) {
        #expect(GRPCStatusCode(label: label)?.rawValue == code)
    }

    @Test("not status codes", arguments: ["17", "-1", "", "Unavailable2", "999999999999999999999", "UN AVAILABLE"])
    func notCodes(label: String) {
        #expect(GRPCStatusCode(label: label) == nil)
    }
}

@Suite("Numbers from outside never trap when printed")
struct OutsideNumberTests {
    @Test("counts and times beyond what an Int holds print as numbers", arguments: [9.3e18, 1e300, -1e300])
    func huge(value: Double) {
        #expect(Format.count(value) == value.description)
        #expect(!Format.percent(value).isEmpty)
        #expect(ReplayOutput.clock(value) == Format.seconds(value))
    }
}

@Suite("Envoy's series as the router's")
struct EnvoyRouterSeriesTests {
    @Test("per-cluster counts by numeric gRPC status, and latency buckets in milliseconds read as seconds")
    func envoyNames() throws {
        var names = MetricNames()
        names.clientHandled = "envoy_cluster_grpc"
        names.codeLabel = "grpc_status"
        names.upstreamLabel = "envoy_cluster_name"
        names.clientLatency = "envoy_cluster_upstream_rq_time"
        names.clientLatencyScale = 0.001
        var meter = TrafficMeter(source: .router, names: names, failureCodes: .defaults)
        // The first scrape is the baseline: what the counters held before grayctl looked.
        _ = meter.ingest(try ExpositionParser.parse("""
            envoy_cluster_grpc{envoy_cluster_name="stable",grpc_status="0"} 0
            envoy_cluster_grpc{envoy_cluster_name="canary",grpc_status="0"} 0
            envoy_cluster_grpc{envoy_cluster_name="canary",grpc_status="14"} 0
            envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="canary",le="25"} 0
            envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="canary",le="+Inf"} 0

            """))
        let totals = meter.ingest(try ExpositionParser.parse("""
            envoy_cluster_grpc{envoy_cluster_name="stable",grpc_status="0"} 90
            envoy_cluster_grpc{envoy_cluster_name="canary",grpc_status="0"} 8
            envoy_cluster_grpc{envoy_cluster_name="canary",grpc_status="14"} 2
            envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="canary",le="25"} 9
            envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="canary",le="+Inf"} 10

            """))
        #expect(totals[.stable]?.requests == 90 && totals[.canary]?.requests == 10 && totals[.canary]?.failures == 2, "\(totals)")
        #expect(totals[.canary]?.buckets.first?.upperBound == 0.025, "25 ms")
    }
}
