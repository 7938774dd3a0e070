import Foundation

/// The admin token that mutations require (`Authorization: Bearer <token>`). Never logged or shown.
public struct BearerToken: Sendable, CustomStringConvertible {
    private let secret: [UInt8]

    /// Wraps a token; surrounding whitespace (a trailing newline in a token file) is dropped.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        secret = Array(trimmed.utf8)
    }

    /// Whether an `Authorization` header value carries this token (constant-time comparison).
    public func accepts(authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let offered = Array(authorization.dropFirst("Bearer ".count).utf8)
        guard offered.count == secret.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(offered, secret) { difference |= a ^ b }
        return difference == 0
    }

    public var description: String { "<redacted>" }
}

