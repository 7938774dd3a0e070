/// What `notify:` webhooks are told: a step, a hold (once per cause, as the engine announces it), a
/// rollback with its reason, the release promoted, an operator's action, grayctl itself failing,
/// and where grayctl stopped. The payload is Slack-incoming-webhook compatible (`text`) with the
/// structured event beside it (`event`). Pure.
public struct ReleaseNotice: Equatable, Sendable {
    /// `step`, `hold`, `rollback`, `promoted`, `operator`, `alert` or `stopped`.
    public var kind: String
    /// The line a person reads in chat.
    public var text: String
    /// The structured event (kind, service, weights, reason, …).
    public var event: [String: JSONValue]

    /// A notice of `kind` saying `text` about `service`, with `fields` in its event.
    public init(kind: String, service: String, text: String, fields: [String: JSONValue] = [:]) {
        self.kind = kind
        self.text = "[\(service)] \(text)"
        self.event = fields.merging(["kind": .string(kind), "service": .string(service)]) { _, fixed in fixed }
    }

    /// The notice of `decision`.
    public static func decision(_ decision: Decision, service: String) -> ReleaseNotice {
        let base: [String: JSONValue] = ["reason": .string(decision.reason), "t": .number(decision.t)]
        switch decision.kind {
        case .step(let from, let to):
            return ReleaseNotice(
                kind: "step", service: service, text: "canary \(from)% → \(to)%: \(decision.reason)",
                fields: base.merging(["from": .number(Double(from)), "to": .number(Double(to))]) { $1 })
        case .hold:
            return ReleaseNotice(kind: "hold", service: service, text: "holding: \(decision.reason)", fields: base)
        case .rollback(let from, let to):
            return ReleaseNotice(
                kind: "rollback", service: service, text: "ROLLBACK canary \(from)% → \(to)%: \(decision.reason)",
                fields: base.merging(["from": .number(Double(from)), "to": .number(Double(to))]) { $1 })
        case .complete:
            return ReleaseNotice(kind: "promoted", service: service, text: "promoted to 100%: \(decision.reason)", fields: base)
        }
    }

    /// The notice of an operator's action journalled as `action` (`pause`, `resume`, `toggle_auto`,
    /// `resume_journal`, `adopt`); nil for actions that are announced as decisions (promotions,
    /// rollbacks) or taken by grayctl itself.
    public static func operatorAction(_ action: String, weight: Int, by: String, reason: String, service: String) -> ReleaseNotice? {
        guard ["pause", "resume", "toggle_auto", "resume_journal", "adopt"].contains(action), by != "grayctl" else { return nil }
        return ReleaseNotice(
            kind: "operator", service: service, text: "operator \(by): \(action.replacingUnderscores) at \(weight)%: \(reason)",
            fields: ["action": .string(action), "by": .string(by), "weight": .number(Double(weight)), "reason": .string(reason)])
    }

    /// The notice of a message, when it is an alert (grayctl failing at something: its first two
    /// words in capitals, `ROLLBACK NOT APPLIED …`, `JOURNAL WRITE FAILED …`); nil otherwise.
    public static func alert(_ message: String, service: String) -> ReleaseNotice? {
        guard isAlert(message) else { return nil }
        return ReleaseNotice(kind: "alert", service: service, text: message, fields: ["message": .string(message)])
    }

    /// Whether `message` is an alert: its first two words in capitals.
    public static func isAlert(_ message: String) -> Bool {
        let words = message.split(separator: " ").prefix(2)
        return words.count == 2 && words.allSatisfy { $0.allSatisfy { $0.isUppercase } }
    }

    /// The body POSTed to a webhook: `{"text": …, "event": {…}}`.
    public var payload: String {
        JSONWriter.write(.object(["text": .string(text), "event": .object(event)]))
    }
}

extension String {
    fileprivate var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
