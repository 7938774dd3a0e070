public import GrayCore

/// Asks whether a promotion may go (`plan.confirm`).
///
/// Contract: never throws and always answers, within its own timeout; anything but an explicit
/// yes is a no, with what was said or why nothing was.
public protocol PromotionConfirmer: Sendable {
    /// The answer about `request`.
    func confirm(_ request: PromotionRequest) async -> ConfirmationAnswer
}

/// A confirmer's answer.
public struct ConfirmationAnswer: Equatable, Sendable {
    /// Whether the promotion may go.
    public var approved: Bool
    /// What was said (`HTTP 200`, `HTTP 403: change freeze`), or why nothing was.
    public var said: String

    /// An answer.
    public init(approved: Bool, said: String) {
        self.approved = approved
        self.said = said
    }
}
