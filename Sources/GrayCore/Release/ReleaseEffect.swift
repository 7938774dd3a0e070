/// What the state machine asks the runtime to do. Equatable, so tests compare lists of effects.
public enum ReleaseEffect: Equatable, Sendable {
    /// Set the router's canary weight (percent).
    case setWeight(Int)
    /// Append (and fsync) a journal entry before anything it describes is sent.
    case appendJournal(JournalEntry)
    /// Tell the operator something.
    case showMessage(String)
    /// Announce a decision (events log, `--json` output, replay timeline).
    case announce(Decision)
    /// Ask `plan.confirm` whether this promotion may go; the answer comes back as
    /// ``ReleaseEvent/confirmationAnswered(to:approved:answer:at:)``.
    case askConfirmation(PromotionRequest)
}

