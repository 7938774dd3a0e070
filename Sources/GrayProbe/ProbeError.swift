import Foundation
import GrayCore

/// Why an observation of an endpoint failed, with the URL, in words an operator can act on.
public enum ProbeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libcurl failed (refused, timed out, TLS, protocol): its code and message.
    case transport(url: String, code: Int, message: String)
    /// The server answered with an HTTP status that is not success.
    case httpStatus(url: String, status: Int, body: String)
    /// A gRPC call ended with a non-OK status.
    case grpcStatus(url: String, code: Int, message: String)
    /// The answer could not be understood.
    case badResponse(url: String, reason: String)
    /// A name could not be resolved to addresses (the resolver's message).
    case unresolved(name: String, reason: String)
    /// A command socket (HAProxy's runtime API) failed: refused, timed out, closed.
    case socket(address: String, message: String)

    public var description: String {
        switch self {
        case .transport(let url, let code, let message): return "\(url): \(message) (curl error \(code))"
        case .httpStatus(let url, let status, let body):
            let excerpt = String(body.prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(url): HTTP \(status)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        case .grpcStatus(let url, let code, let message):
            let name = GRPCStatusCode(rawValue: code)?.upperSnakeName ?? "\(code)"
            return "\(url): gRPC status \(name)" + (message.isEmpty ? "" : ": \(message)")
        case .badResponse(let url, let reason): return "\(url): \(reason)"
        case .unresolved(let name, let reason): return "cannot resolve \(name): \(reason)"
        case .socket(let address, let message): return "\(address): \(message)"
        }
    }
}

