import Foundation
import Glibc
public import GrayCore
public import GrayProbe

/// An Istio VirtualService or a Gateway API HTTPRoute as the traffic router, through the
/// Kubernetes API: the route's two weighted destinations (stable, canary), found by name.
///
/// A read is `GET` of the object; its weights and `metadata.resourceVersion` (the version token).
/// A write reads the object again, refuses (conflict) if its version is not the one the decision
/// was based on, and sends a JSON patch that names the destinations (tested), sets both weights, and
/// — unless it is a rollback — carries that `resourceVersion`, so the API server applies it to that
/// version only (409 Conflict otherwise: re-read, decide again). 401, 403 and 404 say what to fix.
/// The bearer token is sent as `Authorization` and appears in no message.
public struct KubernetesRouter: TrafficRouter {
    private let settings: KubernetesRouteSettings
    private let url: String
    private let token: KubeSecret?
    private let http: CurlHTTPClient
    private let timeout: Double
    private let files: PrivateFiles

    /// The route `settings` names in `namespace`, reached with `access`.
    public init(settings: KubernetesRouteSettings, access: KubeAccess, namespace: String, timeout: Double = 1) throws(KubeConfigError) {
        self.settings = settings
        let server = access.server.hasSuffix("/") ? String(access.server.dropLast()) : access.server
        let resource = settings.kind == .virtualService
            ? "apis/networking.istio.io/v1beta1/namespaces/\(namespace)/virtualservices"
            : "apis/gateway.networking.k8s.io/v1/namespaces/\(namespace)/httproutes"
        self.url = "\(server)/\(resource)/\(settings.name)"
        self.token = access.token
        self.timeout = timeout
        let files = PrivateFiles()
        self.files = files
        func path(_ secret: KubeSecret?, _ name: String) throws(KubeConfigError) -> String? {
            switch secret {
            case .file(let path): return path
            case .data(let bytes):
                guard let path = files.write(bytes, as: name) else { throw .unreadable("cannot write the inline \(name) to a private file") }
                return path
            case nil: return nil
            }
        }
        let tls = ProbeTLS(
            caFile: try path(access.certificateAuthority, "ca.crt"), certFile: try path(access.clientCertificate, "client.crt"),
            keyFile: try path(access.clientKey, "client.key"))
        self.http = CurlHTTPClient(tls: tls, label: "grayctl.kubernetes")
    }

    private var title: String { "\(settings.kind.title) \(settings.name)" }

    public func read() async -> RecordEntry {
        do {
            let route = try await current()
            guard let percent = route.weights.percent else {
                return .error(.router, endpoint: "weight", message: "\(title): both destinations have weight 0")
            }
            return .weight(percent, generation: route.resourceVersion)
        } catch {
            return .error(.router, endpoint: "weight", message: error.description)
        }
    }

    public func set(_ weight: Int, expecting generation: String?, by actor: String) async throws(RouterWriteError) {
        let route: KubernetesRoute
        do {
            route = try await current()
        } catch {
            throw .failed(error.description)
        }
        if let generation, route.resourceVersion != generation {
            throw .conflict("\(title) changed since it was read (resourceVersion \(route.resourceVersion), the decision was based on \(generation))")
        }
        let body = route.patch(to: SplitWeights(percent: weight), guarded: generation != nil)
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(
                method: "PATCH", url: url, headers: try headers(contentType: "application/json-patch+json"), body: Array(body.utf8),
                connectTimeout: timeout, timeout: timeout))
        } catch {
            throw .failed(error.description)
        }
        switch response.status {
        case 200..<300: return
        case 409: throw .conflict("\(title) changed meanwhile (HTTP 409 on resourceVersion \(route.resourceVersion))")
        case 422: throw .failed("\(title) refused the patch (HTTP 422; edited meanwhile, or rejected by the API server)\(Self.said(response.text))")
        default: throw .failed(explained(response.status, response.text))
        }
    }

    /// A server-side dry run (`?dryRun=All`) of the guarded patch to the weights the route has now:
    /// the API server authenticates, authorizes and validates it and stores nothing.
    public func writeAccess() async -> WriteAccess {
        let route: KubernetesRoute
        do {
            route = try await current()
        } catch {
            return .unknown(error.description)
        }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(
                method: "PATCH", url: url + "?dryRun=All", headers: try headers(contentType: "application/json-patch+json"),
                body: Array(route.patch(to: route.weights, guarded: true).utf8), connectTimeout: timeout, timeout: timeout))
        } catch {
            return .unknown(error.description)
        }
        switch response.status {
        case 200..<300: return .granted("the API server accepted a dry-run patch of \(title) (?dryRun=All: nothing stored)")
        case 401, 403: return .refused(explained(response.status, response.text))
        default: return .unknown("a dry-run patch of \(title): \(explained(response.status, response.text))")
        }
    }

    /// The object as located now.
    private func current() async throws(ProbeError) -> KubernetesRoute {
        let response = try await http.send(HTTPRequest(url: url, headers: try headers(contentType: nil), connectTimeout: timeout, timeout: timeout))
        guard response.status == 200 else { throw .badResponse(url: url, reason: explained(response.status, response.text)) }
        guard let object = try? JSONParser.parse(response.text) else { throw .badResponse(url: url, reason: "not JSON") }
        do {
            return try KubernetesRoute.locate(object, kind: settings.kind, sides: settings.destinations)
        } catch {
            throw .badResponse(url: url, reason: "\(title): \(error.description)")
        }
    }

    /// The request's headers, the bearer token read now (token files rotate); a token file that
    /// cannot be read is an error naming it.
    private func headers(contentType: String?) throws(ProbeError) -> [(String, String)] {
        var headers = [("Accept", "application/json")]
        if let contentType { headers.append(("Content-Type", contentType)) }
        var value: String?
        switch token {
        case .data(let bytes): value = String(decoding: bytes, as: UTF8.self)
        case .file(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .badResponse(url: url, reason: "cannot read the token file \(path)")
            }
            value = text
        case nil: break
        }
        if let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty { headers.append(("Authorization", "Bearer \(value)")) }
        return headers
    }

    /// The API server's own message in `body`, as `: message`; empty when it has none.
    private static func said(_ body: String) -> String {
        (try? JSONParser.parse(body))?["message"]?.string.map { ": \($0)" } ?? ""
    }

    /// What an API server's status means for this route, with its own message.
    private func explained(_ status: Int, _ body: String) -> String {
        let said = Self.said(body)
        let kind = settings.kind == .virtualService ? "virtualservices.networking.istio.io" : "httproutes.gateway.networking.k8s.io"
        switch status {
        case 401: return "HTTP 401 from the API server: the credentials were refused (check the kubeconfig user's token or client certificate)\(said)"
        case 403: return "HTTP 403 from the API server: the user may not use \(kind) here (grant get and patch in its namespace with RBAC)\(said)"
        case 404: return "HTTP 404: \(title) not found (check name and namespace, and that the \(settings.kind.title) resource is installed)\(said)"
        default: return "HTTP \(status) from the API server\(said)"
        }
    }
}

