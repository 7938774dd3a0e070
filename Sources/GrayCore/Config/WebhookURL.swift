/// Where a webhook's URL comes from (`notify:` and `plan.confirm`). A URL with a token in it is a
/// secret: it is read from a file or the environment at start and never printed — only
/// ``shown`` (scheme and host) is.
public enum WebhookURL: Equatable, Sendable, CustomStringConvertible {
    /// Written in the config (`url:`): for endpoints without a secret in them.
    case literal(String)
    /// The first line of a file (`url_file:`).
    case file(String)
    /// An environment variable (`url_env:`).
    case environment(String)

    /// Where the URL comes from, never the URL itself unless it was written in the config
    /// (shown then as ``shown(_:)`` of it).
    public var description: String {
        switch self {
        case .literal(let url): Self.shown(url)
        case .file(let path): "the URL in \(path)"
        case .environment(let name): "the URL in $\(name)"
        }
    }

    /// `url` with everything after its host replaced by `…`, so a token in its path or query is
    /// never printed (`https://hooks.slack.com/…`).
    public static func shown(_ url: String) -> String {
        let parts = url.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "(a URL)" }
        let rest = parts[1]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let withoutCredentials = host.split(separator: "@").last.map(String.init) ?? ""
        return parts[0] + "://" + withoutCredentials + (rest.count > host.count ? "/…" : "")
    }
}
