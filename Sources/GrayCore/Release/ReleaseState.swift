/// Where a release stands.
public enum ReleasePhase: String, Sendable {
    /// Weight 0, not started.
    case waiting
    /// At some step of the plan.
    case progressing
    /// Rolled back to weight 0; terminal for this release.
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
    /// What is known of the fleet.
    public internal(set) var fleet: FleetState

    var holdKey: String?

    init(autoAdvance: Bool, fleet: FleetState) {
        self.autoAdvance = autoAdvance
        self.fleet = fleet
    }

    /// True once rolled back or promoted.
    public var isTerminal: Bool { phase == .rolledBack || phase == .promoted }
}
