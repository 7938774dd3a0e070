/// Where a release stood according to its journal, read back when grayctl starts again.
///
/// Only the actions that move or settle the weight decide (`promote`, `promote_failed` — the
/// router refused it, the weight stayed —, `resume_journal`, `adopt`, `rollback`,
/// `rollback_confirmed`, `complete`); operator toggles written after them
/// (`pause`, `resume`, `toggle_auto`) change nothing.
public struct JournalSummary: Equatable, Sendable {
    /// How the journalled release ended, if it did.
    public enum Standing: String, Equatable, Sendable {
        /// Neither completed nor rolled back: grayctl crashed or was stopped while it was in flight.
        case inFlight = "in flight"
        /// A rollback was sent and never confirmed by the router: the next start sends it again.
        case rollbackUnconfirmed = "rolling back (rollback never confirmed by the router)"
        /// Rolled back, and the router read back 0.
        case rolledBack = "rolled back"
        /// The last step baked green.
        case completed = "completed"
        /// Nothing moved the weight yet.
        case notStarted = "not started"
    }

    /// The weight the last weight-changing action led to.
    public var weight: Int
    /// The weight before that action (0 when it was the first): where the router still stands if
    /// that action was a promotion whose write never landed (grayctl died between journalling and
    /// sending it).
    public var weightBefore: Int
    /// The last weight-changing action (`promote`, `rollback`, …), if any.
    public var decisiveAction: String?
    /// The last action.
    public var last: JournalEntry
    /// How the release ended, if it did.
    public var standing: Standing

    private static let settling: Set<String> = [
        "promote", "promote_failed", "resume_journal", "adopt", "rollback", "rollback_confirmed", "complete",
    ]

    /// The summary of `entries` (oldest first); nil for an empty journal.
    public init?(_ entries: [JournalEntry]) {
        guard let last = entries.last else { return nil }
        self.last = last
        let settled = entries.filter { Self.settling.contains($0.action) }
        let decisive = settled.last
        self.weight = decisive?.weight ?? 0
        self.weightBefore = settled.dropLast().last?.weight ?? 0
        self.decisiveAction = decisive?.action
        switch decisive?.action {
        case nil: standing = .notStarted
        case "rollback": standing = .rollbackUnconfirmed
        case "rollback_confirmed": standing = .rolledBack
        case "complete": standing = .completed
        case "promote_failed" where weight == 0: standing = .notStarted
        default: standing = .inFlight
        }
    }

    /// Where `--resume` continues when the router reads `routerWeight` (nil: unreadable): the
    /// journalled weight — unless the last action is a promotion and the router still reads the
    /// weight before it (grayctl died between journalling that step and its write landing): then the
    /// router's weight, with `neverLanded` true, so the step is taken again on fresh evidence.
    public func resumeWeight(routerWeight: Int?) -> (weight: Int, neverLanded: Bool) {
        guard decisiveAction == "promote", weightBefore != weight, let routerWeight, routerWeight == weightBefore else {
            return (weight, false)
        }
        return (routerWeight, true)
    }

    /// True when the release moved traffic and neither completed nor rolled back.
    public var inFlight: Bool { standing == .inFlight }

    /// A sentence for the operator.
    public var description: String {
        let state: String
        switch standing {
        case .notStarted: state = "had not started"
        case .rollbackUnconfirmed: state = "was \(standing.rawValue)"
        default: state = "was \(standing.rawValue) at \(weight)%"
        }
        return "the previous release \(state) (last: \(last.action) by \(last.by), \(last.reason))"
    }
}
