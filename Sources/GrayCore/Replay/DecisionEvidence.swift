/// `grayctl replay --explain`: the evidence behind a decision, so a post-mortem can check the
/// judge by hand — each version's counts over the last full gate window (requests, failures, the
/// ratio, the exact lower bound at `gates.confidence` against the limit, the latency quantile
/// against its limit), the error and latency gates' sequential tests (the counts since the start
/// that tripped or came closest, the e-value and the one it trips at), and every gate's verdict
/// with its reason. Pure.
public enum DecisionEvidence {
    /// The lines explaining `decision` under `gates`.
    public static func lines(_ decision: Decision, gates: GateSettings) -> [String] {
        var lines: [String] = []
        for version in [Version.canary, .stable] {
            guard let measured = decision.report.measurements[version] else {
                lines.append("\(version.rawValue): no traffic measured in the window")
                continue
            }
            lines.append("\(version.rawValue) over the last \(Format.seconds(gates.window)): " + counts(measured, gates: gates, judged: version == .canary))
        }
        for (gate, what) in [(Gate.errors, "failed"), (.latency, "slower than \(Format.milliseconds(gates.maxLatency))")] {
            guard let finding = decision.report.sequential[gate] else { continue }
            lines.append(
                "\(gate.rawValue) test: \(Format.count(finding.hits)) of \(Format.count(finding.total)) requests \(what) \(finding.period); "
                    + (finding.trips
                        ? "evidence \(Format.magnitude(finding.evidence)) ≥ \(Format.magnitude(finding.threshold)): over its threshold"
                        : "evidence \(Format.magnitude(finding.evidence)), trips at \(Format.magnitude(finding.threshold))"))
        }
        for result in decision.report.results {
            lines.append("\(result.gate.rawValue.rightPadded(to: 9)) \(result.verdict.rawValue.uppercased().rightPadded(to: 12)) \(result.reason)")
        }
        return lines
    }

    /// The evidence as a JSON object (`--explain --json`).
    public static func json(_ decision: Decision) -> JSONValue {
        var measurements: [String: JSONValue] = [:]
        for (version, measured) in decision.report.measurements {
            measurements[version.rawValue] = .object([
                "requests": .number(measured.requests), "failures": .number(failures(measured)),
                "failure_ratio": measured.failureRatio.isFinite ? .number(measured.failureRatio) : .null,
                "failure_lower_bound": measured.failureLowerBound.isFinite ? .number(measured.failureLowerBound) : .null,
                "latency_seconds": measured.latency.isFinite ? .number(measured.latency) : .null, "span_seconds": .number(measured.span),
            ])
        }
        var sequential: [String: JSONValue] = [:]
        for (gate, finding) in decision.report.sequential {
            sequential[gate.rawValue] = .object([
                "hits": .number(finding.hits), "total": .number(finding.total), "since": .string(finding.period),
                "start_index": .number(Double(finding.start.index)),
                "e_value": finding.evidence.isFinite ? .number(finding.evidence) : .null, "log_e_value": .number(finding.logEvidence),
                "threshold": .number(finding.threshold), "trips": .bool(finding.trips),
            ])
        }
        return .object([
            "measurements": .object(measurements),
            "sequential": .object(sequential),
            "gates": .array(decision.report.results.map { result in
                .object(["gate": .string(result.gate.rawValue), "verdict": .string(result.verdict.rawValue), "reason": .string(result.reason)])
            }),
        ])
    }

    private static func failures(_ measured: VersionMeasurement) -> Double {
        measured.requests > 0 && measured.failureRatio.isFinite ? (measured.failureRatio * measured.requests).rounded() : 0
    }

    private static func counts(_ measured: VersionMeasurement, gates: GateSettings, judged: Bool) -> String {
        var text = "\(Format.count(measured.requests)) requests, \(Format.count(failures(measured))) failures"
        guard measured.requests > 0 else { return text }
        text += " (\(Format.percent(measured.failureRatio)))"
        if judged {
            let bound = measured.failureLowerBound
            let side = bound > gates.maxErrorRatio ? ">" : "≤"
            text += "; exact lower bound \(Format.percent(bound)) at \(Format.trimmed(gates.confidence * 100, digits: 4))% \(side) limit "
                + Format.percent(gates.maxErrorRatio)
            if measured.requests < gates.minRequests { text += " (below the \(Format.count(gates.minRequests)) requests a verdict needs)" }
        }
        if measured.latency.isFinite {
            text += "; P\(Format.trimmed(gates.latencyQuantile * 100, digits: 2)) \(Format.milliseconds(measured.latency))"
                + (judged ? " \(measured.latency > gates.maxLatency ? ">" : "≤") limit \(Format.milliseconds(gates.maxLatency))" : "")
        }
        return text
    }
}
