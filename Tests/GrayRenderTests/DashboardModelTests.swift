import GrayCore
import GrayRender
import Testing

@Suite("dashboard keys: one binding table, dangerous actions confirmed")
struct DashboardModelTests {
    func inFlight(mode: DashboardMode = .release) throws -> DashboardModel {
        try ReplayedDashboard.model("healthy.jsonl", until: 50, mode: mode)
    }

    @Test("r asks y/n; y rolls back, anything else cancels")
    func rollbackConfirms() throws {
        var model = try inFlight()
        #expect(model.update(.keyPressed(.character("r"))).isEmpty)
        #expect(model.prompt == .rollback)
        #expect(DashboardView.render(model, width: 80, height: 24, glyphs: .unicode).line(23).contains("Roll back the canary from 10% to 0%? y/n"))
        #expect(model.update(.keyPressed(.character("y"))) == [.request(.rollback)])
        _ = model.update(.keyPressed(.character("r")))
        #expect(model.update(.keyPressed(.character("n"))).isEmpty)
        #expect(model.prompt == nil)
        #expect(model.status == "rollback cancelled")
    }

    @Test("p promotes at once; space pauses then resumes; a toggles auto-advance")
    func plainKeys() throws {
        var model = try inFlight()
        #expect(model.update(.keyPressed(.character("p"))) == [.request(.promote)])
        #expect(model.update(.keyPressed(.character(" "))) == [.request(.pause)])
        #expect(model.update(.keyPressed(.character("a"))) == [.request(.toggleAutoAdvance)])
        #expect(model.update(.keyPressed(.character("t"))) == [.nextTheme])
    }

    @Test("q asks while a release is in flight, quits at once otherwise")
    func quit() throws {
        var model = try inFlight()
        #expect(model.update(.keyPressed(.character("q"))).isEmpty)
        #expect(model.prompt == .quit)
        #expect(model.update(.keyPressed(.character("y"))) == [.quit])
        var done = try ReplayedDashboard.model("error-spike.jsonl")
        #expect(done.update(.keyPressed(.character("q"))) == [.quit])
        var watching = try inFlight(mode: .watch)
        #expect(watching.update(.keyPressed(.character("q"))) == [.quit])
    }

    @Test("an unconfirmed rollback is shown as such, and q asks while it lasts")
    func unconfirmedRollback() throws {
        var engine = ReleaseEngine(plan: ReleasePlan(), gates: GateSettings(), metrics: MetricNames(), failureCodes: .defaults, autoAdvance: false)
        _ = engine.handle(.observed([.weight(20, generation: "1")], at: 1))
        _ = engine.handle(.operatorRequested(.rollback, by: "ana", at: 2))
        _ = engine.handle(.routerRejected(weight: 0, message: "HTTP 503", at: 2))
        var model = DashboardModel(mode: .release, service: "order-service", plan: ReleasePlan(), gates: GateSettings(), themeName: "dark")
        _ = model.update(.released(engine.state))
        let screen = DashboardView.render(model, width: 120, height: 30, glyphs: .unicode)
        #expect(screen.line(0).contains("ROLLBACK UNCONFIRMED"), "\(screen.line(0))")
        #expect((0..<30).contains { screen.line($0).contains("ROLLBACK NOT CONFIRMED, re-sent every round · router refused: HTTP 503") })
        #expect(model.update(.keyPressed(.character("q"))).isEmpty)
        #expect(model.prompt == .quit)
    }

    @Test("watch mode ignores promote and rollback keys")
    func watchIsReadOnly() throws {
        var model = try inFlight(mode: .watch)
        #expect(model.update(.keyPressed(.character("p"))).isEmpty)
        #expect(model.update(.keyPressed(.character("r"))).isEmpty)
        #expect(model.prompt == nil)
    }

    @Test("demo keys inject faults")
    func demoFaults() throws {
        var model = try inFlight(mode: .demo)
        #expect(model.update(.keyPressed(.character("f"))) == [.injectFault(.errors)])
        #expect(model.update(.keyPressed(.character("F"))) == [.injectFault(.latency)])
        var release = try inFlight()
        #expect(release.update(.keyPressed(.character("f"))).isEmpty)
    }

    @Test("an alert stays until the next decision")
    func alert() throws {
        var model = try inFlight()
        _ = model.update(.noted("ROLLBACK NOT APPLIED: router refused weight 0", alert: true))
        #expect(DashboardView.render(model, width: 80, height: 24, glyphs: .unicode).text.contains("ROLLBACK NOT APPLIED"))
        #expect(model.events.last?.severity == .alert)
    }

    @Test("ages and clocks print the same everywhere")
    func timeText() {
        #expect(TimeText.age(2.5) == "2.5 s")
        #expect(TimeText.age(42) == "42 s")
        #expect(TimeText.age(130) == "2m10s")
        #expect(TimeText.age(3900) == "1h05m")
        #expect(TimeText.clock(ReplayedDashboard.started + 3723) == "13:02:03")
        #expect(TimeText.epoch(rfc3339: "2026-11-25T12:00:00Z") == ReplayedDashboard.started)
        #expect(TimeText.epoch(rfc3339: "2026-11-25T12:00:01.250Z") == ReplayedDashboard.started + 1.25)
        #expect(TimeText.epoch(rfc3339: "yesterday") == nil)
    }
}
