import GrayCore
import GraySimulation
import Testing

@Suite("Release state machine: the required outcomes of docs/gates.md")
struct ReleaseEngineTests {
    @Test("outcome 1: no step without health, breakers and metrics; the hold says why")
    func noDataNoPromotion() {
        var harness = ReleaseHarness()
        for _ in 0..<40 { harness.second(rate: 20, scrape: false) }
        #expect(harness.steps.isEmpty)
        #expect(harness.engine.state.weight == 0)
        #expect(harness.decisions.first?.reason == "no canary metrics yet (last error: connection refused)")
        harness.handle(.operatorRequested(.promote, by: "ana", at: harness.t))
        #expect(harness.steps.isEmpty)
        #expect(harness.effects.contains(.showMessage("promotion refused: no canary metrics yet (last error: connection refused)")))
    }

    @Test("outcome 1: stale metrics hold promotion after 5 s and roll back after 60 s")
    func staleMetrics() throws {
        var harness = ReleaseHarness()
        for _ in 0..<20 { harness.second(rate: 20) }
        #expect(harness.engine.state.weight == 5)
        for _ in 0..<20 { harness.second(rate: 20, scrape: false) }
        #expect(harness.engine.state.weight == 5, "no promotion while metrics are stale, though the bake time passed")
        #expect(harness.decisions.contains { $0.kind == .hold && $0.reason.hasPrefix("canary metrics stale for 6 s") })
        for _ in 0..<45 { harness.second(rate: 20, scrape: false) }
        let rollback = try #require(harness.rollback)
        #expect(rollback.t == 81)
        #expect(rollback.reason.hasPrefix("canary metrics stale for 61 s > 60 s"))
    }

    @Test("outcome 1: insufficient traffic holds at the first step and never rolls back; the hold says the window never fills at that rate")
    func insufficientData() {
        var harness = ReleaseHarness()
        for _ in 0..<120 { harness.second(rate: 1) }
        #expect(harness.engine.state.weight == 5)
        #expect(harness.rollback == nil)
        let reason = harness.engine.state.holdReason ?? ""
        #expect(reason.contains("no error verdict yet; canary ~") && reason.hasSuffix("req/s so far: a 30 s window would never hold 50 requests at that rate"), "\(reason)")
    }

    @Test("a step waiting for requests says how many more and how long at the traffic so far, once 5 s are seen")
    func waitEstimate() {
        var harness = ReleaseHarness(gates: { var gates = GateSettings(); gates.minRequests = 200; return gates }())
        for _ in 0..<4 { harness.second(rate: 10) }
        #expect(harness.engine.state.weight == 5)
        harness.second(rate: 10)
        #expect(harness.engine.state.holdReason?.contains("no error verdict yet") == true)
        for _ in 0..<3 { harness.second(rate: 10) }
        let reason = harness.engine.state.holdReason ?? ""
        #expect(reason.wholeMatch(of: /canary requests \d+ < 200 over \d+ s: no error verdict yet; canary ~[\d.]+ req\/s so far: \d+ more requests, ~\d+ s/) != nil, "\(reason)")
    }

