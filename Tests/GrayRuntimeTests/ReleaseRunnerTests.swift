import Foundation
import GrayCore
import GrayRuntime
import GrayTesting
import Testing

/// The runtime's failure paths, driven through the in-memory twins of its ports (no sockets): the
/// one loop that writes, confirmed rollbacks, If-Match, journal failures, the router's own weight.
@Suite("Release runner failure paths (in-memory router, journal and fleet)")
struct ReleaseRunnerTests {
    struct Rig {
        let router: ScriptedRouter
        let journal = MemoryJournal()
        let canary = ScriptedCanary()
        let outputs = Collected()
        let runner: ReleaseRunner

        init(routerWeight: Int = 0, autoAdvance: Bool = true) {
            router = ScriptedRouter(weight: routerWeight)
            runner = ReleaseRunnerTests.runner(router: router, canary: canary, journal: journal, outputs: outputs.outputs, autoAdvance: autoAdvance)
        }

        /// Runs the loop in the background (at most 60 s: a bound, not a timing).
        func start() -> Task<ReleaseRunner.Outcome, Never> {
            Task { await runner.run(maxDuration: 60) }
        }

        /// Once the release stepped to 5%, the router refuses every write with `message` and the
        /// canary's breaker opens; returns once weight 0 was sent `times` times.
        func refuseRollback(_ message: String, times: Int) async {
            await ReleaseRunnerTests.eventually("stepped to 5%") { router.weight == 5 }
            router.refuseWrites(message)
            canary.openBreaker(true)
            await ReleaseRunnerTests.eventually("weight 0 sent \(times) times") { router.writes.filter { $0.weight == 0 }.count >= times }
        }
    }

    /// A runner of a quick release (bake 0.3 s, a round every 50 ms, 20 requests to judge) of the
    /// scripted `canary` through `router`.
    static func runner(
        router: ScriptedRouter, canary: ScriptedCanary, journal: MemoryJournal = MemoryJournal(), outputs: ReleaseRunner.Outputs,
        autoAdvance: Bool = true
    ) -> ReleaseRunner {
        var plan = ReleasePlan()
        plan.bake = 0.3
        plan.interval = 0.05
        var gates = GateSettings()
        gates.minRequests = 20
        let engine = ReleaseEngine(
            plan: plan, gates: gates, metrics: MetricNames(), failureCodes: .defaults, autoAdvance: autoAdvance, requiresRouterReading: true)
        return ReleaseRunner(
            engine: engine, fleet: ScriptedFleet(canary: canary, router: router), router: router, journal: journal, outputs: outputs,
            interval: plan.interval, actor: "test")
    }

