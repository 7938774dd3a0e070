import Foundation
import GrayCore
import GrayRuntime

/// The webhooks of a release (`notify:`, `plan.confirm`) with their URLs read from where the config
/// says — a file's first line or an environment variable — at start. The URLs are secrets: errors
/// name the file or variable, never the value, and nothing here prints a URL.
struct Webhooks {
    /// The `notify:` URLs.
    let notify: [String]
    /// The `plan.confirm` URL.
    let confirm: String?
    let service: String

    /// Reads every URL `configuration` names; an unreadable file, an unset variable or a value that
    /// is not an http(s) URL is an input error naming where it came from.
    init(_ configuration: GrayConfig, environment: [String: String]) throws {
        notify = try configuration.notify.enumerated().map { index, hook in try Self.read(hook, key: "notify[\(index)]", environment: environment) }
        confirm = try configuration.plan.confirm.map { try Self.read($0, key: "plan.confirm", environment: environment) }
        service = configuration.service
    }

    /// The notifier of `notify:` (nil without webhooks); deliveries that fail are said through `report`.
    func notifier(report: @escaping @Sendable (String) -> Void) -> WebhookNotifier? {
        notify.isEmpty ? nil : WebhookNotifier(urls: notify, service: service, report: report)
    }

    /// The confirmer of `plan.confirm`, if configured.
    var confirmer: (any PromotionConfirmer)? {
        confirm.map { WebhookConfirmer(url: $0, service: service) }
    }

    private static func read(_ hook: WebhookURL, key: String, environment: [String: String]) throws -> String {
        let value: String
        switch hook {
        case .literal(let url): value = url
        case .file(let path):
            let text = try InputFiles.read(path, what: "\(key).url_file")
            value = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        case .environment(let name):
            guard let text = environment[name], !text.isEmpty else { throw InputError("\(key).url_env: $\(name) is not set") }
            value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
            throw InputError("\(key): \(hook) is not an http:// or https:// URL")
        }
        return value
    }
}
