import Foundation
import GrayCore
import GrayProbe

/// One POST of a JSON payload to a webhook, whose URL is a secret: every message names the webhook
/// by ``GrayCore/WebhookURL/shown(_:)`` (scheme and host), never by its URL.
struct WebhookPost: Sendable {
    /// What came back: the status and the start of the body, or why nothing did.
    enum Outcome: Equatable, Sendable {
        case answered(status: Int, body: String)
        case failed(String)
    }

    let url: String
    let timeout: Double
    private let http = CurlHTTPClient(tls: ProbeTLS(), label: "grayctl.webhook")

    /// How the webhook is named in messages.
    var shown: String { WebhookURL.shown(url) }

    /// POSTs `payload` once.
    func send(_ payload: String) async -> Outcome {
        do {
            let response = try await http.send(HTTPRequest(
                method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Array(payload.utf8),
                connectTimeout: timeout, timeout: timeout))
            let body = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
            return .answered(status: response.status, body: String(body.prefix(200)))
        } catch {
            return .failed(error.description.replacingOccurrences(of: url, with: shown))
        }
    }
}
