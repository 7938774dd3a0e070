/// The two printed forms of a replay: JSON events (`--json`) and a readable timeline.
public enum ReplayOutput {
    /// One JSON object a line per decision (`step`, `hold`, `rollback`), then the verdict line.
    /// With `explain`, each event also carries its evidence (``DecisionEvidence/json(_:)``).
    public static func jsonLines(_ result: ReplayResult, explain: Bool = false) -> String {
        result.decisions.compactMap { decision in
            guard let line = jsonLine(decision) else { return nil }
            guard explain else { return line }
            return String(line.dropLast(2)) + ",\"evidence\":" + JSONWriter.write(DecisionEvidence.json(decision)) + "}\n"
        }.joined()
            + verdictLine(result.verdict, weight: result.weight, t: result.t, reason: result.reason)
    }

    /// The JSON event line of one decision; nil for completion (the verdict line says it).
    public static func jsonLine(_ decision: Decision) -> String? {
        let reason = JSONWriter.quoted(decision.reason)
        switch decision.kind {
        case .step(let from, let to):
            return "{\"t\":\(time(decision.t)),\"event\":\"step\",\"from\":\(from),\"to\":\(to),\"reason\":\(reason)}\n"
        case .hold:
            return "{\"t\":\(time(decision.t)),\"event\":\"hold\",\"reason\":\(reason)}\n"
        case .rollback(let from, let to):
            return "{\"t\":\(time(decision.t)),\"event\":\"rollback\",\"from\":\(from),\"to\":\(to),\"reason\":\(reason)}\n"
        case .complete:
            return nil
        }
    }

    /// The JSON event line of a rollback's progress on a live run: `rollback_refused` (the router
    /// refused weight 0; it is re-sent every round) or `rollback_confirmed` (a read-back showed 0).
    public static func rollbackLine(confirmed: Bool, t: Double, reason: String) -> String {
        "{\"t\":\(time(t)),\"event\":\"\(confirmed ? "rollback_confirmed" : "rollback_refused")\",\"reason\":\(JSONWriter.quoted(reason))}\n"
    }

    /// The final line: `{"verdict":...,"weight":N,"t":T,"reason":...}`.
    public static func verdictLine(_ verdict: Verdict, weight: Int, t: Double, reason: String) -> String {
        "{\"verdict\":\"\(verdict.rawValue)\",\"weight\":\(weight),\"t\":\(time(t)),\"reason\":\(JSONWriter.quoted(reason))}\n"
    }

    /// A table of every decision with the gate values behind it, then the verdict; with `explain`,
    /// each decision's evidence under it (``DecisionEvidence``).
    public static func timeline(_ result: ReplayResult, title: String, plan: ReleasePlan, gates: GateSettings, explain: Bool = false) -> String {
        var out = title + "\n"
        out += "plan " + plan.steps.map(String.init).joined(separator: " → ") + ", bake \(Format.seconds(plan.bake)); "
        out += "gates: failures ≤ \(Format.percent(gates.maxErrorRatio)), P\(Format.fixed(gates.latencyQuantile * 100, 0)) ≤ \(Format.milliseconds(gates.maxLatency))"
        out += " over \(Format.seconds(gates.window))"
        if gates.fastWindow > 0 { out += " (fast \(Format.seconds(gates.fastWindow)))" }
        out += ", min \(Format.count(gates.minRequests)) requests\n\n"
        let header = [
            "TIME".leftPadded(to: 8), "WEIGHT".rightPadded(to: 9), "CANARY REQ".leftPadded(to: 10),
            "ERR".leftPadded(to: 7), "P99".leftPadded(to: 8), "STABLE ERR".leftPadded(to: 10),
            "P99".leftPadded(to: 8), "  " + "DECISION".rightPadded(to: 9), "REASON",
        ]
        out += header.joined(separator: " ") + "\n"
        for decision in result.decisions {
            let canary = decision.report.measurements[.canary]
            let stable = decision.report.measurements[.stable]
            let (label, weight): (String, String)
            switch decision.kind {
            case .step(let from, let to): (label, weight) = ("step", "\(from)→\(to)")
            case .hold: (label, weight) = ("hold", "")
            case .rollback(let from, let to): (label, weight) = ("ROLLBACK", "\(from)→\(to)")
            case .complete: (label, weight) = ("complete", "100")
            }
            let row = [
                clock(decision.t).leftPadded(to: 8), weight.rightPadded(to: 9),
                (canary.map { Format.count($0.requests) } ?? "-").leftPadded(to: 10),
                (canary.map { Format.percent($0.failureRatio) } ?? "-").leftPadded(to: 7),
                (canary.map { Format.milliseconds($0.latency) } ?? "-").leftPadded(to: 8),
                (stable.map { Format.percent($0.failureRatio) } ?? "-").leftPadded(to: 10),
                (stable.map { Format.milliseconds($0.latency) } ?? "-").leftPadded(to: 8),
                "  " + label.rightPadded(to: 9), decision.reason,
            ]
            out += row.joined(separator: " ") + "\n"
            if explain {
                for line in DecisionEvidence.lines(decision, gates: gates) { out += String(repeating: " ", count: 10) + line + "\n" }
            }
        }
        out += "\nverdict: \(result.verdict.rawValue) at \(clock(result.t)), weight \(result.weight)%: \(result.reason)\n"
        return out
    }

    /// `t` as JSON: always with a fraction, as in `docs/recording.md` (`12.0`).
    static func time(_ t: Double) -> String { t.description }

    /// `t` seconds as `m:ss` (with tenths when fractional).
    public static func clock(_ t: Double) -> String {
        guard t.isFinite, abs(t) < 1e15 else { return Format.seconds(t) }
        let tenths = Int((t * 10).rounded())
        let minutes = tenths / 600
        let seconds = (tenths % 600) / 10
        let fraction = tenths % 10
        let base = "\(minutes):" + (seconds < 10 ? "0" : "") + "\(seconds)"
        return fraction == 0 ? base : base + ".\(fraction)"
    }
}
