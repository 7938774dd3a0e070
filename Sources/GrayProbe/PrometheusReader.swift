import Foundation
public import GrayCore

/// A Prometheus server as a metrics source: the raw series of a label selector with the age of
/// each instance's samples, rebuilt as exposition text, so the core reads them exactly as a scrape
/// (same per-series reset-aware counting) and a recording replays them.
///
/// Contract: the series are the newest samples of an instant vector selector of the families
/// (`{__name__=~"a|b",SELECTOR}`, never `rate()` or `increase()`, which extrapolate to
/// non-integers), read one of two ways (`PrometheusAPI`):
/// - `federate` (the default): `GET /federate?match[]=SELECTOR`, which answers each series' newest
///   sample with its own time, beside the instant query `vector(time())` for Prometheus's clock,
///   both sent at once. No PromQL is evaluated over the series: the cheapest read Prometheus offers.
/// - `query`, for servers without `/federate` (Thanos, Mimir, Cortex): two instant queries sent at
///   once — the selector, and per `instance` and family the oldest sample time
///   (`min by (instance)` of the family's `timestamp()`, tagged with the labels
///   `grayctl_oldest_sample` and `grayctl_family`), since an instant vector carries the evaluation
///   time, not the sample's. (Joined into one query with `or`, Prometheus spends several times
///   longer matching 5,000 series' label sets than evaluating both.)
///
/// The series are split by their `instance` label, one entry per instance, whose `age` is how old
/// its oldest series' newest sample was at Prometheus's evaluation time (both Prometheus's clock):
/// the core judges freshness by it. An instance whose `up` series (asked for beside the families)
/// is 0 is an `error` of that instance. No series at all, more than `maxSeries`, a failed request
/// or an answer that is not Prometheus's (or carries names or values that are not Prometheus's) is
/// an `error` entry, with Prometheus's own message where it gave one. The bearer token is sent as
/// `Authorization` and appears in no message.
public struct PrometheusReader: Sendable {
    private let http: CurlHTTPClient
    private let baseURL: String
    private let token: String?
    private let timeout: Double
    private let api: PrometheusAPI

    /// The label that tags the series of an instance's oldest sample time.
    static let oldestSampleLabel = "grayctl_oldest_sample"

