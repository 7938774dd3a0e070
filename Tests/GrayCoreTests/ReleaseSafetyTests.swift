import GrayCore
import GraySimulation
import Testing

/// The engine never leaves a failing canary with traffic while it reports it safe: the router's
/// weight decides whether a rollback is needed, a rollback is done only when the router reads 0,
/// and nothing the journal does not hold is sent.
@Suite("Release safety: the router's weight, confirmed rollbacks, journal before send")
struct ReleaseSafetyTests {
    static let open = [BreakerStatus(name: "order-create", method: "/order.v1.OrderService/CreateOrder", state: .open)]

    @Test("a router found above 0 at start, with no journal, is adopted and paused; a tripped gate then rolls it back")
    func routerAboveZeroAtStart() throws {
        var harness = ReleaseHarness()
        harness.routerReads = 20
        harness.second(rate: 20)
        #expect(harness.engine.state.weight == 20 && harness.engine.state.paused)
        #expect(harness.effects.contains(.showMessage(
            "router weight changed outside grayctl to 20% (grayctl set 0%): paused at 20%; gates still roll back")))
        harness.second(rate: 20, breakers: Self.open)
        let rollback = try #require(harness.rollback)
        #expect(rollback.kind == .rollback(from: 20, to: 0))
        #expect(harness.weightsSent == [0])
        #expect(harness.engine.state.phase == .rolledBack && harness.routerReads == 0)
    }

    @Test("a trip rolls back whenever the router last read above 0, even while grayctl's own weight is 0")
    func routerWeightDecides() throws {
        var harness = ReleaseHarness(autoAdvance: false)
        harness.second(rate: 20)
        harness.handle(.observed([.weight(30, generation: "x"), .breakers(.canary, Self.open)], at: harness.t))
        #expect(harness.rollback?.kind == .rollback(from: 30, to: 0))
        #expect(harness.weightsSent == [0])
    }

    @Test("--adopt takes the router's weight as the current step, journals it, and earns fresh evidence")
    func adopt() {
        var harness = ReleaseHarness()
        harness.handle(.adoptedRouterWeight(weight: 20, by: "ana", at: 0))
        #expect(harness.engine.state.weight == 20 && harness.engine.state.stepIndex == 1)
        #expect(harness.journalled == [JournalEntry(t: 0, action: "adopt", weight: 20, by: "ana", reason: "adopted the router's weight 20% (step 2/5)")])
        harness.routerReads = 20
        for _ in 0..<35 { harness.second(rate: 20) }
        #expect(harness.steps.map(\.kind) == [.step(from: 20, to: 25)])
    }

    @Test("a rollback stays 'rolling back' until a read-back shows 0; a refusal is shouted once and weight 0 re-sent every round")
    func rollbackNeedsReadBack() throws {
        var harness = ReleaseHarness()
        harness.routerReads = 0
        for _ in 0..<40 { harness.second(rate: 20) }
        #expect(harness.engine.state.weight == 10)
        harness.confirms = false
        harness.effects = []
        harness.handle(.operatorRequested(.rollback, by: "ana", at: harness.t))
        #expect(harness.engine.state.phase == .rollingBack)
        #expect(harness.weightsSent == [0])
        #expect(harness.journalled.map(\.action) == ["rollback"])
        for _ in 0..<3 {
            harness.handle(.routerRejected(weight: 0, message: "HTTP 503", at: harness.t))
            harness.second(rate: 20)
        }
        #expect(harness.engine.state.phase == .rollingBack, "the router still reads 10%")
        #expect(harness.weightsSent == [0, 0, 0, 0], "re-sent at every round")
        let shouts = harness.effects.filter { if case .showMessage(let text) = $0 { return text.hasPrefix("ROLLBACK NOT APPLIED") } else { return false } }
        #expect(shouts == [.showMessage("ROLLBACK NOT APPLIED: router refused weight 0 (HTTP 503); retrying every round")])
        harness.handle(.operatorRequested(.promote, by: "ana", at: harness.t))
        #expect(harness.effects.last == .showMessage("rollback in progress: waiting for the router to read 0% (promote ignored)"))
        harness.routerReads = 0
        harness.second(rate: 20)
        #expect(harness.engine.state.phase == .rolledBack)
        #expect(harness.journalled.last?.action == "rollback_confirmed")
    }

    @Test("the router's acknowledgement of weight 0 confirms the rollback (a simulated router, as in replay)")
    func acknowledgementConfirms() {
        var harness = ReleaseHarness()
        for _ in 0..<10 { harness.second(rate: 20) }
        harness.handle(.operatorRequested(.rollback, by: "ana", at: harness.t))
        #expect(harness.engine.state.phase == .rolledBack)
        #expect(harness.journalled.suffix(2).map(\.action) == ["rollback", "rollback_confirmed"])
    }

    @Test("a confirmed rollback whose router later reads another weight is rolling back again, journalled so a restart re-sends it")
    func driftAfterRollback() {
        var harness = ReleaseHarness()
        for _ in 0..<10 { harness.second(rate: 20) }
        harness.handle(.operatorRequested(.rollback, by: "ana", at: harness.t))
        harness.confirms = false
        harness.effects = []
        harness.handle(.observed([.weight(15, generation: "9")], at: harness.t + 1))
        #expect(harness.engine.state.phase == .rollingBack)
        #expect(harness.journalled.map(\.action) == ["rollback"])
        #expect(harness.weightsSent == [0])
    }

    @Test("an unconfirmed rollback found in the journal is sent again at start")
    func unconfirmedRollbackAtStart() {
        var harness = ReleaseHarness()
        harness.confirms = false
        harness.handle(.unconfirmedRollbackFound(by: "ana", at: 0))
        #expect(harness.engine.state.phase == .rollingBack)
        #expect(harness.weightsSent == [0])
        #expect(harness.journalled.map(\.action) == ["rollback"])
    }

    @Test("a promotion whose journal entry cannot be written is not taken; the hold and one shout say why; a rollback still goes out")
    func journalFailure() throws {
        var harness = ReleaseHarness(autoAdvance: false)
        harness.confirms = false
        for _ in 0..<3 { harness.second(rate: 20) }
        harness.handle(.operatorRequested(.promote, by: "ana", at: harness.t))
        let entry = try #require(harness.journalled.last)
        #expect(entry.action == "promote" && entry.weight == 5)
        harness.effects = []
        harness.handle(.journalWriteFailed(entry, message: "No space left on device", at: harness.t))
        #expect(harness.engine.state.pending == nil && harness.engine.state.weight == 0)
        #expect(harness.effects == [.showMessage(
            "JOURNAL WRITE FAILED (No space left on device): promotion to 5% not sent; canary stays at 0%, rollbacks still go out")])
        #expect(harness.engine.state.holdReason == "the journal cannot be written (No space left on device): no promotion until it can")
        harness.handle(.operatorRequested(.rollback, by: "ana", at: harness.t))
        let rollbackEntry = try #require(harness.journalled.last)
        harness.effects = []
        harness.handle(.journalWriteFailed(rollbackEntry, message: "No space left on device", at: harness.t))
        #expect(harness.effects.isEmpty, "the same failure is shouted once")
        #expect(harness.engine.state.phase == .rollingBack)
    }

    @Test("live, no promotion without a fresh reading of the router: the hold names it, an operator's promote is refused")
    func noPromotionWithoutRouterReading() {
        var engine = ReleaseEngine(
            plan: ReleasePlan(), gates: GateSettings(), metrics: MetricNames(), failureCodes: .defaults, autoAdvance: true,
            requiresRouterReading: true)
        var canary = SimulatedCanary()
        var rng = SplitMix64(seed: 2)
        var effects: [ReleaseEffect] = []
        for second in 1...10 {
            canary.serve(rng.poisson(20), failureRatio: 0, rng: &rng)
            effects += engine.handle(.observed([
                .health(.canary, .serving), .breakers(.canary, ReleaseHarness.closedBreaker), .metrics(.canary, canary.exposition),
                .failed(.router, endpoint: "weight", message: "connection refused"),
            ], at: Double(second)))
        }
        #expect(!effects.contains { if case .setWeight = $0 { return true } else { return false } })
        #expect(!effects.contains { if case .appendJournal = $0 { return true } else { return false } })
        #expect(engine.state.holdReason == "router weight not read yet (last error: connection refused)")
        let refused = engine.handle(.operatorRequested(.promote, by: "ana", at: 11))
        #expect(refused.first == .showMessage("promotion refused: router weight not read yet (last error: connection refused)"))
        let started = engine.handle(.observed([.weight(0, generation: "4")], at: 12))
        #expect(started.contains(.setWeight(5)), "a reading arrives: the release starts")
    }

    @Test("a write whose read-back shows another weight is not taken: a promotion fails, and the step does not count")
    func readBackMismatch() {
        var harness = ReleaseHarness(autoAdvance: false)
        harness.confirms = false
        for _ in 0..<3 { harness.second(rate: 20) }
        harness.handle(.operatorRequested(.promote, by: "ana", at: harness.t))
        #expect(harness.engine.state.pending?.weight == 5)
        harness.effects = []
        harness.handle(.observed([.weight(0, generation: "2")], at: harness.t))
        #expect(harness.engine.state.pending == nil && harness.engine.state.weight == 0 && harness.engine.state.stepIndex == -1)
        #expect(harness.effects.contains(.showMessage("promotion to 5% failed: router reads 0% after grayctl sent 5%; canary stays at 0%")))
    }

    @Test("after the end, toggling auto-advance journals nothing a restart would read as in flight")
    func toggleAfterEnd() {
        var harness = ReleaseHarness()
        for _ in 0..<10 { harness.second(rate: 20) }
        harness.handle(.operatorRequested(.rollback, by: "ana", at: harness.t))
        harness.effects = []
        harness.handle(.operatorRequested(.toggleAutoAdvance, by: "ana", at: harness.t))
        #expect(harness.effects == [.showMessage("auto-advance off")], "nothing journalled after the end")
    }
}
