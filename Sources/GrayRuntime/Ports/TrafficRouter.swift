public import GrayCore

/// The router that splits traffic between stable and canary: read its canary weight, set it.
///
/// Contract: `read()` never throws; a failure is an `error` entry (target router, endpoint
/// `weight`). `set` makes one attempt and does not retry (the release engine decides again on a
/// fresh reading instead). With `expecting` set, the write only lands if the router's version
/// token (our gateway's generation/ETag) is still that one; a mismatch is ``RouterWriteError/conflict(_:)``.
/// Tokens, credentials and secrets never appear in a message.
public protocol TrafficRouter: Sendable {
    /// The router's weight as a recording entry (`weight` with its generation, or `error`).
    func read() async -> RecordEntry

    /// Sets the canary weight (percent) in one attempt; `expecting` is the generation the decision
    /// was based on (nil: unconditional), `actor` who asks (the router's log).
    func set(_ weight: Int, expecting generation: String?, by actor: String) async throws(RouterWriteError)

    /// Whether a write would be accepted, found without changing the weight (a write that cannot
    /// land, a dry run, the session's permission level), for `grayctl check`.
    func writeAccess() async -> WriteAccess
}

/// Why a weight was not set.
public enum RouterWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The router's version moved since the reading the decision was based on.
    case conflict(String)
    /// Refused, failed or timed out.
    case failed(String)

    public var description: String {
        switch self {
        case .conflict(let message), .failed(let message): return message
        }
    }
}
