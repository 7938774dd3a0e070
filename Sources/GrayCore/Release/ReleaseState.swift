/// Where a release stands.
public enum ReleasePhase: String, Sendable, CaseIterable {
    /// Weight 0, not started.
    case waiting
    /// At some step of the plan.
    case progressing
    /// A rollback was decided and sent, but the router has not yet shown weight 0 on a read-back:
    /// the canary may still get traffic. Weight 0 is re-sent every round until the router reads 0.
    case rollingBack = "rolling_back"
    /// Rolled back: the router read back weight 0; terminal for this release.
    case rolledBack = "rolled_back"
    /// The last step baked green; terminal.
    case promoted
}

/// The whole state of one release: plan position, timers and what is known of the fleet.
public struct ReleaseState: Sendable {
    /// Phase.
    public internal(set) var phase: ReleasePhase = .waiting
    /// Index into the plan's steps; -1 before the first step.
    public internal(set) var stepIndex = -1
    /// The canary weight confirmed by the router.
    public internal(set) var weight = 0
    /// A weight sent to the router and not yet confirmed, with its step index.
    public internal(set) var pending: (weight: Int, stepIndex: Int)?
    /// Whether promotion is paused by the operator.
    public internal(set) var paused = false
    /// Whether steps advance by themselves after the bake time.
    public internal(set) var autoAdvance: Bool
    /// Since when every gate has been green at this step.
    public internal(set) var greenSince: Double?
    /// When the current step was set.
    public internal(set) var stepStartedAt: Double?
    /// The gates at the last evaluation.
    public internal(set) var report = GateReport.empty
    /// Time of the last event.
    public internal(set) var now: Double = 0
    /// The reason of the rollback or completion, once terminal.
    public internal(set) var finalReason: String?
    /// The current hold's reason, if promotion is blocked.
    public internal(set) var holdReason: String?
    /// Why the journal could not be written last time, until a promotion's entry is written again.
    public internal(set) var journalFailure: String?
    /// The router's last refusal of weight 0 while rolling back (shouted once per distinct message).
    public internal(set) var rollbackFailure: String?
    /// What is known of the fleet.
    public internal(set) var fleet: FleetState
    /// Where the next promotion stands with `plan.confirm`, when it is configured.
    public internal(set) var confirmation: PromotionConfirmation?
    /// The `plan.confirm` holds already announced for the next step (asked, each distinct
    /// refusal): a refusal repeated at every retry is announced once.
    var confirmNotices: Set<String> = []

    var holdKey: String?
    /// The step decision of the pending promotion, announced once the router confirms it.
    var pendingStep: Decision?

    init(autoAdvance: Bool, fleet: FleetState) {
        self.autoAdvance = autoAdvance
        self.fleet = fleet
    }

    /// True once rolled back (confirmed by the router) or promoted.
    public var isTerminal: Bool { phase == .rolledBack || phase == .promoted }

    /// True once the release is decided: promoted, rolled back, or rolling back (no promotion can
    /// follow, and operator requests other than auto-advance are refused).
    public var isDecided: Bool { isTerminal || phase == .rollingBack }
}

