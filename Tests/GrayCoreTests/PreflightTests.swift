import GrayCore
import Testing

/// `grayctl check`'s judgement of one poll round: verdicts, fixes, near misses, and what keeps a
/// release from starting.
@Suite("Preflight checks of one poll round")
struct PreflightTests {
    static func exposition(_ name: String) throws -> String { try Fixtures.text("preflight/\(name).prom") }

    static func configuration(_ yaml: String = "") throws -> GrayConfig {
        try ConfigLoader.load("""
            targets:
              router: {admin: "http://127.0.0.1:9000"}
              stable: {admin: "http://127.0.0.1:9001", grpc: "127.0.0.1:9101"}
              canary: {admin: "http://127.0.0.1:9002", grpc: "127.0.0.1:9102"}
            \(yaml)
            """)
    }

    /// A round where everything answers: both versions serve traffic with the default names.
    static func healthyRound(canary: String = "served") throws -> [RecordEntry] {
        let breakers = try JSONParser.parse(#"{"breakers":[{"name":"order-create","method":"/order.v1.OrderService/CreateOrder","state":"closed"}]}"#)
        return [
            .health(.stable, .serving), .health(.canary, .serving),
            .metrics(.stable, body: try exposition("served")), .breakers(.stable, body: breakers),
            .metrics(.canary, body: try exposition(canary)), .breakers(.canary, body: breakers),
            .weight(0, generation: "4"),
        ]
    }

    static func check(_ report: PreflightReport, _ area: String) throws -> PreflightCheck {
        try #require(report.checks.first { $0.area == area }, "no \(area) check in \(report.text)")
    }

    @Test("everything answering with the configured names is ready: exit 0, nothing blocks, one line a check")
    func ready() throws {
        let report = Preflight.report(configuration: try Self.configuration(), entries: try Self.healthyRound(), writes: .granted("token accepted"))
        #expect(report.exitStatus == 0, "\(report.text)")
        #expect(report.worst == .pass)
        #expect(report.blocking(force: false).isEmpty)
        #expect(report.checks.map(\.area) == [
            "router", "router writes", "canary instances", "canary health", "canary metrics", "canary breakers",
            "stable instances", "stable health", "stable metrics", "stable breakers", "plan", "gates",
        ])
        #expect(try Self.check(report, "router").summary == "gateway http://127.0.0.1:9000 reads canary weight 0%")
        #expect(try Self.check(report, "plan").summary == "5% → 10% → 25% → 50% → 100%, each baked 30 s, polled every 1 s, auto-advance off")
        #expect(try Self.check(report, "gates").summary.contains("a sequential test judged at every observation, at most 0.1% false rollbacks a release"))
        #expect(report.text.hasSuffix("ready: 12 checks, 0 warnings\n"))
        let json = JSONWriter.write(report.json)
        #expect(json.hasPrefix(#"{"checks":[{"area":"router","summary":"gateway http://127.0.0.1:9000 reads canary weight 0%","verdict":"pass"}"#))
        #expect(json.hasSuffix(#""ready":true,"worst":"pass"}"#))
    }

    @Test("gates.latency that is no bucket bound: the next bound up warns, none at or above it fails for the canary (the latency gate could never trip)")
    func latencyBucketBounds() throws {
        let between = Preflight.report(configuration: try Self.configuration("gates: {latency: 300ms}"), entries: try Self.healthyRound(), writes: .granted("token accepted"))
        let warned = try Self.check(between, "canary metrics")
        #expect(warned.verdict == .warn)
        #expect(warned.summary.hasSuffix("; no grpc_server_handling_seconds bucket bound at gates.latency 300 ms: the latency gate counts only requests slower than 500 ms"))
        #expect(warned.fix == "add a bucket bound at 300 ms to grpc_server_handling_seconds, or set gates.latency to one of its bounds (100 ms, 500 ms)")
        let above = Preflight.report(configuration: try Self.configuration("gates: {latency: 2s}"), entries: try Self.healthyRound(), writes: .granted("token accepted"))
        #expect(try Self.check(above, "canary metrics").verdict == .fail)
        #expect(try Self.check(above, "canary metrics").summary.hasSuffix("no grpc_server_handling_seconds bucket bound at or above gates.latency 2000 ms: the latency gate cannot trip"))
        #expect(try Self.check(above, "stable metrics").verdict == .warn)
    }

    @Test("the router unreadable, or refusing grayctl's writes, is critical: even --force does not start")
    func routerCritical() throws {
        var entries = try Self.healthyRound()
        entries.removeLast()
        entries.append(.error(.router, endpoint: "weight", message: "connection refused"))
        let unreadable = Preflight.report(configuration: try Self.configuration(), entries: entries, writes: .unknown("connection refused"))
        #expect(try Self.check(unreadable, "router").verdict == .critical)
        #expect(try Self.check(unreadable, "router").summary == "gateway http://127.0.0.1:9000: weight unreadable: connection refused")
        #expect(unreadable.blocking(force: true).map(\.area) == ["router"])
        #expect(unreadable.exitStatus == 1)

        let refused = Preflight.report(configuration: try Self.configuration(), entries: try Self.healthyRound(), writes: .refused("HTTP 401 (no token given)"))
        let writes = try Self.check(refused, "router writes")
        #expect(writes.verdict == .critical)
        #expect(writes.fix?.contains("--router-token-file") == true)
        #expect(refused.text.hasSuffix("not ready: 1 of 12 checks to fix (critical: a release will not start even with --force)\n"))
    }

    @Test("a canary instance not SERVING fails (--force starts); none answering is critical; the stable only warns")
    func health() throws {
        let many = try ConfigLoader.load("""
            targets:
              router: {admin: "http://127.0.0.1:9000"}
              stable: {instances: [{admin: "http://127.0.0.1:9001", grpc: "127.0.0.1:9101"}, {admin: "http://127.0.0.1:9003", grpc: "127.0.0.1:9103"}]}
              canary: {instances: [{admin: "http://127.0.0.1:9002", grpc: "127.0.0.1:9102"}, {admin: "http://127.0.0.1:9004", grpc: "127.0.0.1:9104"}]}
            """)
        let c1 = Subject.instance(.canary, "127.0.0.1:9002"), c2 = Subject.instance(.canary, "127.0.0.1:9004")
        let s1 = Subject.instance(.stable, "127.0.0.1:9001"), s2 = Subject.instance(.stable, "127.0.0.1:9003")
        let served = try Self.exposition("served")
        let base: [RecordEntry] = [
            .metrics(c1, body: served), .metrics(c2, body: served), .metrics(s1, body: served), .metrics(s2, body: served),
            .breakersNotObserved(c1, reason: "none", configured: true), .breakersNotObserved(c2, reason: "none", configured: true),
            .breakersNotObserved(s1, reason: "none", configured: true), .breakersNotObserved(s2, reason: "none", configured: true),
            .weight(0, generation: nil),
        ]
        let one = Preflight.report(
            configuration: many, entries: base + [.health(c1, .serving), .health(c2, .notServing), .health(s1, .serving), .health(s2, .serving)],
            writes: .granted("ok"))
        let canary = try Self.check(one, "canary health")
        #expect(canary.verdict == .fail)
        #expect(canary.summary == "1/2 SERVING; 127.0.0.1:9004 NOT_SERVING")
        #expect(one.blocking(force: false).map(\.area) == ["canary health"])
        #expect(one.blocking(force: true).isEmpty)
        #expect(try Self.check(one, "canary instances").summary == "2: 127.0.0.1:9002, 127.0.0.1:9004")

        let none = Preflight.report(
            configuration: many,
            entries: base + [
                .error(c1, endpoint: "health", message: "refused"), .error(c2, endpoint: "health", message: "refused"),
                .health(s1, .serving), .health(s2, .notServing),
            ],
            writes: .granted("ok"))
        #expect(try Self.check(none, "canary health").verdict == .critical)
        #expect(try Self.check(none, "canary health").summary == "0/2 SERVING; 127.0.0.1:9002 unreachable (refused); 127.0.0.1:9004 unreachable (refused)")
        #expect(try Self.check(none, "stable health").verdict == .warn)
    }

    @Test("a canary with no request counted yet passes when the stable shows the names; names missing everywhere fail, with near misses and the key to set")
    func names() throws {
        let idle = Preflight.report(configuration: try Self.configuration(), entries: try Self.healthyRound(canary: "idle"), writes: .granted("ok"))
        let canary = try Self.check(idle, "canary metrics")
        #expect(canary.verdict == .pass, "\(idle.text)")
        #expect(canary.summary.contains("no grpc_server_handled_total or grpc_server_handling_seconds_bucket yet (no request counted"))

        let other = try Self.exposition("other-names")
        var entries = try Self.healthyRound(canary: "other-names")
        entries[2] = .metrics(.stable, body: other)
        let misnamed = Preflight.report(configuration: try Self.configuration(), entries: entries, writes: .granted("ok"))
        let check = try Self.check(misnamed, "canary metrics")
        #expect(check.verdict == .fail)
        #expect(check.summary.contains("missing: grpc_server_handled_total (near: grpc_server_handled)"), "\(check.summary)")
        #expect(check.fix == "set metrics.server_handled")
        #expect(try Self.check(misnamed, "stable metrics").verdict == .warn)

        // Named right, the codes are in `code`: the key to set is named.
        let renamed = Preflight.report(
            configuration: try Self.configuration("metrics: {server_handled: grpc_server_handled}"), entries: entries, writes: .granted("ok"))
        let codes = try Self.check(renamed, "canary metrics")
        #expect(codes.summary.contains("missing: label grpc_code on grpc_server_handled (codes are in code)"), "\(codes.summary)")
        #expect(codes.fix == "set metrics.code_label: code")
        let fixed = Preflight.report(
            configuration: try Self.configuration("metrics: {server_handled: grpc_server_handled, code_label: code}"), entries: entries,
            writes: .granted("ok"))
        #expect(try Self.check(fixed, "canary metrics").verdict == .pass)
        #expect(try Self.check(fixed, "canary metrics").summary.contains("code spelled another way, read all the same: ok as OK, unavailable as Unavailable"))
    }

    @Test("codes spelled another way are read and said; a code value that is no gRPC code fails")
    func codeValues() throws {
        let lower = try Self.exposition("lower-codes")
        let spelled = Preflight.report(configuration: try Self.configuration(), entries: try Self.healthyRound(canary: "lower-codes"), writes: .granted("ok"))
        #expect(try Self.check(spelled, "canary metrics").verdict == .pass)
        #expect(try Self.check(spelled, "canary metrics").summary.contains("grpc_code spelled another way, read all the same: UNAVAILABLE as Unavailable, ok as OK"))
        var entries = try Self.healthyRound()
        entries[4] = .metrics(.canary, body: lower + #"grpc_server_handled_total{grpc_code="weird",grpc_service="order.v1.OrderService"} 1"# + "\n")
        let weird = Preflight.report(configuration: try Self.configuration(), entries: entries, writes: .granted("ok"))
        #expect(try Self.check(weird, "canary metrics").verdict == .fail)
        #expect(try Self.check(weird, "canary metrics").summary.contains("grpc_code values that are no gRPC code: weird"))
    }

    @Test("breakers: none configured passes, a 404 under auto warns, configured but unreadable fails, a missing gauge fails")
    func breakers() throws {
        func round(_ canary: RecordEntry) throws -> [RecordEntry] {
            var entries = try Self.healthyRound(canary: "idle")
            entries[5] = canary
            entries[4] = .metrics(.canary, body: "up 1\n")
            return entries
        }
        let none = Preflight.report(
            configuration: try Self.configuration(), entries: try round(.breakersNotObserved(.canary, reason: "breakers: none", configured: true)),
            writes: .granted("ok"))
        #expect(try Self.check(none, "canary breakers").summary == "not observed (breakers: none): the other gates judge")
        let absent = Preflight.report(
            configuration: try Self.configuration(),
            entries: try round(.breakersNotObserved(.canary, reason: "/admin/breakers answered 404", configured: false)), writes: .granted("ok"))
        #expect(try Self.check(absent, "canary breakers").verdict == .warn)
        #expect(try Self.check(absent, "canary breakers").fix == "set targets.canary.breakers: none to say the service has none (or gauge)")
        let broken = Preflight.report(
            configuration: try Self.configuration(), entries: try round(.error(.canary, endpoint: "breakers", message: "HTTP 500")),
            writes: .granted("ok"))
        #expect(try Self.check(broken, "canary breakers").verdict == .fail)
        #expect(try Self.check(broken, "canary breakers").summary == "configured but unreadable: HTTP 500")
        let gauge = Preflight.report(
            configuration: try ConfigLoader.load("""
                targets:
                  router: {admin: "http://127.0.0.1:9000"}
                  stable: {admin: "http://127.0.0.1:9001", grpc: "127.0.0.1:9101"}
                  canary: {admin: "http://127.0.0.1:9002", grpc: "127.0.0.1:9102", breakers: gauge}
                """),
            entries: try round(.breakersNotObserved(.canary, reason: "gauge", configured: true)), writes: .granted("ok"))
        #expect(try Self.check(gauge, "canary breakers").verdict == .fail)
        #expect(try Self.check(gauge, "canary breakers").summary == "breakers: gauge, but no circuit_breaker_state in the metrics")
    }

    @Test("metrics through Prometheus: each version's series counted under its selector; a selector that returns nothing fails, with Prometheus's message")
    func prometheusSelectors() throws {
        let configuration = try ConfigLoader.load("""
            targets:
              router: {admin: "http://127.0.0.1:9000"}
              stable: {grpc: "127.0.0.1:9101"}
              canary: {grpc: "127.0.0.1:9102"}
            metrics: {source: prometheus}
            prometheus: {url: "http://127.0.0.1:9090", selectors: {stable: '{job="orders",version="v1"}', canary: '{job="orders",version="v2"}'}}
            """)
        var entries = try Self.healthyRound()
        let report = Preflight.report(configuration: configuration, entries: entries, writes: .granted("ok"))
        #expect(try Self.check(report, "canary metrics").summary.hasPrefix(#"1 of 1 read from Prometheus {job="orders",version="v2"}, 8 series"#), "\(report.text)")
        entries[4] = .error(.canary, endpoint: "metrics", message: #"http://127.0.0.1:9090/federate {job="orders",version="v2"}: no series"#)
        let empty = Preflight.report(configuration: configuration, entries: entries, writes: .granted("ok"))
        let canary = try Self.check(empty, "canary metrics")
        #expect(canary.verdict == .fail)
        #expect(canary.summary == #"none read from Prometheus {job="orders",version="v2"}: http://127.0.0.1:9090/federate {job="orders",version="v2"}: no series"#)
    }

    @Test("no router configured warns (watch works); an untestable engine passes with why")
    func routerless() throws {
        let yaml = """
            targets:
              stable: {admin: "http://127.0.0.1:9001", grpc: "127.0.0.1:9101"}
              canary: {admin: "http://127.0.0.1:9002", grpc: "127.0.0.1:9102"}
            """
        var entries = try Self.healthyRound()
        entries.removeLast()
        let report = Preflight.report(configuration: try ConfigLoader.load(yaml), entries: entries, writes: nil)
        #expect(try Self.check(report, "router").verdict == .warn)
        #expect(report.exitStatus == 0)
        let envoy = Preflight.report(configuration: try Self.configuration(), entries: try Self.healthyRound(), writes: .untestable("no credentials"))
        #expect(try Self.check(envoy, "router writes").verdict == .pass)
    }
}
