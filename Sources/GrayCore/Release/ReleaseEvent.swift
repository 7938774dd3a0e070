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
    /// The router confirmed a weight grayctl set.
    case routerAcknowledged(weight: Int, at: Double)
    /// The router refused or failed to set a weight.
    case routerRejected(weight: Int, message: String, at: Double)
    /// The operator chose to continue a release its journal shows in flight at `weight`.
    case resumedFromJournal(weight: Int, by: String, at: Double)
}
