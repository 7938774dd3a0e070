/// Drills on a reference order-service: `POST /admin/faults` with the admin token (never printed).
public struct FaultClient: Sendable {
    private let http: CurlHTTPClient
    private let url: String
    private let token: String?
    /// How messages call the instance (`canary`, `canary-1`).
    public let name: String

    /// A client for the instance `name` whose admin port is at `baseURL`.
    public init(baseURL: String, token: String?, name: String = "canary", tls: ProbeTLS = ProbeTLS()) {
        self.name = name
        url = (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/admin/faults"
        self.token = token
        http = CurlHTTPClient(tls: tls, label: "grayctl.faults")
    }

    /// Injects faults: `errorRatio` of calls fail with INTERNAL, each call sleeps `latencyMilliseconds`
    /// first. Zero for both clears them.
    public func inject(errorRatio: Double, latencyMilliseconds: Int) async throws(ProbeError) {
        var fields: [String] = []
        if errorRatio > 0 { fields.append("\"error_ratio\":\(errorRatio)") }
        if latencyMilliseconds > 0 { fields.append("\"latency_ms\":\(latencyMilliseconds)") }
        var headers = [("content-type", "application/json")]
        if let token { headers.append(("authorization", "Bearer \(token)")) }
        let body = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        let response = try await http.send(HTTPRequest(method: "POST", url: url, headers: headers, body: body, connectTimeout: 1, timeout: 2))
        guard (200..<300).contains(response.status) else {
            throw .httpStatus(url: url, status: response.status, body: response.text)
        }
    }
}
