import Foundation
public import GrayCore

/// Reads one instance's (or the router's) admin port: `/metrics` and `/admin/breakers`, each answer turned into the
/// recording entry it stands for (a failure becomes an `error` entry naming the URL).
public struct AdminReader: Sendable {
    private let http: CurlHTTPClient
    private let baseURL: String
    private let subject: Subject
    private let timeout: Double
    private let metricsPath: String

    /// A reader of the exposition at the full URL `url` (`http://127.0.0.1:9901/stats/prometheus`).
    public init(subject: Subject, metricsURL url: String, tls: ProbeTLS = ProbeTLS(), timeout: Double = 1) {
        let afterScheme = url.range(of: "://").map(\.upperBound) ?? url.startIndex
        let slash = url[afterScheme...].firstIndex { $0 == "/" || $0 == "?" } ?? url.endIndex
        let rest = String(url[slash...])
        let path = rest.isEmpty ? "/metrics" : rest.hasPrefix("?") ? "/metrics" + rest : rest
        self.init(subject: subject, baseURL: String(url[..<slash]), metricsPath: path, tls: tls, timeout: timeout)
    }

    /// A reader of `subject`'s admin port at `baseURL` (`http://127.0.0.1:9191`), its exposition at
    /// `metricsPath` (`/metrics`; Envoy's is `/stats/prometheus`).
    public init(subject: Subject, baseURL: String, metricsPath: String = "/metrics", tls: ProbeTLS = ProbeTLS(), timeout: Double = 1) {
        self.subject = subject
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.metricsPath = metricsPath
        self.http = CurlHTTPClient(tls: tls, label: "grayctl.admin.\(subject.target.rawValue)")
        self.timeout = timeout
    }

    /// One scrape of the exposition (`/metrics`).
    public func metrics() async -> RecordEntry {
        switch await get(metricsPath) {
        case .success(let text): return .metrics(subject, body: text)
        case .failure(let error): return .error(subject, endpoint: "metrics", message: error.description)
        }
    }

    /// One read of `/admin/breakers`. With `absentMeansNone`, an admin port that answers 404 there
    /// exposes no breakers: the entry says they are not observed, naming the URL.
    public func breakers(absentMeansNone: Bool = false) async -> RecordEntry {
        switch await get("/admin/breakers") {
        case .failure(.httpStatus(let url, 404, _)) where absentMeansNone:
            return .breakersNotObserved(subject, reason: "\(url) answers 404", configured: false)
        case .success(let text):
            do {
                return .breakers(subject, body: try JSONParser.parse(text))
            } catch {
                return .error(subject, endpoint: "breakers", message: "\(baseURL)/admin/breakers: not JSON: \(error)")
            }
        case .failure(let error):
            return .error(subject, endpoint: "breakers", message: error.description)
        }
    }

    /// The instance's version from `/admin/info`, nil when it cannot be read.
    public func version() async -> String? {
        guard case .success(let text) = await get("/admin/info") else { return nil }
        return (try? JSONParser.parse(text))?["version"]?.string
    }

    private func get(_ path: String) async -> Result<String, ProbeError> {
        let url = baseURL + path
        do {
            let response = try await http.send(HTTPRequest(url: url, connectTimeout: timeout, timeout: timeout))
            guard (200..<300).contains(response.status) else {
                return .failure(.httpStatus(url: url, status: response.status, body: response.text))
            }
            return .success(response.text)
        } catch {
            return .failure(error)
        }
    }
}
