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
