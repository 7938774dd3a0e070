import Foundation
import GrayCore

/// Turns the release state after each round into the JSON events of a rollback's progress for
/// `--headless`: once per refusal message (`rollback_refused`) and once when the router reads 0
/// (`rollback_confirmed`), so a JSON consumer can tell a sent rollback from a done one.
final class RollbackEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var phase: ReleasePhase = .waiting
    private var refusal: String?

    /// The lines `state` calls for, given the states seen before.
    func lines(after state: ReleaseState) -> [String] {
        lock.withLock {
            var lines: [String] = []
            if let failure = state.rollbackFailure, failure != refusal, state.phase == .rollingBack {
                lines.append(ReplayOutput.rollbackLine(confirmed: false, t: state.now, reason: "router refused weight 0: \(failure)"))
            }
            if state.phase == .rolledBack, phase != .rolledBack {
                lines.append(ReplayOutput.rollbackLine(confirmed: true, t: state.now, reason: "the router reads 0%"))
            }
            refusal = state.rollbackFailure
            phase = state.phase
            return lines
        }
    }
}
