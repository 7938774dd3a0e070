import Foundation
public import GrayCore

/// The reference gateway's `GET/PUT /admin/canary` as a traffic router.
///
/// A write is one `PUT` with `If-Match` naming the generation the caller's decision was based on
/// (when it has one); a `409` (someone changed the weight meanwhile) is reported as a conflict, so
/// the caller re-reads and decides again. Nothing is retried here: a refused or timed-out write is
/// reported, and the release loop decides what to do at its next round. The token is sent as
/// `Authorization: Bearer …` and appears in no message.
public struct GatewayRouter: Sendable {
    /// Why a weight change did not land.
    public enum ChangeError: Error, Equatable, Sendable, CustomStringConvertible {
        /// 409: the generation moved since the reading the write was based on.
        case conflict
        /// Any other failure.
        case failed(ProbeError)

        public var description: String {
            switch self {
            case .conflict: return "router weight changed meanwhile (HTTP 409 on If-Match)"
            case .failed(let error): return error.description
            }
        }
    }

    private let http: CurlHTTPClient
    private let url: String
    private let token: String?
    private let timeout: Double

    /// A router at `baseURL` (the gateway's admin port); `token` from a file or the environment.
    public init(baseURL: String, token: String?, tls: ProbeTLS = ProbeTLS(), timeout: Double = 1) {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.url = base + "/admin/canary"
        self.http = CurlHTTPClient(tls: tls, label: "grayctl.router")
        self.token = token
        self.timeout = timeout
    }

    /// The current weight, as a recording entry (`weight`, or `error`).
    public func read() async -> RecordEntry {
        do {
            let (weight, generation) = try await current()
            return .weight(weight, generation: generation)
        } catch {
            return .error(.router, endpoint: "weight", message: error.description)
        }
    }

    /// Sets the canary weight in one attempt, guarded by `If-Match: "ifMatch"` when given.
    public func change(_ weight: Int, ifMatch generation: String?, by actor: String) async throws(ChangeError) {
        var headers = [("Content-Type", "application/json"), ("X-Updated-By", actor)]
        if let generation { headers.append(("If-Match", "\"\(generation)\"")) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(
                method: "PUT", url: url, headers: headers, body: Array("{\"weight\":\(weight)}".utf8),
                connectTimeout: timeout, timeout: timeout))
        } catch {
            throw .failed(error)
        }
        if (200..<300).contains(response.status) { return }
        if response.status == 409 { throw .conflict }
        throw .failed(.httpStatus(url: url, status: response.status, body: response.text))
    }

    /// Whether the gateway takes grayctl's token, by a `PUT` of weight -1: the gateway checks the
    /// token before the body, so 400 (the weight refused) means the token was accepted and nothing
    /// changed, 401 that it was not.
    public func writeAccess() async -> WriteAccess {
        var headers = [("Content-Type", "application/json"), ("X-Updated-By", "grayctl check")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(
                method: "PUT", url: url, headers: headers, body: Array("{\"weight\":-1}".utf8), connectTimeout: timeout, timeout: timeout))
        } catch {
            return .unknown(error.description)
        }
        switch response.status {
        case 400: return .granted("the gateway accepted the token (a PUT of weight -1, refused as out of range: nothing changed)")
        case 401, 403:
            return .refused("HTTP \(response.status) from \(url)" + (token == nil ? " (no token given)" : " (the token was not accepted)"))
        case 200..<300:
            return .unknown(
                "HTTP \(response.status) from \(url) to a PUT of weight -1, which the gateway's contract refuses with 400: "
                    + "this router may have taken it — check its weight")
        default: return .unknown("HTTP \(response.status) from \(url) to a PUT of weight -1 (expected 400 or 401)")
        }
    }

    private func current() async throws(ProbeError) -> (weight: Int, generation: String) {
        let response = try await http.send(HTTPRequest(url: url, connectTimeout: timeout, timeout: timeout))
        guard response.status == 200 else { throw .httpStatus(url: url, status: response.status, body: response.text) }
        return try Self.reading(response.text, etag: response.header("etag"), url: url)
    }

    /// The weight and generation in the gateway's `GET /admin/canary` answer (`text`, with its
    /// `etag` header when it sent one): `{"weight":N,"generation":G}`, N a whole percent.
    public static func reading(_ text: String, etag: String?, url: String) throws(ProbeError) -> (weight: Int, generation: String) {
        guard let document = try? JSONParser.parse(text), let number = document["weight"]?.number else {
            throw .badResponse(url: url, reason: "expected {\"weight\":N,\"generation\":G}")
        }
        guard let weight = Self.percent(number) else {
            throw .badResponse(url: url, reason: "weight \(number.isFinite ? JSONWriter.number(number) : "\(number) (out of range)") is not a whole percent in 0...100")
        }
        let generation = etag?.trimmingCharacters(in: CharacterSet(charactersIn: "\"W/"))
            ?? document["generation"]?.number.map { JSONWriter.number($0) } ?? ""
        return (weight, generation)
    }

    /// `number` as a weight, when it is a whole number in 0...100 (never traps on 1e400 or NaN).
    static func percent(_ number: Double) -> Int? {
        guard number.isFinite, number >= 0, number <= 100, number == number.rounded() else { return nil }
        return Int(number)
    }
}