    /// Waits (at most 30 s, in 10 ms steps) until `condition` holds.
    static func eventually(_ what: Comment, _ condition: () async -> Bool) async {
        for _ in 0..<3000 {
            if await condition() { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("never happened: \(what)")
    }

    @Test("a refused rollback is re-sent every round; cancelled, the outcome is 'rollback unconfirmed' and the journal says so")
    func refusedRollbackThenCancel() async throws {
        let rig = Rig()
        let task = rig.start()
        await rig.refuseRollback("HTTP 503 from the router", times: 3)
        #expect(await rig.runner.state.phase == .rollingBack)
        task.cancel()
        let outcome = await task.value
        #expect(outcome.verdict == .rollbackUnconfirmed)
        #expect(outcome.weight == 5, "the router still reads 5%")
        #expect(outcome.reason.hasPrefix("ROLLBACK NOT CONFIRMED (router refused weight 0: HTTP 503 from the router)"), "\(outcome.reason)")
        #expect(rig.router.weight == 5)
        #expect(rig.journal.entries.last?.action == "rollback")
        #expect(JournalSummary(rig.journal.entries)?.standing == .rollbackUnconfirmed)
        #expect(rig.outputs.messages.filter { $0.hasPrefix("ROLLBACK NOT APPLIED") }.count == 1, "shouted once: \(rig.outputs.messages)")
        #expect(rig.router.writes.filter { $0.weight == 0 }.allSatisfy { $0.expecting == nil }, "a rollback is unconditional")
    }

    @Test("a rollback lands once the router takes it again; rolled back only after the read-back shows 0")
    func rollbackLandsLater() async throws {
        let rig = Rig()
        let task = rig.start()
        await rig.refuseRollback("HTTP 500", times: 2)
        rig.router.refuseWrites(nil)
        let outcome = await task.value
        #expect(outcome.verdict == .rolledBack)
        #expect(rig.router.weight == 0)
        #expect(rig.journal.entries.suffix(2).map(\.action) == ["rollback", "rollback_confirmed"])
    }

    @Test("an operator's rollback during a router write waits for it: one writer, in order, the rollback last")
    func operatorKeyDuringWrite() async throws {
        let rig = Rig()
        rig.router.holdWrites()
        let task = rig.start()
        await Self.eventually("the first promotion is in flight") { rig.router.holdsAWrite }
        rig.runner.request(.rollback, by: "ana")
        try await Task.sleep(for: .milliseconds(100))
        #expect(rig.router.writes.map(\.weight) == [5], "nothing else is written while the promotion is in flight")
        rig.router.releaseWrites()
        let outcome = await task.value
        #expect(outcome.verdict == .rolledBack)
        #expect(rig.router.writes.map(\.weight) == [5, 0])
        #expect(rig.router.mostConcurrentWrites == 1)
        #expect(rig.router.weight == 0)
        #expect(rig.journal.entries.map(\.action) == ["promote", "rollback", "rollback_confirmed"])
    }

    @Test("a manual change between grayctl's reading and its write is not overwritten: If-Match conflicts, the engine re-reads, adopts and pauses")
    func manualChangeBeforeWrite() async throws {
        let rig = Rig()
        rig.router.setByHandBeforeNextWrite(30)
        let task = rig.start()
        await Self.eventually("paused at the manual weight") { await rig.runner.state.paused }
        #expect(rig.router.weight == 30)
        #expect(rig.router.writes.first?.expecting == "1", "the write named the generation of the reading it was based on")
        #expect(await rig.runner.state.weight == 30)
        #expect(rig.outputs.messages.contains { $0.hasPrefix("promotion to 5% failed: generation 1 is not 2: HTTP 409") }, "\(rig.outputs.messages)")
        rig.canary.openBreaker(true)
        let outcome = await task.value
        #expect(outcome.verdict == .rolledBack, "a tripped gate rolls back the adopted weight")
        #expect(rig.router.weight == 0)
    }

    @Test("while the journal cannot be written no promotion is sent, said once; a rollback still goes out")
    func journalWriteFailure() async throws {
        let rig = Rig(routerWeight: 0)
        rig.journal.fail("No space left on device")
        let task = rig.start()
        await Self.eventually("several rounds held") { rig.outputs.messages.contains { $0.hasPrefix("JOURNAL WRITE FAILED") } }
        try await Task.sleep(for: .milliseconds(300))
        #expect(rig.router.writes.isEmpty, "no weight changed without a journal entry")
        #expect(rig.outputs.decisions.allSatisfy { if case .step = $0.kind { return false } else { return true } })
        #expect(rig.outputs.messages.filter { $0.hasPrefix("JOURNAL WRITE FAILED") }.count == 1)
        #expect(await rig.runner.state.holdReason == "the journal cannot be written (No space left on device): no promotion until it can")
        rig.router.setByHand(20)
        rig.canary.openBreaker(true)
        let outcome = await task.value
        #expect(outcome.verdict == .rolledBack)
        #expect(rig.router.weight == 0, "the rollback went out without a journal")
    }

    @Test("a router found above 0 with no journal: adopted and paused, and a tripped gate rolls it back to 0")
    func routerAboveZero() async throws {
        let rig = Rig(routerWeight: 20)
        let task = rig.start()
        await Self.eventually("paused at 20%") { await rig.runner.state.paused }
        #expect(rig.router.writes.isEmpty)
        rig.canary.fail(0.5)
        let outcome = await task.value
        #expect(outcome.verdict == .rolledBack)
        #expect(rig.router.weight == 0)
        #expect(rig.outputs.decisions.contains { $0.kind == .rollback(from: 20, to: 0) })
    }

    @Test("a failed read-back leaves the step unconfirmed until the next round's reading settles it")
    func failedReadBack() async throws {
        let rig = Rig(autoAdvance: false)
        let task = rig.start()
        await Self.eventually("the router read, the canary ready to start") {
            let state = await rig.runner.state
            return state.fleet.routerWeight != nil && state.report.result(.health)?.verdict == .pass
                && state.report.blocking(starting: true) == nil
        }
        rig.router.failReads("read timed out")
        rig.runner.request(.promote, by: "ana")
        await Self.eventually("the write went out") { rig.router.writes.count == 1 }
        try await Task.sleep(for: .milliseconds(150))
        #expect(await rig.runner.state.pending?.weight == 5, "sent, not confirmed")
        #expect(await rig.runner.state.weight == 0)
        #expect(rig.outputs.decisions.allSatisfy { if case .step = $0.kind { return false } else { return true } }, "not announced before it is confirmed")
        rig.router.failReads(nil)
        await Self.eventually("confirmed by the next reading") { await rig.runner.state.weight == 5 }
        #expect(rig.router.writes.count == 1, "not sent twice: \(rig.outputs.messages)")
        #expect(rig.outputs.decisions.contains { $0.kind == .step(from: 0, to: 5) })
        task.cancel()
        _ = await task.value
    }

    @Test("operator requests reach the engine in the order they were made")
    func requestOrder() async throws {
        let rig = Rig(autoAdvance: false)
        let task = rig.start()
        for action in [OperatorAction.pause, .resume, .pause, .toggleAutoAdvance, .resume] { rig.runner.request(action, by: "ana") }
        await Self.eventually("five requests journalled") { rig.journal.entries.count == 5 }
        #expect(rig.journal.entries.map(\.action) == ["pause", "resume", "pause", "toggle_auto", "resume"])
        task.cancel()
        _ = await task.value
    }

    @Test("a write reported as failed whose reading shows the weight sent has landed: the step counts, nothing is journalled as failed")
    func failedWriteThatLanded() async throws {
        let rig = Rig()
        rig.router.failAfterApplying("HTTP 504 from a proxy in front of the router")
        let task = rig.start()
        await Self.eventually("stepped to 5%") { await rig.runner.state.weight == 5 }
        #expect(!rig.journal.entries.contains { $0.action == "promote_failed" })
        #expect(rig.outputs.decisions.contains { $0.kind == .step(from: 0, to: 5) })
        #expect(await !rig.runner.state.paused, "not mistaken for a change made by someone else")
        task.cancel()
        _ = await task.value
    }

    @Test("a router that accepts a weight and keeps the old one: the step does not count, and the read-back says why")
    func ignoredWrite() async throws {
        let rig = Rig()
        rig.router.ignoreWrites(true)
        let task = rig.start()
        await Self.eventually("a promotion failed") { rig.outputs.messages.contains { $0.contains("router reads 0% after grayctl sent 5%") } }
        #expect(await rig.runner.state.weight == 0)
        #expect(await rig.runner.state.stepIndex == -1)
        #expect(rig.outputs.decisions.allSatisfy { if case .step = $0.kind { return false } else { return true } }, "no step announced that did not happen")
        #expect(rig.journal.entries.prefix(2).map(\.action) == ["promote", "promote_failed"])
        #expect(JournalSummary(rig.journal.entries)?.standing == .notStarted, "a restart does not read it as in flight")
        task.cancel()
        #expect(await task.value.verdict == .inProgress)
    }
}
