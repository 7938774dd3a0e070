/// Every check of one preflight, in the order they were made.
public struct PreflightReport: Equatable, Sendable {
    /// The checks.
    public var checks: [PreflightCheck]

    /// A report of `checks`.
    public init(checks: [PreflightCheck]) {
        self.checks = checks
    }

    /// The worst verdict (`pass` for an empty report).
    public var worst: PreflightVerdict { checks.map(\.verdict).max() ?? .pass }

    /// `grayctl check`'s exit status: 0 when nothing is to fix, 1 otherwise.
    public var exitStatus: Int32 { worst >= .fail ? 1 : 0 }

    /// The checks that keep a release from starting: every failed one, or with `force` only the
    /// critical ones.
    public func blocking(force: Bool) -> [PreflightCheck] {
        checks.filter { force ? $0.verdict == .critical : $0.verdict >= .fail }
    }

    /// One line a check (`FAIL canary metrics: … — fix: …`), then a closing line.
    public var text: String {
        var lines = checks.map { check in
            "\(check.verdict.mark) \(check.area): \(check.summary)" + (check.fix.map { " — fix: \($0)" } ?? "")
        }
        let failed = checks.filter { $0.verdict >= .fail }.count
        let warned = checks.filter { $0.verdict == .warn }.count
        lines.append(
            failed == 0
                ? "ready: \(checks.count) checks, \(warned) warning\(warned == 1 ? "" : "s")"
                : "not ready: \(failed) of \(checks.count) checks to fix"
                    + (worst == .critical ? " (critical: a release will not start even with --force)" : ""))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as one JSON object (`--json`).
    public var json: JSONValue {
        .object([
            "ready": .bool(exitStatus == 0),
            "worst": .string(worst.rawValue),
            "checks": .array(checks.map { check in
                var members: [String: JSONValue] = [
                    "area": .string(check.area), "verdict": .string(check.verdict.rawValue), "summary": .string(check.summary),
                ]
                if let fix = check.fix { members["fix"] = .string(fix) }
                return .object(members)
            }),
        ])
    }
}
