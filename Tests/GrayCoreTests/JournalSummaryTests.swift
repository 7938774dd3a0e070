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
    }

    @Test("completed and rolled-back releases are not in flight", arguments: [("complete", 100), ("rollback", 0)])
    func finished(action: String, weight: Int) throws {
        let summary = try #require(JournalSummary([Self.entry("promote", 50), Self.entry(action, weight)]))
        #expect(!summary.inFlight && summary.weight == weight)
    }

    @Test("a resumed release that stopped again is in flight at the resumed weight")
    func resumed() throws {
        let summary = try #require(JournalSummary([Self.entry("promote", 25), Self.entry("resume_journal", 25), Self.entry("pause", 25)]))
        #expect(summary.inFlight && summary.weight == 25)
    }
}
