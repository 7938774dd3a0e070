/// Where a release stood according to its journal, read back when grayctl starts again.
public struct JournalSummary: Equatable, Sendable {
    /// The weight the last weight-changing action led to.
    public var weight: Int
    /// The last action.
    public var last: JournalEntry
    /// True when the release neither completed nor rolled back: grayctl crashed or was stopped
    /// while it was in flight.
    public var inFlight: Bool

    /// The summary of `entries` (oldest first); nil for an empty journal.
    public init?(_ entries: [JournalEntry]) {
        guard let last = entries.last else { return nil }
        self.last = last
        self.weight = entries.last { ["promote", "rollback", "complete", "resume_journal"].contains($0.action) }?.weight ?? 0
        self.inFlight = !(last.action == "complete" || last.action == "rollback")
    }

    /// A sentence for the operator.
    public var description: String {
        let state = inFlight ? "was in flight" : (last.action == "complete" ? "completed" : "was rolled back")
        return "the previous release \(state) at \(weight)% (last: \(last.action) by \(last.by), \(last.reason))"
    }
}
