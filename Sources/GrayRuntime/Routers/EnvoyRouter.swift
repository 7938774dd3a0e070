import Foundation
public import GrayCore
public import GrayProbe

/// Envoy as the traffic router: a route's `weighted_clusters` whose weights come from the runtime
/// (`runtime_key_prefix: P` reads cluster C's weight from key `P.C`), set through the admin API
/// (`POST /runtime_modify?P.stable=95&P.canary=5`) and read back from `GET /runtime`.
///
/// A canary percentage `p` is the weights `100 − p` and `p`, written together in one request (one
/// runtime snapshot, so no moment in between). Envoy accepts any value silently and ignores what is
/// not a number: a key that is unset, or set to something Envoy ignores, is a read error naming it
/// (the route's own weights would apply, which grayctl cannot read), never a guessed weight. Envoy's
/// runtime has no version: a reading's token is the two values, and a write based on a reading
/// first checks that Envoy still shows them — if someone changed them, the write is a conflict.
/// Envoy takes any runtime key, so before the first reading counts, `/config_dump` must show a
/// route whose `weighted_clusters` use this prefix and both clusters: keys that steer nothing would
/// otherwise read back as grayctl wrote them (a "confirmed" rollback while the route's own weights
/// carry the traffic).
public struct EnvoyRouter: TrafficRouter {
    private let http: CurlHTTPClient
    private let admin: String
    private let prefix: String
    private let clusters: RouterSides
    private let timeout: Double
    private let routeSeen = RouteSeen()

    /// Whether `/config_dump` has shown the route (checked until it has).
    final class RouteSeen: @unchecked Sendable {
        private let lock = NSLock()
        private var seen = false
        var value: Bool {
            get { lock.withLock { seen } }
            set { lock.withLock { seen = newValue } }
        }
    }

    /// Envoy's admin API at `admin`, the route's `runtime_key_prefix` `prefix`, its clusters `clusters`.
    public init(admin: String, runtimePrefix prefix: String, clusters: RouterSides, tls: ProbeTLS = ProbeTLS(), timeout: Double = 1) {
        self.admin = admin.hasSuffix("/") ? String(admin.dropLast()) : admin
        self.prefix = prefix
        self.clusters = clusters
        self.http = CurlHTTPClient(tls: tls, label: "grayctl.envoy")
        self.timeout = timeout
    }

    private var stableKey: String { "\(prefix).\(clusters.stable)" }
    private var canaryKey: String { "\(prefix).\(clusters.canary)" }

    /// Envoy's admin API has no credentials, and `/runtime_modify` has no dry run: whoever reaches
    /// the admin port may write, so the weight's reading is the whole test.
    public func writeAccess() async -> WriteAccess {
        .untestable("Envoy's admin API takes /runtime_modify without credentials and has no dry run: reaching \(admin) is what a write needs")
    }

    public func read() async -> RecordEntry {
        do {
            return try await current().reading(nowhere: "Envoy runtime \(stableKey) and \(canaryKey) are both 0: the route sends no traffic anywhere")
        } catch {
            return .error(.router, endpoint: "weight", message: error.description)
        }
    }

    public func set(_ weight: Int, expecting generation: String?, by actor: String) async throws(RouterWriteError) {
        let target = SplitWeights(percent: weight)
        if let generation {
            let before: SplitWeights
            do {
                before = try await current()
            } catch {
                throw .failed(error.description)
            }
            guard before.token == generation else {
                throw .conflict("Envoy runtime changed since it was read: now \(before.token), the decision was based on \(generation)")
            }
        }
        let url = admin + "/runtime_modify?" + [(stableKey, target.stable), (canaryKey, target.canary)].map { key, value in
            "\(Self.formEncoded(key))=\(value)"
        }.joined(separator: "&")
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(method: "POST", url: url, body: [], connectTimeout: timeout, timeout: timeout))
        } catch {
            throw .failed(error.description)
        }
        guard response.status == 200 else {
            throw .failed(ProbeError.httpStatus(url: admin + "/runtime_modify", status: response.status, body: response.text).description)
        }
    }

    /// Checks (once) that a route's weighted clusters read this prefix and both clusters.
    private func checkRoute() async throws(ProbeError) {
        guard !routeSeen.value else { return }
        let url = admin + "/config_dump"
        let response = try await http.send(HTTPRequest(url: url, connectTimeout: timeout, timeout: max(timeout, 2)))
        guard response.status == 200, let dump = try? JSONParser.parse(response.text) else {
            throw .httpStatus(url: url, status: response.status, body: response.status == 200 ? "not JSON" : response.text)
        }
        guard Self.routeUses(dump, prefix: prefix, clusters: clusters) else {
            throw .badResponse(
                url: url,
                reason: "no route's weighted_clusters has runtime_key_prefix \"\(prefix)\" with clusters \(clusters.stable) and \(clusters.canary): the runtime keys grayctl would set steer nothing (check targets.router.runtime_prefix and clusters)")
        }
        routeSeen.value = true
    }

    /// The two clusters' weights as the runtime's final values.
    private func current() async throws(ProbeError) -> SplitWeights {
        try await checkRoute()
        let url = admin + "/runtime"
        let response = try await http.send(HTTPRequest(url: url, connectTimeout: timeout, timeout: timeout))
        guard response.status == 200 else { throw .httpStatus(url: url, status: response.status, body: response.text) }
        return try Self.weights(runtime: response.text, stableKey: stableKey, canaryKey: canaryKey, url: url)
    }

    /// Whether Envoy's `/config_dump` (`dump`) has a route whose `weighted_clusters` read the
    /// runtime keys under `prefix` and name both `clusters`.
    public static func routeUses(_ dump: JSONValue, prefix: String, clusters: RouterSides) -> Bool {
        switch dump {
        case .object(let fields):
            if fields["runtime_key_prefix"]?.string == prefix {
                let names = Set(fields["clusters"]?.array?.compactMap { $0["name"]?.string } ?? [])
                if names.contains(clusters.stable) && names.contains(clusters.canary) { return true }
            }
            return fields.values.contains { routeUses($0, prefix: prefix, clusters: clusters) }
        case .array(let items):
            return items.contains { routeUses($0, prefix: prefix, clusters: clusters) }
        default:
            return false
        }
    }

    /// The two clusters' weights in Envoy's `GET /runtime` answer (`text`, from `url`): the final
    /// values of `stableKey` and `canaryKey`. A key that is unset, or set to what Envoy ignores (not
    /// a whole number that fits 32 bits), is an error naming it, never a guessed weight.
    public static func weights(runtime text: String, stableKey: String, canaryKey: String, url: String) throws(ProbeError) -> SplitWeights {
        guard let document = try? JSONParser.parse(text), let entries = document["entries"]?.object else {
            throw .badResponse(url: url, reason: "expected Envoy's runtime ({\"layers\":…,\"entries\":{…}})")
        }
        func weight(_ key: String) throws(ProbeError) -> Int {
            guard let value = entries[key]?["final_value"]?.string else {
                throw .badResponse(
                    url: url,
                    reason: "\(key) is not set in Envoy's runtime, so the route's own weights apply and grayctl cannot read them: set \(stableKey) and \(canaryKey) (POST /runtime_modify) before the release")
            }
            guard let number = UInt32(value) else {
                throw .badResponse(url: url, reason: "\(key) is \"\(value.prefix(40))\", which Envoy ignores (not a whole number): the route's own weights apply")
            }
            return Int(number)
        }
        return SplitWeights(stable: try weight(stableKey), canary: try weight(canaryKey))
    }

    /// `text` encoded for a query string (runtime keys are dotted names; anything else is escaped).
    private static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
