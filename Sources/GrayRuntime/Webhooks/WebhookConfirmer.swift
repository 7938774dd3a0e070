public import GrayCore

/// `plan.confirm` as a webhook, like Flagger's confirm-promotion: the promotion is POSTed (a
/// notice's payload, kind `confirm`), a 2xx answer approves it, anything else — another status, no
/// answer within the timeout, a refused connection — declines it with what was said.
public struct WebhookConfirmer: PromotionConfirmer {
    private let post: WebhookPost
    private let service: String

    /// Asks `url` (the secret, read at start) about `service`'s promotions, waiting `timeout` seconds.
    public init(url: String, service: String, timeout: Double = 10) {
        self.post = WebhookPost(url: url, timeout: timeout)
        self.service = service
    }

    public func confirm(_ request: PromotionRequest) async -> ConfirmationAnswer {
        let notice = ReleaseNotice(
            kind: "confirm", service: service, text: "may the canary go \(request.from)% → \(request.to)%? \(request.reason)",
            fields: [
                "from": .number(Double(request.from)), "to": .number(Double(request.to)), "by": .string(request.by),
                "reason": .string(request.reason),
            ])
        switch await post.send(notice.payload) {
        case .answered(let status, let body):
            let said = "HTTP \(status)" + (body.isEmpty ? "" : ": \(body)")
            return ConfirmationAnswer(approved: (200..<300).contains(status), said: said)
        case .failed(let why):
            return ConfirmationAnswer(approved: false, said: "no answer from \(post.shown): \(why)")
        }
    }
}