/// Inline kubeconfig certificates and keys for libcurl, which reads files: each is written to a
/// private temporary file (0600) that is unlinked at once and reached as `/proc/self/fd/N` — no
/// name is left on disk, and the data goes with the process, even after a crash or SIGKILL.
final class PrivateFiles: @unchecked Sendable {
    private var descriptors: [Int32] = []
    private let lock = NSLock()

    /// Writes `bytes` to a new unlinked file; its `/proc/self/fd` path, or nil when it cannot.
    func write(_ bytes: [UInt8], as name: String) -> String? {
        lock.withLock {
            var template = Array((NSTemporaryDirectory() + "/grayctl-\(name)-XXXXXX").utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { return nil }
            unlink(String(cString: template))
            fchmod(descriptor, 0o600)
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard written == bytes.count else {
                close(descriptor)
                return nil
            }
            descriptors.append(descriptor)
            return "/proc/self/fd/\(descriptor)"
        }
    }

    deinit {
        for descriptor in descriptors { close(descriptor) }
    }
}

extension KubernetesRouter {
    /// Where a Kubernetes route's credentials come from: `settings.kubeconfig`, else `$KUBECONFIG`
    /// (its first file), else `~/.kube/config`, else the in-cluster service account
    /// (`$KUBERNETES_SERVICE_HOST`, the files in `serviceAccount`). The namespace is
    /// `settings.namespace`, else the context's, else the service account's, else `default`.
    public static func access(
        for settings: KubernetesRouteSettings, environment: [String: String],
        serviceAccount: String = "/var/run/secrets/kubernetes.io/serviceaccount"
    ) throws(KubeConfigError) -> (access: KubeAccess, namespace: String) {
        let home = environment["HOME"].map { $0 + "/.kube/config" }
        let configured = settings.kubeconfig ?? environment["KUBECONFIG"]?.split(separator: ":").first.map(String.init)
        if let path = configured ?? home.flatMap({ FileManager.default.fileExists(atPath: $0) ? $0 : nil }) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .unreadable("cannot read \(path)") }
            let access = try KubeConfig.access(text, context: settings.context, directory: (path as NSString).deletingLastPathComponent)
            return (access, settings.namespace ?? access.namespace ?? "default")
        }
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"],
            FileManager.default.fileExists(atPath: serviceAccount + "/token")
        else {
            throw .missing("a kubeconfig (targets.router.kubeconfig, $KUBECONFIG or ~/.kube/config) or an in-cluster service account")
        }
        var access = KubeAccess(server: "https://\(host.contains(":") ? "[\(host)]" : host):\(port)")
        access.token = .file(serviceAccount + "/token")
        access.certificateAuthority = .file(serviceAccount + "/ca.crt")
        let namespace = (try? String(contentsOfFile: serviceAccount + "/namespace", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return (access, settings.namespace ?? namespace ?? "default")
    }
}
