/// What an operator can ask of a release.
public enum OperatorAction: String, Sendable, CaseIterable {
    /// Advance one step (when every gate is green).
    case promote
    /// Set the canary weight to 0 and end the release. Never blocked.
    case rollback
    /// Stop advancing (gates still roll back).
    case pause
    /// Advance again.
    case resume
    /// Turn auto-advance on or off.
    case toggleAutoAdvance = "toggle_auto"
}

/// An input of the release state machine. Time always arrives inside the event.
public enum ReleaseEvent: Equatable, Sendable {
    /// One poll round of the fleet finished: its observations are applied together, then the gates
    /// are judged once.
    case observed([Observation], at: Double)
    /// Time passed without an observation.
    case ticked(at: Double)
    /// An operator asked for something; `by` names who.
    case operatorRequested(OperatorAction, by: String, at: Double)
    /// The router confirmed a weight grayctl set (a simulated router in replay and tests; live, a
    /// read-back of the router arrives as an observed `weight` instead). Confirms a rollback.
    case routerAcknowledged(weight: Int, at: Double)
    /// The router was read right after a write (live runs): settles the write (a read of the
    /// weight sent confirms it, another weight rejects it) without judging the gates again, so a
    /// refused rollback goes out again at the next round, not in a tight loop.
    case routerReadBack(weight: Int, generation: String?, at: Double)
    /// The router refused or failed to set a weight.
    case routerRejected(weight: Int, message: String, at: Double)
    /// The journal entry describing a change could not be written: a promotion it describes was
    /// not sent (a rollback is sent anyway).
    case journalWriteFailed(JournalEntry, message: String, at: Double)
    /// The operator chose to continue a release its journal shows in flight at `weight`.
    case resumedFromJournal(weight: Int, by: String, at: Double)
    /// The operator chose to continue at the weight the router reads (`--adopt`), which no journal
    /// explains.
    case adoptedRouterWeight(weight: Int, by: String, at: Double)
    /// The journal ends with a rollback the router never confirmed: it is sent again.
    case unconfirmedRollbackFound(by: String, at: Double)
    /// `plan.confirm` answered the promotion to `to`: 2xx (`approved`) or anything else, with what
    /// it said (or why it could not be asked).
    case confirmationAnswered(to: Int, approved: Bool, answer: String, at: Double)
}