    /// A server at `baseURL` (`http://prometheus:9090`) read through `api`; `token` read from a
    /// file by the caller.
    public init(baseURL: String, token: String?, tls: ProbeTLS = ProbeTLS(), timeout: Double = 1, api: PrometheusAPI = .federate) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = CurlHTTPClient(tls: tls, label: "grayctl.prometheus")
        self.token = token
        self.timeout = timeout
        self.api = api
    }

    /// The two instant queries of a read: the series named `names` that `selector` selects, and
    /// each instance's oldest sample time of each of those families. (`timestamp()` drops the names,
    /// so each family is timed on its own and its per-instance minimum tagged before they are
    /// joined: the minima of two families have the same labels otherwise.)
    public static func queries(selector: String, names: [String]) -> (values: String, ages: String) {
        func vector(_ matcher: String) -> String { Self.vector(selector, matcher) }
        func tagged(_ expression: String, _ label: String, _ value: String) -> String {
            "label_replace(\(expression), \"\(label)\", \"\(value)\", \"\", \"\")"
        }
        let values = families(selector: selector, names: names)
        let ages = names.map { name in
            tagged(tagged("min by (instance) (timestamp(\(vector("__name__=\"\(name)\""))))", "grayctl_family", name), oldestSampleLabel, "1")
        }.joined(separator: " or ")
        return (values, ages)
    }

    /// The instant vector selector of the series named `names` that `selector` selects.
    public static func families(selector: String, names: [String]) -> String {
        vector(selector, "__name__=~\"\(names.joined(separator: "|"))\"")
    }

    /// `selector` with `matcher` put first among its matchers.
    private static func vector(_ selector: String, _ matcher: String) -> String {
        let inner = selector.trimmingCharacters(in: .whitespaces).dropFirst().dropLast()
        return "{" + ([matcher] + (inner.isEmpty ? [] : [String(inner)])).joined(separator: ",") + "}"
    }

    /// The series named `names` that `selector` (`{job="orders",version="v2"}`) selects, one
    /// `metrics` entry per value of the `instance` label: `subjectOf` names the subject of each
    /// value (nil when a series has none), or, with `oneInstance`, every series is `whole`'s and
    /// series of several instances are an error. A failure is one `error` entry of `whole` (the
    /// version as a whole, or the router).
    public func metrics(
        _ whole: Subject, selector: String, names: [String], maxSeries: Int, oneInstance: Bool,
        subjectOf: (String?) -> Subject
    ) async -> [RecordEntry] {
        let shown = baseURL + (api == .federate ? "/federate " : "/api/v1/query ") + selector
        do {
            let series = try await read(selector: selector, names: names, shown: shown)
            guard !series.isEmpty else {
                return [.error(
                    whole, endpoint: "metrics",
                    message: "\(shown): no series of \(names.joined(separator: ", ")) (check the selector and metrics.* names)")]
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
            var ages: [Subject: Int64] = [:]
            var down: [Subject: String] = [:]
            var unaged: [Subject: String] = [:]
            for item in series {
                let subject = oneInstance ? whole : subjectOf(item.instance)
                bodies[subject, default: ""] += item.line
                if let age = item.ageMilliseconds {
                    ages[subject] = max(ages[subject] ?? 0, age)
                } else {
                    unaged[subject] = item.instance ?? ""
                }
                if item.isDown { down[subject] = item.instance ?? "" }
            }
            // Prometheus's own `up` says whether its last scrape of the instance worked: a target it
            // cannot scrape keeps fresh `up 0` samples, and its other series are not news. Series
            // without an age (through the query API, a first scrape between its two queries) are not
            // judged this round.
            return bodies.sorted { $0.key < $1.key }.map { subject, body in
                let name = { (instance: String) in instance.isEmpty ? subject.description : instance }
                if let instance = down[subject] {
                    return .error(subject, endpoint: "metrics", message: "\(shown): Prometheus cannot scrape \(name(instance)) (up is 0)")
                }
                if let instance = unaged[subject] {
                    return .error(subject, endpoint: "metrics", message: "\(shown): \(name(instance)) was not in the answer about sample ages (it may have appeared between the two queries)")
                }
                return .metrics(subject, body: body, age: Double(ages[subject] ?? 0) / 1000)
            }
        } catch {
            return [.error(whole, endpoint: "metrics", message: error.description)]
        }
    }

    /// The series named `names` that `selector` selects, each with its instance's age, read
    /// through the reader's API (`shown` names the read in errors).
    private func read(selector: String, names: [String], shown: String) async throws(ProbeError) -> [Series] {
        switch api {
        case .federate:
            let match = Self.families(selector: selector, names: names)
            async let federated = answer(path: "/federate?match%5B%5D=" + Self.percentEncoded(match))
            async let clock = answer(path: "/api/v1/query?query=" + Self.percentEncoded("vector(time())"))
            return try Self.decodeFederated(try await federated.get(), clock: try await clock.get(), url: shown)
        case .query:
            let queries = Self.queries(selector: selector, names: names)
            async let valuesAnswer = answer(path: "/api/v1/query?query=" + Self.percentEncoded(queries.values))
            async let agesAnswer = answer(path: "/api/v1/query?query=" + Self.percentEncoded(queries.ages))
            return try Self.decode([try await valuesAnswer.get(), try await agesAnswer.get()], url: shown)
        }
    }

    /// Prometheus's answer at `path` (with its query): its text and HTTP status, or why none came.
    private func answer(path: String) async -> Result<(text: String, status: Int), ProbeError> {
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let url = baseURL + path
        do {
            let response = try await http.send(HTTPRequest(url: url, headers: headers, connectTimeout: timeout, timeout: timeout))
            return .success((response.text, response.status))
        } catch {
            return .failure(error)
        }
    }

    /// One series of an answer: its exposition line (its value at the query).
    public struct Series: Sendable {
        /// The exposition line, newline included.
        public var line: String
        /// The `instance` label's value, when it has one.
        public var instance: String?
        /// True for Prometheus's `up` series at 0: its last scrape of the instance failed.
        public var isDown = false
        /// How old the instance's oldest sample was at Prometheus's evaluation time (its clock, or
        /// the ages query's), in milliseconds (never negative); nil when the query API's ages
        /// answer did not name the instance (its two queries are evaluated a moment apart: a first
        /// scrape may fall between them).
        public var ageMilliseconds: Int64?
    }

    /// The series of the answers to the instant queries of a read (each `text` answered with HTTP
    /// `status` to `url`), as ``queries(selector:names:)`` asks them — each series with its
    /// instance's age — or Prometheus's own error. Each answer is read member by member, no JSON
    /// tree built (one can be megabytes a round).
    public static func decode(_ answers: [(text: String, status: Int)], url: String) throws(ProbeError) -> [Series] {
        var series: [Series] = []
        // Per instance: the oldest sample time among its families, and when that was asked.
        var oldest: [String: (sampled: Int64, evaluated: Int64)] = [:]
        for (text, status) in answers {
            try decode(text, status: status, url: url, into: &series, oldest: &oldest)
        }
        return series.map { item in
            var item = item
            item.ageMilliseconds = oldest[item.instance ?? ""].map { max(0, $0.evaluated - $0.sampled) }
            return item
        }
    }

    /// The series of a federation answer (`federated`, its text and HTTP status), each with its
    /// instance's age at the time `clock` (the answer to `vector(time())`) says Prometheus read it —
    /// or why there are none: Prometheus's own words for a refused selector, a server without
    /// `/federate` named as such.
    public static func decodeFederated(
        _ federated: (text: String, status: Int), clock: (text: String, status: Int), url: String
    ) throws(ProbeError) -> [Series] {
        switch federated.status {
        case 200: break
        case 400:
            throw .badResponse(url: url, reason: "Prometheus refused the selector (HTTP 400): \(federated.text.prefix(300).trimmingCharacters(in: .whitespacesAndNewlines))")
        case 404, 405:
            throw .badResponse(
                url: url,
                reason: "no /federate endpoint here (HTTP \(federated.status)): check that prometheus.url includes the server's route prefix, or, for a server without /federate (Thanos, Mimir, Cortex), set prometheus.api: query")
        default: throw .httpStatus(url: url, status: federated.status, body: federated.text)
        }
        let evaluated = try evaluationTime(clock, url: url)
        let answer: FederationAnswer
        do {
            answer = try FederationAnswer(federated.text)
        } catch {
            throw .badResponse(url: url, reason: "not a Prometheus federation answer (\(error))")
        }
        var oldest: [String: Int64] = [:]
        for item in answer.items {
            let instance = item.instance ?? ""
            oldest[instance] = min(oldest[instance] ?? item.sampled, item.sampled)
        }
        return answer.items.map { item in
            Series(
                line: item.line, instance: item.instance, isDown: item.isDown,
                ageMilliseconds: oldest[item.instance ?? ""].map { max(0, evaluated - $0) })
        }
    }

    /// Prometheus's clock in milliseconds: the evaluation time of its answer to `vector(time())`.
    private static func evaluationTime(_ clock: (text: String, status: Int), url: String) throws(ProbeError) -> Int64 {
        let answer = try vectorAnswer(clock.text, status: clock.status, url: url + " (the clock, vector(time()))")
        guard let seconds = answer.result.first?.seconds, seconds.isFinite, abs(seconds) < 1e12 else {
            throw .badResponse(url: url, reason: "Prometheus's answer to vector(time()) has no time")
        }
        return Int64((seconds * 1000).rounded())
    }

    private static func decode(
        _ text: String, status: Int, url: String, into series: inout [Series], oldest: inout [String: (sampled: Int64, evaluated: Int64)]
    ) throws(ProbeError) {
        let answer = try vectorAnswer(text, status: status, url: url)
        series.reserveCapacity(series.count + answer.result.count)
        for item in answer.result {
            guard let seconds = item.seconds, seconds.isFinite, abs(seconds) < 1e12, let value = item.value, let number = Double(value) else {
                throw .badResponse(url: url, reason: "a series without a valid sample time or value")
            }
            if item.label(oldestSampleLabel) != nil {
                guard number.isFinite, abs(number) < 1e12 else {
                    throw .badResponse(url: url, reason: "an oldest sample time that is not a time")
                }
                let times = (sampled: Int64((number * 1000).rounded()), evaluated: Int64((seconds * 1000).rounded()))
                let instance = item.label("instance") ?? ""
                if let known = oldest[instance], known.sampled <= times.sampled { continue }
                oldest[instance] = times
                continue
            }
            guard let name = item.label("__name__"), isName(name) else {
                throw .badResponse(url: url, reason: "a series without a valid name")
            }
            var line = name + "{"
            var first = true
            // Prometheus writes labels sorted by name; an answer that does not is sorted here.
            let labels = zip(item.labels, item.labels.dropFirst()).allSatisfy { $0.0 < $1.0 } ? item.labels : item.labels.sorted { $0.0 < $1.0 }
            for (label, text) in labels where label != "__name__" {
                guard isName(label) else {
                    throw .badResponse(url: url, reason: "series \(name): label \(label) is not a name")
                }
                if !first { line += "," }
                first = false
                line += label + "=\"" + escaped(text) + "\""
            }
            line += "} " + value + "\n"
            series.append(Series(line: line, instance: item.label("instance"), isDown: name == "up" && number == 0))
        }
    }

    /// The instant vector of an answer of the query API (`text`, answered with HTTP `status`), or
    /// Prometheus's own error.
    private static func vectorAnswer(_ text: String, status: Int, url: String) throws(ProbeError) -> VectorAnswer {
        let answer: VectorAnswer
        do {
            answer = try JSONParser.read(text) { parser throws(JSONError) in try VectorAnswer(&parser) }
        } catch {
            throw status == 200
                ? .badResponse(url: url, reason: "not a Prometheus API answer (\(error))")
                : .httpStatus(url: url, status: status, body: text)
        }
        guard answer.status == "success" else {
            throw .badResponse(url: url, reason: "Prometheus \(answer.errorType ?? "error") (HTTP \(status)): \(answer.error ?? text)")
        }
        guard answer.resultType == "vector" else {
            throw .badResponse(url: url, reason: "expected a vector result from an instant query")
        }
        return answer
    }

    /// A Prometheus metric or label name in the classic character set.
    private static func isName(_ text: String) -> Bool {
        guard let first = text.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "_"), UInt8(ascii: ":"), 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
            default: false
            }
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
