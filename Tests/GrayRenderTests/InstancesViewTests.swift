import GrayCore
import GrayRender
import Testing

/// The `i` view of a version of many instances: worst first, scrolling, readable at 80×24 with 50.
@Suite("instances view (fixtures/screens)")
struct InstancesViewTests {
    /// 25 stable and 25 canary instances over 20 one-second rounds: orders-canary-07 NOT_SERVING
    /// from second 17, orders-canary-12 failing 20% of its calls, orders-canary-03 with an open breaker.
    static func model(mode: DashboardMode = .watch) -> DashboardModel {
        var engine = ReleaseEngine(plan: ReleasePlan(), gates: GateSettings(), metrics: MetricNames(), failureCodes: .defaults, autoAdvance: false, readOnly: true)
        var model = DashboardModel(mode: mode, service: "order-service", plan: ReleasePlan(), gates: GateSettings(), themeName: "dark")
        for second in 1...20 {
            var round: [Observation] = [.weight(10, generation: "g1")]
            for version in [Version.stable, .canary] {
                let prefix = version == .stable ? "orders-stable-" : "orders-canary-"
                let ids = (1...25).map { prefix + ($0 < 10 ? "0\($0)" : "\($0)") }
                if second == 1 { round.append(.instances(version, ids)) }
                for (index, id) in ids.enumerated() {
                    let subject = Subject.instance(version, id)
                    let requests = Double(second * (20 + index))
                    let failing = id == "orders-canary-12" ? (requests * 0.2).rounded() : 0
                    let slow = version == .canary ? 0.25 : 0.1
                    let exposition = Exposition(samples: [
                        Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "OK")], value: requests - failing),
                        Sample(name: "grpc_server_handled_total", labels: [Label("grpc_code", "Unavailable")], value: failing),
                        Sample(name: "grpc_server_handling_seconds_bucket", labels: [Label("le", "\(slow)")], value: requests * 0.995),
                        Sample(name: "grpc_server_handling_seconds_bucket", labels: [Label("le", "+Inf")], value: requests),
                    ])
                    let health: HealthStatus = id == "orders-canary-07" && second >= 17 ? .notServing : .serving
                    let state: BreakerStatus.State = id == "orders-canary-03" ? .open : .closed
                    round += [
                        .health(subject, health, latency: 0.001 + Double(index) / 10000),
                        .breakers(subject, [BreakerStatus(name: "db", method: "CreateOrder", state: state)]),
                        .metrics(subject, exposition),
                    ]
                }
            }
            _ = engine.handle(.observed(round, at: Double(second)))
            _ = model.update(.released(engine.state))
            _ = model.update(.ticked(now: Double(second), epoch: ReplayedDashboard.started + Double(second)))
        }
        return model
    }

    @Test("50 instances at 80×24, worst first: unhealthy, then open breakers, then the highest error ratio")
    func worstFirst() throws {
        var model = Self.model()
        _ = model.update(.keyPressed(.character("i")))
        let screen = DashboardView.render(model, width: 80, height: 24, glyphs: .unicode)
        try Snapshot.assert(screen, named: "instances-80x24")
        #expect(screen.line(3).contains("orders-canary-07") && screen.line(3).contains("NOT_SERVING"), "\(screen.line(3))")
        #expect(screen.line(4).contains("orders-canary-03") && screen.line(4).contains("OPEN db"), "\(screen.line(4))")
        #expect(screen.line(5).contains("orders-canary-12") && screen.line(5).contains("20%"), "\(screen.line(5))")
        #expect(screen.line(1).contains("1–19 of 50"))
    }

    @Test("↓ j PgDn scroll, never past the last page; ↑ k PgUp back; Esc or i closes")
    func scrolling() throws {
        var model = Self.model()
        _ = model.update(.keyPressed(.character("i")))
        for _ in 0..<8 { _ = model.update(.keyPressed(.pageDown)) }
        let end = DashboardView.render(model, width: 80, height: 24, glyphs: .unicode)
        try Snapshot.assert(end, named: "instances-80x24-end")
        #expect(end.line(1).contains("32–50 of 50"))
        _ = model.update(.keyPressed(.pageUp))
        _ = model.update(.keyPressed(.character("k")))
        #expect(model.instancesOffset == 38)
        _ = model.update(.keyPressed(.down))
        _ = model.update(.keyPressed(.character("j")))
        #expect(model.instancesOffset == 40)
        _ = model.update(.keyPressed(.escape))
        #expect(!model.showsInstances)
        _ = model.update(.keyPressed(.character("i")))
        #expect(model.showsInstances && model.instancesOffset == 0)
        _ = model.update(.keyPressed(.character("i")))
        #expect(!model.showsInstances)
    }

    @Test("the health panel counts a version's instances and names the worst; reasons name the worst instance")
    func summaries() throws {
        let model = Self.model()
        let screen = DashboardView.render(model, width: 200, height: 60, glyphs: .unicode)
        try Snapshot.assert(screen, named: "many-instances-200x60")
        #expect(screen.text.contains("canary  24/25 SERVING · worst orders-canary-07 NOT_SERVING"))
        #expect(screen.text.contains("stable  25/25 SERVING · slowest orders-stable-25"))
        let gates = try #require(model.release?.report)
        #expect(gates.result(.breakers)?.reason == "canary orders-canary-03 breaker db (CreateOrder) open")
        #expect(gates.result(.errors)?.reason.contains("; worst orders-canary-12: 20%") == true, "\(gates.result(.errors)?.reason ?? "")")
    }
}
