/// grayctl's own metrics as a release driver (`--metrics-listen`), so a team can alert on a stuck
/// or dead driver: the weight and step, the phase, each gate's verdict, rollbacks and holds counted
/// by cause, poll errors by target and endpoint, and when an observation last succeeded. Pure:
/// fed the runner's decisions, states and observed entries; ``exposition`` is Prometheus text.
public struct DriverMetrics: Equatable, Sendable {
    private var weight = 0
    private var stepIndex = -1
    private var phase = ReleasePhase.waiting
    private var paused = false
    private var verdicts: [Gate: GateVerdict] = [:]
    private var rollbacks: [String: Int] = [:]
    private var holds: [String: Int] = [:]
    private var steps = 0
    private var pollErrors: [String: [String: Int]] = [:]
    private var lastObservation: Double?

    /// Nothing observed yet.
    public init() {}

    /// Counts `decision`: a step, a hold or a rollback by its cause (the gate that tripped or held,
    /// else `operator` or `router`).
    public mutating func record(_ decision: Decision) {
        switch decision.kind {
        case .step: steps += 1
        case .hold: holds[Self.cause(decision, tripped: false), default: 0] += 1
        case .rollback: rollbacks[Self.cause(decision, tripped: true), default: 0] += 1
        case .complete: break
        }
    }

    /// Takes the weight, step, phase and gate verdicts of `state`.
    public mutating func record(_ state: ReleaseState) {
        weight = state.weight
        stepIndex = state.stepIndex
        phase = state.phase
        paused = state.paused
        verdicts = Dictionary(state.report.results.map { ($0.gate, $0.verdict) }) { first, _ in first }
    }

    /// Counts `entry`'s failure by target and endpoint, or notes at `unixTime` (seconds since 1970)
    /// a successful observation of the fleet: a health answer, metrics or breakers read. The
    /// router's weight, discovery's lists and grayctl's own actions are not: a driver that reads
    /// only those is stuck, and the timestamp says so.
    public mutating func record(_ entry: RecordEntry, at unixTime: Double) {
        switch entry {
        case .error(let subject, let endpoint, _): pollErrors[subject.target.rawValue, default: [:]][endpoint, default: 0] += 1
        case .health(_, let status, _) where status != .unreachable: lastObservation = unixTime
        case .metrics, .breakers: lastObservation = unixTime
        default: break
        }
    }

    /// The cause of a hold or rollback: the gate that tripped (or held), else who asked.
    private static func cause(_ decision: Decision, tripped: Bool) -> String {
        let gate = tripped ? decision.report.tripped?.gate : decision.report.results.first { $0.verdict != .pass }?.gate
        if let gate { return gate.rawValue }
        return decision.reason.hasPrefix("operator") || decision.reason.contains(" by ") ? "operator" : "other"
    }

    /// Prometheus text exposition (0.0.4) of everything recorded.
    public var exposition: String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels) \(JSONWriter.number(sample.value))\n" }
        }
        func labels(_ pairs: [(String, String)]) -> String {
            "{" + pairs.map { "\($0.0)=\(JSONWriter.quoted($0.1))" }.joined(separator: ",") + "}"
        }
        family("grayctl_canary_weight_percent", "gauge", "The canary weight grayctl last knew the router at.", [("", Double(weight))])
        family("grayctl_plan_step", "gauge", "Index of the plan step reached (0-based; -1 before the first).", [("", Double(stepIndex))])
        family(
            "grayctl_release_phase", "gauge", "1 for the release's phase now, 0 for the others.",
            ReleasePhase.allCases.map { (labels([("phase", $0.rawValue)]), $0 == phase ? 1 : 0) })
        family("grayctl_release_paused", "gauge", "1 while the operator has paused the release.", [("", paused ? 1 : 0)])
        family(
            "grayctl_gate_verdict", "gauge", "1 for each gate's verdict now (pass, insufficient, hold, trip), 0 for the others.",
            Gate.allCases.flatMap { gate in
                GateVerdict.allCases.map { (labels([("gate", gate.rawValue), ("verdict", $0.rawValue)]), verdicts[gate] == $0 ? 1 : 0) }
            })
        family("grayctl_steps_total", "counter", "Promotions the router confirmed.", [("", Double(steps))])
        family(
            "grayctl_rollbacks_total", "counter", "Rollbacks decided, by cause (the gate that tripped, or operator).",
            rollbacks.sorted { $0.key < $1.key }.map { (labels([("cause", $0.key)]), Double($0.value)) })
        family(
            "grayctl_holds_total", "counter", "Holds (promotion blocked) decided, by cause (the gate that held).",
            holds.sorted { $0.key < $1.key }.map { (labels([("cause", $0.key)]), Double($0.value)) })
        family(
            "grayctl_poll_errors_total", "counter", "Failed observations, by target and endpoint (health, metrics, breakers, weight, discovery).",
            pollErrors.sorted { $0.key < $1.key }.flatMap { target, endpoints in
                endpoints.sorted { $0.key < $1.key }.map { (labels([("target", target), ("endpoint", $0.key)]), Double($0.value)) }
            })
        if let lastObservation {
            family(
                "grayctl_last_observation_timestamp_seconds", "gauge", "When an observation of the fleet last succeeded (Unix time).",
                [("", lastObservation)])
        }
        return out
    }
}
