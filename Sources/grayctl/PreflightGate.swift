import ArgumentParser
import GrayCore

/// `grayctl release`'s preflight before a release from 0%: it does not start on a failed check
/// (`--force`: on a critical one only). A release whose canary may already have traffic (resumed,
/// adopted, or a rollback to re-send) runs no preflight: waiting on checks would leave that traffic
/// unwatched, or a rollback unsent, while the running release judges it from its first round.
struct PreflightGate {
    /// How long a failing check is given to clear before a release refuses to start (a fleet or a
    /// Prometheus server still starting).
    static let patience: Double = 15

    /// `--force`: only critical checks keep a fresh release from starting.
    var force: Bool

    /// Says `report` on standard error, then throws exit status 1 when it keeps the release from starting.
    func admit(_ report: PreflightReport) throws {
        let blocking = report.blocking(force: force)
        let lines = report.text.split(separator: "\n")
        for line in report.worst == .pass ? lines.suffix(1) : lines[...] { InputFiles.note("check: \(line)") }
        guard !blocking.isEmpty else { return }
        let critical = blocking.contains { $0.verdict == .critical }
        InputFiles.note(
            "not starting: \(blocking.count) check\(blocking.count == 1 ? "" : "s") to fix"
                + (critical ? " (critical: --force does not override it)" : "; --force starts anyway if you know why"))
        throw ExitCode(1)
    }
}
