import Foundation
import Yams

/// Access to a Kubernetes API server, from one context of a kubeconfig or from the in-cluster
/// service account. Secrets are kept as given (a file to read, or inline bytes) and never appear
/// in a description or message.
public struct KubeAccess: Equatable, Sendable {
    /// The API server's URL (`https://10.0.0.1:6443`).
    public var server: String
    /// The context's namespace, if it names one.
    public var namespace: String?
    /// The CA that signed the server's certificate.
    public var certificateAuthority: KubeSecret?
    /// A bearer token.
    public var token: KubeSecret?
    /// A client certificate and its key (mutual TLS).
    public var clientCertificate: KubeSecret?
    /// The client certificate's key.
    public var clientKey: KubeSecret?

    /// Access to `server`, with nothing else yet.
    public init(server: String) {
        self.server = server
    }
}

/// A credential or CA: a file to read (at each use: tokens rotate), or inline bytes.
public enum KubeSecret: Equatable, Sendable {
    /// A file path.
    case file(String)
    /// Inline bytes (a kubeconfig's `…-data` field, base64-decoded, or a literal token).
    case data([UInt8])
}

/// Why a kubeconfig cannot be used; the messages name the key and never a secret.
public enum KubeConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not YAML, or not a kubeconfig.
    case unreadable(String)
    /// A key that is needed is missing.
    case missing(String)
    /// A setting grayctl does not act on (credential plugins, skipped TLS verification).
    case unsupported(key: String, why: String)

    public var description: String {
        switch self {
        case .unreadable(let message): "kubeconfig: \(message)"
        case .missing(let what): "kubeconfig: \(what) is missing"
        case .unsupported(let key, let why): "kubeconfig: \(key): \(why)"
        }
    }
}

/// Reads one context of a kubeconfig. Pure: the caller reads the file; relative paths in it are
/// taken relative to `directory` (the kubeconfig's own folder), as kubectl does.
public enum KubeConfig {
    /// The access `context` (nil: `current-context`) of the kubeconfig `text`.
    public static func access(_ text: String, context: String?, directory: String) throws(KubeConfigError) -> KubeAccess {
        let root: [String: Any]
        do {
            guard let node = try Yams.compose(yaml: text), let parsed = try plain(node) as? [String: Any] else {
                throw KubeConfigError.unreadable("not a mapping")
            }
            root = parsed
        } catch let error as KubeConfigError {
            throw error
        } catch {
            // Yams' message quotes the offending line, which may hold a credential: never repeat it.
            throw .unreadable("not valid YAML")
        }
        guard let contextName = context ?? (root["current-context"] as? String), !contextName.isEmpty else {
            throw .missing("current-context (or targets.router.context)")
        }
        let contextFields = try named(root, "contexts", contextName, field: "context")
        guard let clusterName = contextFields["cluster"] as? String, let userName = contextFields["user"] as? String else {
            throw .missing("contexts[\(contextName)].context.cluster or .user")
        }
        let cluster = try named(root, "clusters", clusterName, field: "cluster")
        guard let server = cluster["server"] as? String, server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw .missing("clusters[\(clusterName)].cluster.server (an https:// URL)")
        }
        if server.hasPrefix("http://"), !isLoopback(server) {
            throw .unsupported(
                key: "clusters[\(clusterName)].cluster.server",
                why: "http:// would send the credentials in clear: use https://, or http:// to a loopback address only (kubectl proxy)")
        }
        if cluster["insecure-skip-tls-verify"] as? Bool == true {
            throw .unsupported(
                key: "clusters[\(clusterName)].cluster.insecure-skip-tls-verify",
                why: "grayctl always verifies the API server: give certificate-authority or certificate-authority-data")
        }
        let user = try named(root, "users", userName, field: "user")
        for plugin in ["exec", "auth-provider"] where user[plugin] != nil {
            throw .unsupported(
                key: "users[\(userName)].user.\(plugin)",
                why: "grayctl runs no credential plugins: give a token, tokenFile or a client certificate (a service account token works)")
        }
        var access = KubeAccess(server: server)
        access.namespace = contextFields["namespace"] as? String
        func secret(_ fields: [String: Any], file: String, data: String, path: String) throws(KubeConfigError) -> KubeSecret? {
            if let inline = fields[data] as? String {
                guard let bytes = Data(base64Encoded: inline, options: .ignoreUnknownCharacters) else {
                    throw .unreadable("\(path).\(data) is not base64")
                }
                return .data(Array(bytes))
            }
            guard let name = fields[file] as? String else { return nil }
            return .file(name.hasPrefix("/") ? name : directory + "/" + name)
        }
        access.certificateAuthority = try secret(cluster, file: "certificate-authority", data: "certificate-authority-data", path: "clusters[\(clusterName)].cluster")
        access.clientCertificate = try secret(user, file: "client-certificate", data: "client-certificate-data", path: "users[\(userName)].user")
        access.clientKey = try secret(user, file: "client-key", data: "client-key-data", path: "users[\(userName)].user")
        if let token = user["token"] as? String {
            access.token = .data(Array(token.utf8))
        } else if let file = user["tokenFile"] as? String {
            access.token = .file(file.hasPrefix("/") ? file : directory + "/" + file)
        }
        guard access.token != nil || (access.clientCertificate != nil && access.clientKey != nil) else {
            throw .missing("users[\(userName)].user.token, tokenFile, or client-certificate with client-key")
        }
        return access
    }

    /// Whether an `http://` URL's host is a loopback address (`kubectl proxy`).
    /// `node` as plain values: mappings of string keys, lists, and scalars as strings (YAML's
    /// booleans as `Bool`, for `insecure-skip-tls-verify`).
    /// Built here rather than by `Yams.load`, whose constructor traps on a key that is not a
    /// scalar (`? [a]: b`, found by fuzzing): such a key is an error naming no line (a kubeconfig
    /// line may hold a credential).
    private static func plain(_ node: Node) throws(KubeConfigError) -> Any {
        switch node {
        case .mapping(let mapping):
            var fields: [String: Any] = [:]
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key else { throw .unreadable("a mapping key that is not a string") }
                fields[scalar.string] = try plain(value)
            }
            return fields
        case .sequence(let sequence):
            var items: [Any] = []
            for item in sequence { items.append(try plain(item)) }
            return items
        case .scalar(let scalar):
            return Bool.construct(from: scalar) ?? scalar.string
        case .alias:
            throw .unreadable("an alias grayctl does not follow")
        }
    }

    static func isLoopback(_ url: String) -> Bool {
        let host = InstanceEndpoints.hostPort(url)
        return host.hasPrefix("127.") || host.hasPrefix("localhost:") || host == "localhost" || host.hasPrefix("[::1]")
    }

    /// The `field` mapping of the entry named `name` in the list `list`.
    private static func named(_ root: [String: Any], _ list: String, _ name: String, field: String) throws(KubeConfigError) -> [String: Any] {
        let entries = root[list] as? [[String: Any]] ?? []
        guard let entry = entries.first(where: { $0["name"] as? String == name }), let fields = entry[field] as? [String: Any] else {
            throw .missing("\(list)[\(name)]")
        }
        return fields
    }
}
