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
