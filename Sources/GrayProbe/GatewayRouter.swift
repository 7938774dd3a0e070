import Foundation
public import GrayCore

/// The reference gateway's `GET/PUT /admin/canary` as a traffic router.
///
/// Setting a weight reads the current generation and sends `PUT` with `If-Match`; a `409` (someone
/// changed it meanwhile) is reported, never retried blindly, so the release engine re-decides.
/// Server errors and timeouts are retried a few times with backoff, then reported. The token is
/// sent as `Authorization: Bearer …` and appears in no message.
public struct GatewayRouter: Sendable {
    /// Why a weight change did not land.
    public enum ChangeError: Error, Equatable, Sendable, CustomStringConvertible {
        /// 409: the generation moved; the current weight is attached.
        case conflict(currentWeight: Int)
        /// Any other failure, after the retries.
        case failed(ProbeError)

        public var description: String {
            switch self {
            case .conflict(let weight): return "router weight changed meanwhile (now \(weight)%): HTTP 409"
            case .failed(let error): return error.description
            }
        }
    }

    private let http: CurlHTTPClient
    private let url: String
    private let token: String?
    private let timeout: Double
    private let retries: Int

    /// A router at `baseURL` (the gateway's admin port); `token` from a file or the environment.
    public init(baseURL: String, token: String?, tls: ProbeTLS = ProbeTLS(), timeout: Double = 1, retries: Int = 3) {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.url = base + "/admin/canary"
        self.http = CurlHTTPClient(tls: tls, label: "grayctl.router")
        self.token = token
        self.timeout = timeout
        self.retries = retries
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

    /// Sets the canary weight.
    public func set(_ weight: Int, by actor: String) async throws(ChangeError) {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let (_, generation) = try await current()
                var headers = [("Content-Type", "application/json"), ("If-Match", "\"\(generation)\""), ("X-Updated-By", actor)]
                if let token { headers.append(("Authorization", "Bearer \(token)")) }
                let response = try await http.send(HTTPRequest(
                    method: "PUT", url: url, headers: headers, body: Array("{\"weight\":\(weight)}".utf8),
                    connectTimeout: timeout, timeout: timeout))
                if (200..<300).contains(response.status) { return }
                if response.status == 409 {
                    let now = (try? await current().weight) ?? -1
                    throw ChangeError.conflict(currentWeight: now)
                }
                let failure = ProbeError.httpStatus(url: url, status: response.status, body: response.text)
                if response.status < 500 || attempt > retries { throw ChangeError.failed(failure) }
            } catch let error as ChangeError {
                throw error
            } catch let error as ProbeError {
                if attempt > retries { throw ChangeError.failed(error) }
            } catch {
                throw ChangeError.failed(.badResponse(url: url, reason: "\(error)"))
            }
            try? await Task.sleep(for: .milliseconds(100 << attempt))
        }
    }

    private func current() async throws(ProbeError) -> (weight: Int, generation: String) {
        let response = try await http.send(HTTPRequest(url: url, connectTimeout: timeout, timeout: timeout))
        guard response.status == 200 else { throw .httpStatus(url: url, status: response.status, body: response.text) }
        guard let document = try? JSONParser.parse(response.text), let weight = document["weight"]?.number else {
            throw .badResponse(url: url, reason: "expected {\"weight\":N,\"generation\":G}")
        }
        let generation = response.header("etag")?.trimmingCharacters(in: CharacterSet(charactersIn: "\"W/"))
            ?? document["generation"]?.number.map { JSONWriter.number($0) } ?? ""
        return (Int(weight), generation)
    }
}
