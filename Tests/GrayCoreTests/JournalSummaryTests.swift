import GrayCore
import Testing

@Suite("Reading back where a release stood")
struct JournalSummaryTests {
    static func entry(_ action: String, _ weight: Int) -> JournalEntry {
        JournalEntry(t: 1, action: action, weight: weight, by: "ana", reason: "why")
    }

    @Test("an empty journal has no summary")
    func empty() {
        #expect(JournalSummary([]) == nil)
    }

    @Test("a release stopped after a step was in flight at that step's weight")
    func inFlight() throws {
        let summary = try #require(JournalSummary([Self.entry("promote", 5), Self.entry("promote", 10), Self.entry("pause", 10)]))
        #expect(summary.inFlight && summary.weight == 10)
        #expect(summary.description == "the previous release was in flight at 10% (last: pause by ana, why)")
        #expect(summary.decisiveAction == "promote" && summary.weightBefore == 5, "the step to 10% came from 5%; the pause moves nothing")
        #expect(JournalSummary([Self.entry("promote", 5)])?.weightBefore == 0, "a first step comes from 0%")
    }

    @Test("--resume continues at the journalled weight, unless the router still reads the weight before the last journalled promotion (it never landed)")
    func resumeWeight() throws {
        let summary = try #require(JournalSummary([Self.entry("promote", 5), Self.entry("promote", 10)]))
        #expect(summary.resumeWeight(routerWeight: 10) == (10, false))
        #expect(summary.resumeWeight(routerWeight: 5) == (5, true), "the step to 10% never reached the router")
        #expect(summary.resumeWeight(routerWeight: 30) == (10, false), "any other weight: the engine pauses as for an outside change")
        #expect(summary.resumeWeight(routerWeight: nil) == (10, false), "unreadable: the journal's word")
        let rolling = try #require(JournalSummary([Self.entry("promote", 10), Self.entry("resume_journal", 10)]))
        #expect(rolling.resumeWeight(routerWeight: 10) == (10, false) && rolling.resumeWeight(routerWeight: 0) == (10, false), "only a promotion can have failed to land")
    }

    @Test("completed and confirmed rolled-back releases are not in flight",
          arguments: [(["complete"], 100, JournalSummary.Standing.completed), (["rollback", "rollback_confirmed"], 0, .rolledBack)])
    func finished(actions: [String], weight: Int, standing: JournalSummary.Standing) throws {
        let summary = try #require(JournalSummary([Self.entry("promote", 50)] + actions.map { Self.entry($0, weight) }))
        #expect(!summary.inFlight && summary.weight == weight && summary.standing == standing)
    }

    @Test("a rollback the router never confirmed is read as still rolling back (the next start re-sends it)")
    func unconfirmedRollback() throws {
        let summary = try #require(JournalSummary([Self.entry("promote", 25), Self.entry("rollback", 0)]))
        #expect(summary.standing == .rollbackUnconfirmed && !summary.inFlight)
    }

    @Test("operator toggles after the end do not make a finished release read as in flight",
          arguments: ["toggle_auto", "pause", "resume"])
    func togglesAfterTheEnd(action: String) throws {
        let summary = try #require(JournalSummary([
            Self.entry("promote", 25), Self.entry("rollback", 0), Self.entry("rollback_confirmed", 0), Self.entry(action, 0),
        ]))
        #expect(summary.standing == .rolledBack && !summary.inFlight)
    }

    @Test("a journal with only operator toggles has not started")
    func notStarted() throws {
        let summary = try #require(JournalSummary([Self.entry("pause", 0)]))
        #expect(summary.standing == .notStarted && !summary.inFlight)
    }

    @Test("a resumed release that stopped again is in flight at the resumed weight")
    func resumed() throws {
        let summary = try #require(JournalSummary([Self.entry("promote", 25), Self.entry("resume_journal", 25), Self.entry("pause", 25)]))
        #expect(summary.inFlight && summary.weight == 25)
    }
}
