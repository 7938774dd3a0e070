import Foundation
public import GrayCore

/// A Prometheus server as a metrics source: the raw series of a label selector, read through the
/// HTTP API and rebuilt as exposition text with each sample's own timestamp, so the core reads them
/// exactly as a scrape (same per-series reset-aware counting) and a recording replays them.
///
/// Contract: one query per read, a range selector over the last `window` seconds
/// (`{__name__=~"a|b",SELECTOR}[Ns]`), the newest sample of each series kept — never `rate()` or
/// `increase()`, which extrapolate to non-integers. A series with no sample in the window is
/// absent; the series are split by their `instance` label, one entry per instance, and an
/// instance whose `up` series (asked for beside the families) is 0 is an `error` of that instance.
/// No series at all, more than `maxSeries`, a failed query or an answer that is not Prometheus's (or carries names or values that are not Prometheus's) is an `error` entry,
/// with Prometheus's own message where it gave one. The bearer token is sent as `Authorization`
/// and appears in no message.
public struct PrometheusReader: Sendable {
    private let http: CurlHTTPClient
    private let baseURL: String
    private let token: String?
    private let timeout: Double

    /// A server at `baseURL` (`http://prometheus:9090`); `token` read from a file by the caller.
    public init(baseURL: String, token: String?, tls: ProbeTLS = ProbeTLS(), timeout: Double = 1) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = CurlHTTPClient(tls: tls, label: "grayctl.prometheus")
        self.token = token
        self.timeout = timeout
    }

    /// The series named `names` that `selector` (`{job="orders",version="v2"}`) selects, one
    /// `metrics` entry per value of the `instance` label: `subjectOf` names the subject of each
    /// value (nil when a series has none), or, with `oneInstance`, every series is `whole`'s and
    /// series of several instances are an error. A failure is one `error` entry of `whole` (the
    /// version as a whole, or the router).
    public func metrics(
        _ whole: Subject, selector: String, names: [String], window: Int, maxSeries: Int, oneInstance: Bool,
        subjectOf: (String?) -> Subject
    ) async -> [RecordEntry] {
        let inner = selector.trimmingCharacters(in: .whitespaces).dropFirst().dropLast()
        let matchers = ["__name__=~\"\(names.joined(separator: "|"))\""] + (inner.isEmpty ? [] : [String(inner)])
        let query = "{\(matchers.joined(separator: ","))}[\(max(1, window))s]"
        let url = baseURL + "/api/v1/query?query=" + Self.percentEncoded(query)
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let shown = baseURL + "/api/v1/query " + selector
        do {
            let response = try await http.send(HTTPRequest(url: url, headers: headers, connectTimeout: timeout, timeout: timeout))
            let series = try Self.decode(response.text, status: response.status, url: shown)
            guard !series.isEmpty else {
                return [.error(
                    whole, endpoint: "metrics",
                    message: "\(shown): no series with a sample in the last \(window) s (gates.stale_hold; it must exceed Prometheus's scrape interval)")]
            }
            guard series.count <= maxSeries else {
                return [.error(
                    whole, endpoint: "metrics",
                    message: "\(shown): \(series.count) series, more than prometheus.max_series (\(maxSeries)): narrow the selector")]
            }
            let instances = Set(series.map { $0.instance ?? "" })
            if oneInstance, instances.count > 1 {
                // A late instance's series would count its whole history as new traffic of one instance.
                return [.error(
                    whole, endpoint: "metrics",
                    message: "\(shown): the selector matches \(instances.count) instances (\(instances.sorted().prefix(3).joined(separator: ", "))\(instances.count > 3 ? ", …" : "")), but targets.\(whole.target.rawValue) is one"
                        + (whole.target == .router
                            ? ": narrow the selector to the router's"
                            : ": list them under targets.\(whole.target.rawValue).instances or find them with dns"))]
            }
            var bodies: [Subject: String] = [:]
            var down: [Subject: String] = [:]
            for item in series {
                let subject = oneInstance ? whole : subjectOf(item.instance)
                bodies[subject, default: ""] += item.line
                if item.isDown { down[subject] = item.instance ?? "" }
            }
            // Prometheus's own `up` says whether its last scrape of the instance worked: a target it
            // cannot scrape keeps fresh `up 0` samples, and its other series are not news.
            return bodies.sorted { $0.key < $1.key }.map { subject, body in
                guard let instance = down[subject] else { return .metrics(subject, body: body) }
                return .error(subject, endpoint: "metrics", message: "\(shown): Prometheus cannot scrape \(instance.isEmpty ? subject.description : instance) (up is 0)")
            }
        } catch {
            return [.error(whole, endpoint: "metrics", message: error.description)]
        }
    }

    /// One series of an answer: its exposition line (newest sample, with its timestamp).
    public struct Series: Sendable {
        /// The exposition line, newline included.
        public var line: String
        /// The `instance` label's value, when it has one.
        public var instance: String?
        /// True for Prometheus's `up` series at 0: its last scrape of the instance failed.
        public var isDown = false
    }

    /// The series of a matrix answer (`text`, answered with HTTP `status` to `url`), or
    /// Prometheus's own error.
    public static func decode(_ text: String, status: Int, url: String) throws(ProbeError) -> [Series] {
        guard let document = try? JSONParser.parse(text) else {
            throw status == 200
                ? .badResponse(url: url, reason: "not a Prometheus API answer (not JSON)")
                : .httpStatus(url: url, status: status, body: text)
        }
        guard document["status"]?.string == "success" else {
            let kind = document["errorType"]?.string ?? "error"
            throw .badResponse(url: url, reason: "Prometheus \(kind) (HTTP \(status)): \(document["error"]?.string ?? text)")
        }
        guard let result = document["data"]?["result"]?.array, document["data"]?["resultType"]?.string == "matrix" else {
            throw .badResponse(url: url, reason: "expected a matrix result from a range selector")
        }
        var series: [Series] = []
        series.reserveCapacity(result.count)
        // Names repeat across series: each distinct one is checked once.
        var names: Set<String> = []
        func isKnownName(_ text: String) -> Bool {
            if names.contains(text) { return true }
            guard isName(text) else { return false }
            names.insert(text)
            return true
        }
        for item in result {
            guard let labels = item["metric"]?.object, let name = labels["__name__"]?.string, isKnownName(name),
                let newest = item["values"]?.array?.last?.array, newest.count == 2,
                let seconds = newest[0].number, seconds.isFinite, abs(seconds) < 1e12,
                let value = newest[1].string, Double(value) != nil
            else {
                throw .badResponse(url: url, reason: "a series without a valid name, sample time or value")
            }
            var line = name + "{"
            var first = true
            for (key, text) in labels.sorted(by: { $0.key < $1.key }) where key != "__name__" {
                guard isKnownName(key), let text = text.string else {
                    throw .badResponse(url: url, reason: "series \(name): label \(key) is not a name with a string value")
                }
                if !first { line += "," }
                first = false
                line += key + "=\"" + escaped(text) + "\""
            }
            line += "} " + value + " " + String(Int64((seconds * 1000).rounded())) + "\n"
            series.append(Series(line: line, instance: labels["instance"]?.string, isDown: name == "up" && Double(value) == 0))
        }
        return series
    }

    /// A Prometheus metric or label name in the classic character set.
    private static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy {
            $0 == "_" || $0 == ":" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        }
    }

    private static func escaped(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 0x0A }) else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// `text` with every byte but RFC 3986's unreserved ASCII percent-encoded.
    private static func percentEncoded(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.append(Character(UnicodeScalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
