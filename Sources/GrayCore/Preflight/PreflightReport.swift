/// How one preflight check came out.
public enum PreflightVerdict: String, Sendable, Comparable, CaseIterable {
    /// Works as a release needs it.
    case pass
    /// Works, with something to know (a source not observed, a name spelled another way).
    case warn
    /// Something to fix: a release would hold on it. `grayctl release --force` starts anyway.
    case fail
    /// grayctl could not see or steer the canary: a release never starts, `--force` or not.
    case critical

    /// The mark a line of the report starts with.
    public var mark: String {
        switch self {
        case .pass: "ok  "
        case .warn: "warn"
        case .fail: "FAIL"
        case .critical: "CRIT"
        }
    }

    public static func < (lhs: PreflightVerdict, rhs: PreflightVerdict) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One line of `grayctl check`: what was checked, how it came out, and how to fix it.
public struct PreflightCheck: Equatable, Sendable {
    /// What the check is about (`router`, `canary health`, `plan`, …).
    public var area: String
    /// How it came out.
    public var verdict: PreflightVerdict
    /// What was found.
    public var summary: String
    /// What to do about it; nil when there is nothing to do.
    public var fix: String?

    /// A check's outcome.
    public init(_ area: String, _ verdict: PreflightVerdict, _ summary: String, fix: String? = nil) {
        self.area = area
        self.verdict = verdict
        self.summary = summary
        self.fix = fix
    }
}

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