    @Test("a healthy canary steps through 5 → 10 → 25 → 50 → 100, each after the bake time, then completes")
    func healthyPromotes() {
        var harness = ReleaseHarness()
        for _ in 0..<200 { harness.second(rate: 20) }
        #expect(harness.steps.map(\.kind) == [
            .step(from: 0, to: 5), .step(from: 5, to: 10), .step(from: 10, to: 25), .step(from: 25, to: 50),
            .step(from: 50, to: 100),
        ])
        let times = harness.steps.map(\.t)
        for (earlier, later) in zip(times.dropFirst(), times.dropFirst(2)) {
            #expect(later - earlier >= 30)
        }
        #expect(harness.engine.state.phase == .promoted)
        #expect(harness.decisions.last?.kind == .complete)
    }

    @Test("outcome 3: 50% failures at 10 req/s roll back within 3 s")
    func sharpFailure() throws {
        var harness = ReleaseHarness(seed: 3)
        for _ in 0..<60 { harness.second(rate: 10) }
        let onset = harness.t
        for _ in 0..<10 { harness.second(rate: 10, failureRatio: 0.5) }
        let rollback = try #require(harness.rollback)
        #expect(rollback.t - onset <= 3)
        #expect(harness.engine.state.weight == 0)
    }

    @Test("8% failures at 20 req/s in the middle of a step roll back, with a reason that shows the numbers")
    func errorSpike() throws {
        var harness = ReleaseHarness(seed: 5)
        for _ in 0..<60 { harness.second(rate: 20) }
        let onset = harness.t
        for _ in 0..<30 { harness.second(rate: 20, failureRatio: 0.08) }
        let rollback = try #require(harness.rollback)
        // Outcome 3 asks for 10 s at 5% and 10 req/s, which no judge within the false-rollback budget
        // meets reliably (docs/gates.md "Measured"): for 8% at 20 req/s in the middle of a step,
        // 500 simulated releases gave a median of 10 s, 90% within 15 s and a worst of 25 s.
        #expect(rollback.t - onset <= 25)
        let pattern = /canary failures \d+(\.\d+)?% > 1% (over the last \d+ s|over the \d+ s since the step began): \d+ of \d+ requests, evidence [\d.e]+ ≥ [\d.e]+/
        #expect(rollback.reason.wholeMatch(of: pattern) != nil, "reason: \(rollback.reason)")
    }

    @Test("outcome 3: latency over the limit rolls back")
    func latencyRegression() throws {
        var harness = ReleaseHarness(seed: 9)
        for _ in 0..<60 { harness.second(rate: 20) }
        for _ in 0..<20 { harness.second(rate: 20, slowRatio: 0.3) }
        let rollback = try #require(harness.rollback)
        #expect(rollback.reason.hasPrefix("canary P99"))
    }

    @Test("outcome 3: an open canary breaker rolls back at that observation")
    func breakerOpen() throws {
        var harness = ReleaseHarness()
        for _ in 0..<40 { harness.second(rate: 20) }
        let open = [BreakerStatus(name: "order-stream", method: "/order.v1.OrderService/CreateOrderStream", state: .open)]
        harness.second(rate: 20, breakers: open)
        let rollback = try #require(harness.rollback)
        #expect(rollback.t == harness.t)
        #expect(rollback.reason == "canary breaker order-stream (/order.v1.OrderService/CreateOrderStream) open")
    }

    @Test("outcome 3: an unreachable canary rolls back within the health limit plus one observation")
    func unreachable() throws {
        var harness = ReleaseHarness()
        for _ in 0..<40 { harness.second(rate: 20) }
        let onset = harness.t + 1
        for _ in 0..<10 { harness.second(rate: 0, health: .unreachable, scrape: false) }
        let rollback = try #require(harness.rollback)
        #expect(rollback.t <= onset + 5 + 1)
        #expect(rollback.reason == "canary UNREACHABLE for 6 s > 5 s")
    }

    @Test("outcome 4: a restart (counters reset, 3 s health blip) is not a failure")
    func restart() {
        var harness = ReleaseHarness(seed: 4)
        for _ in 0..<50 { harness.second(rate: 20) }
        for _ in 0..<3 { harness.second(rate: 0, health: .notServing, scrape: false) }
        harness.canary.restart()
        for _ in 0..<150 { harness.second(rate: 20) }
        #expect(harness.rollback == nil)
        #expect(harness.engine.state.phase == .promoted)
    }

    @Test("outcome 5: a rollback is terminal; the router is set back to 0 if it drifts")
    func rollbackIsTerminal() {
        var harness = ReleaseHarness()
        for _ in 0..<40 { harness.second(rate: 20) }
        harness.handle(.operatorRequested(.rollback, by: "ana", at: harness.t))
        #expect(harness.engine.state.phase == .rolledBack)
        #expect(harness.effects.contains(.appendJournal(JournalEntry(t: 40, action: "rollback", weight: 0, by: "ana", reason: "operator ana rolled back at 10%"))))
        for _ in 0..<200 { harness.second(rate: 20) }
        #expect(harness.engine.state.weight == 0)
        #expect(harness.steps.count == 2)
        harness.effects = []
        harness.handle(.operatorRequested(.promote, by: "ana", at: harness.t))
        #expect(harness.effects == [.showMessage("release already rolled back: promote ignored")])
        harness.effects = []
        harness.handle(.observed([.weight(10, generation: "9")], at: harness.t + 1))
        #expect(harness.effects.contains(.setWeight(0)))
    }

    @Test("outcome 6: every decision carries a reason with the numbers behind it")
    func reasons() throws {
        var harness = ReleaseHarness()
        for _ in 0..<60 { harness.second(rate: 20) }
        for _ in 0..<10 { harness.second(rate: 20, failureRatio: 0.5) }
        let kinds = harness.decisions.map(\.kind)
        #expect(kinds.contains(.step(from: 0, to: 5)) && kinds.contains(.step(from: 5, to: 10)) && kinds.contains(.hold))
        for decision in harness.decisions {
            switch decision.kind {
            case .step(0, _):
                #expect(decision.reason == "canary SERVING, canary breakers closed (1), canary metrics fresh (from canary): starting at 5%")
            case .step:
                let pattern = /green for \d+ s at \d+%: canary failures [\d.]+% ≤ 1% over \d+ s, \d+ requests; canary P99 [\d.]+ ms ≤ 500 ms over \d+ s/
                #expect(decision.reason.wholeMatch(of: pattern) != nil, "\(decision.reason)")
            case .hold:
                let waiting = /canary (requests|latency observations) \d+ < 50 over \d+ s: no (error|latency) verdict yet(; canary ~[\d.]+ req\/s so far: (\d+ more (requests|observations), ~\d+ s|a 30 s window would never hold 50 (requests|observations) at that rate))?/
                let building = /canary failures [\d.]+% > 1% over \d+ s, \d+ requests, not significant yet \(evidence [\d.e]+, trips at [\d.e]+\)/
                #expect(decision.reason.wholeMatch(of: waiting) != nil || decision.reason.wholeMatch(of: building) != nil, "\(decision.reason)")
            case .rollback:
                #expect(decision.reason.wholeMatch(of: /canary failures [\d.]+% > 1% (over the last \d+ s|over the \d+ s since the step began): \d+ of \d+ requests, evidence [\d.e]+ ≥ [\d.e]+/) != nil,
                        "\(decision.reason)")
            case .complete:
                Issue.record("not expected: \(decision.reason)")
            }
        }
        #expect(harness.rollback != nil)
    }

    @Test("step-through: no auto-advance; the operator promotes when green and is refused when not")
    func stepThrough() {
        var harness = ReleaseHarness(autoAdvance: false)
        for _ in 0..<5 { harness.second(rate: 20) }
        #expect(harness.engine.state.weight == 0)
        harness.handle(.operatorRequested(.promote, by: "ana", at: harness.t))
        #expect(harness.engine.state.weight == 5)
        harness.second(rate: 20)
        harness.handle(.operatorRequested(.promote, by: "ana", at: harness.t))
        #expect(harness.engine.state.weight == 5, "refused: the first second at 5% has too few requests")
        for _ in 0..<60 { harness.second(rate: 20) }
        #expect(harness.engine.state.weight == 5)
        harness.handle(.operatorRequested(.promote, by: "ana", at: harness.t))
        #expect(harness.engine.state.weight == 10)
        #expect(harness.steps.last?.reason == "operator ana promoted: all gates green")
    }

    @Test("pause stops auto-advance but not rollback")
    func pause() throws {
        var harness = ReleaseHarness()
        for _ in 0..<5 { harness.second(rate: 20) }
        harness.handle(.operatorRequested(.pause, by: "ana", at: harness.t))
        for _ in 0..<100 { harness.second(rate: 20) }
        #expect(harness.engine.state.weight == 5)
        for _ in 0..<5 { harness.second(rate: 20, failureRatio: 0.5) }
        #expect(harness.rollback != nil)
    }

    @Test("toggling auto-advance is journalled, with who and which way")
    func toggleJournalled() {
        var harness = ReleaseHarness()
        for _ in 0..<5 { harness.second(rate: 20) }
        harness.effects = []
        harness.handle(.operatorRequested(.toggleAutoAdvance, by: "ana", at: harness.t))
        harness.handle(.operatorRequested(.toggleAutoAdvance, by: "bo", at: harness.t + 1))
        #expect(harness.effects == [
            .appendJournal(JournalEntry(t: 5, action: "toggle_auto", weight: 5, by: "ana", reason: "auto-advance off")),
            .showMessage("auto-advance off"),
            .appendJournal(JournalEntry(t: 6, action: "toggle_auto", weight: 5, by: "bo", reason: "auto-advance on")),
            .showMessage("auto-advance on"),
        ])
    }

    @Test("the router refusing a rollback is retried at the next round; refusing a promotion keeps the old weight")
    func routerRejections() {
        var engine = ReleaseEngine(plan: ReleasePlan(), gates: GateSettings(), metrics: MetricNames(), failureCodes: .defaults, autoAdvance: false)
        var rng = SplitMix64(seed: 1)
        var canary = SimulatedCanary()
        for second in 1...3 {
            canary.serve(rng.poisson(20), failureRatio: 0, rng: &rng)
            _ = engine.handle(.observed([
                .health(.canary, .serving), .breakers(.canary, ReleaseHarness.closedBreaker), .metrics(.canary, canary.exposition),
            ], at: Double(second)))
        }
        _ = engine.handle(.operatorRequested(.promote, by: "ana", at: 3))
        let refused = engine.handle(.routerRejected(weight: 5, message: "HTTP 409 generation mismatch", at: 3))
        #expect(refused == [
            .appendJournal(JournalEntry(t: 3, action: "promote_failed", weight: 0, by: "grayctl", reason: "HTTP 409 generation mismatch")),
            .showMessage("promotion to 5% failed: HTTP 409 generation mismatch; canary stays at 0%"),
        ])
        #expect(engine.state.weight == 0 && engine.state.pending == nil)
        _ = engine.handle(.operatorRequested(.promote, by: "ana", at: 4))
        _ = engine.handle(.routerAcknowledged(weight: 5, at: 4))
        _ = engine.handle(.operatorRequested(.rollback, by: "ana", at: 5))
        let refusal = engine.handle(.routerRejected(weight: 0, message: "HTTP 503", at: 5))
        #expect(refusal == [.showMessage("ROLLBACK NOT APPLIED: router refused weight 0 (HTTP 503); retrying every round")])
        #expect(engine.state.phase == .rollingBack)
        #expect(engine.handle(.ticked(at: 6)) == [.setWeight(0)], "weight 0 goes out again at the next round")
    }

    @Test("a weight changed outside grayctl is adopted and pauses the release")
    func externalChange() {
        var harness = ReleaseHarness()
        for _ in 0..<5 { harness.second(rate: 20) }
        harness.handle(.observed([.weight(50, generation: "3")], at: harness.t))
        #expect(harness.engine.state.paused)
        #expect(harness.engine.state.weight == 50 && harness.engine.state.stepIndex == 3, "the router's weight is the current step")
        #expect(harness.effects.contains(.showMessage(
            "router weight changed outside grayctl to 50% (grayctl set 5%): paused at 50%; gates still roll back")))
    }

    @Test("read-only (grayctl watch): gates are judged, the weight follows the router, nothing is ever changed")
    func readOnly() {
        var harness = ReleaseHarness(readOnly: true)
        for _ in 0..<60 { harness.second(rate: 20) }
        #expect(harness.steps.isEmpty)
        #expect(!harness.effects.contains { if case .setWeight = $0 { return true } else { return false } })
        harness.handle(.observed([.weight(25, generation: "4")], at: harness.t))
        #expect(harness.engine.state.weight == 25)
        #expect(harness.engine.state.stepIndex == 2)
        for _ in 0..<10 { harness.second(rate: 20, failureRatio: 0.5) }
        #expect(harness.rollback == nil)
        #expect(harness.engine.state.phase == .progressing)
        #expect(harness.decisions.contains { $0.kind == .hold && $0.reason.hasPrefix("would roll back (watch only): canary failures") })
        harness.handle(.operatorRequested(.promote, by: "ana", at: harness.t))
        #expect(harness.effects.last == .showMessage("read-only: grayctl watch changes nothing (promote ignored); use grayctl release"))
        #expect(!harness.effects.contains { if case .setWeight = $0 { return true } else { return false } })
    }

    @Test("resuming from the journal takes the journalled step, journals it, and earns fresh evidence before the next step")
    func resumeFromJournal() {
        var harness = ReleaseHarness()
        harness.handle(.resumedFromJournal(weight: 25, by: "ana", at: 0))
        #expect(harness.engine.state.weight == 25)
        #expect(harness.engine.state.stepIndex == 2)
        #expect(harness.effects.first == .appendJournal(JournalEntry(
            t: 0, action: "resume_journal", weight: 25, by: "ana", reason: "resumed from the journal at 25% (step 3/5)")))
        for _ in 0..<20 { harness.second(rate: 20) }
        #expect(harness.steps.isEmpty, "no step before the bake time at the resumed step")
        for _ in 0..<20 { harness.second(rate: 20) }
        #expect(harness.steps.first?.kind == .step(from: 25, to: 50))
        harness.handle(.resumedFromJournal(weight: 10, by: "ana", at: harness.t))
        #expect(harness.effects.last == .showMessage("resume_journal ignored: the release has already moved"))
    }
}
