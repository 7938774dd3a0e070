/// Where a release stands, for `grayctl status` (a one-shot for scripts and a second operator):
/// the router's weight and the plan step it is at, the journal's last decisions, and the gates as
/// a short read-only sample judged them. Pure: the caller reads the router, the journal and the
/// fleet.
public struct ReleaseStatus: Equatable, Sendable {
    /// The router, as the config names it.
    public var router: String
    /// The router's weight now, or why it could not be read.
    public var reading: Result<Int, RouterReadFailure>
    /// The plan.
    public var plan: ReleasePlan
    /// The journal's summary; nil when it has no entry (or there is no journal).
    public var journal: JournalSummary?
    /// The journal's last entries, oldest first.
    public var recent: [JournalEntry]
    /// The gates as judged over the sample.
    public var gates: GateReport
    /// How long the fleet was sampled (seconds).
    public var sampled: Double

    /// Why the router's weight could not be read.
    public struct RouterReadFailure: Error, Equatable, Sendable {
        /// The reader's message.
        public var message: String

        /// A failure saying `message`.
        public init(_ message: String) {
            self.message = message
        }
    }

    /// A status of these readings.
    public init(
        router: String, reading: Result<Int, RouterReadFailure>, plan: ReleasePlan, journal: JournalSummary?, recent: [JournalEntry],
        gates: GateReport, sampled: Double
    ) {
        self.router = router
        self.reading = reading
        self.plan = plan
        self.journal = journal
        self.recent = recent
        self.gates = gates
        self.sampled = sampled
    }

    /// Where the weight is on the plan: `step 2/5 (10%)`, `not started (0%)`, `rolled back (0%)`,
    /// `off the plan (7%, between 5% and 10%)`, or `unknown`.
    public var position: String {
        guard case .success(let weight) = reading else { return "unknown (the router's weight is unreadable)" }
        if weight == 0 {
            return journal?.standing == .rolledBack ? "rolled back (0%)" : journal?.standing == .rollbackUnconfirmed ? "rollback unconfirmed (0%)" : "not started (0%)"
        }
        if let index = plan.steps.firstIndex(of: weight) {
            return "step \(index + 1)/\(plan.steps.count) (\(weight)%)" + (journal?.standing == .completed && weight == plan.steps.last ? ", completed" : "")
        }
        let below = plan.steps.last { $0 < weight }, above = plan.steps.first { $0 > weight }
        return "off the plan (\(weight)%" + (below.map { b in above.map { ", between \(b)% and \($0)%" } ?? ", above \(b)%" } ?? "") + ")"
    }

    /// The status as lines for a person.
    public var text: String {
        var lines: [String] = []
        switch reading {
        case .success(let weight): lines.append("router     \(router): canary \(weight)%, \(position)")
        case .failure(let failure): lines.append("router     \(router): weight unreadable: \(failure.message)")
        }
        lines.append("plan       \(plan.steps.map { "\($0)%" }.joined(separator: " → ")), bake \(Format.seconds(plan.bake))")
        lines.append("journal    " + (journal?.description ?? "no entries"))
        for entry in recent {
            lines.append("           \(entry.action) \(entry.weight)% by \(entry.by): \(entry.reason)")
        }
        lines.append("gates      over \(Format.seconds(sampled)) sampled now (read-only):")
        for result in gates.results {
            lines.append("           \(result.gate.rawValue.rightPadded(to: 9)) \(result.verdict.rawValue.uppercased()): \(result.reason)")
        }
        if gates.results.isEmpty { lines.append("           nothing judged yet") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The status as one JSON object (`--json`).
    public var json: JSONValue {
        var router: [String: JSONValue] = ["name": .string(self.router), "position": .string(position)]
        switch reading {
        case .success(let weight): router["weight"] = .number(Double(weight))
        case .failure(let failure): router["error"] = .string(failure.message)
        }
        var members: [String: JSONValue] = [
            "router": .object(router),
            "plan": .array(plan.steps.map { .number(Double($0)) }),
            "recent": .array(recent.map { entry in
                .object(["action": .string(entry.action), "weight": .number(Double(entry.weight)), "by": .string(entry.by), "reason": .string(entry.reason)])
            }),
            "gates": .array(gates.results.map { result in
                .object(["gate": .string(result.gate.rawValue), "verdict": .string(result.verdict.rawValue), "reason": .string(result.reason)])
            }),
            "sampled_seconds": .number(sampled),
        ]
        if let journal {
            members["journal"] = .object(["standing": .string(journal.standing.rawValue), "weight": .number(Double(journal.weight))])
        }
        return .object(members)
    }
}
