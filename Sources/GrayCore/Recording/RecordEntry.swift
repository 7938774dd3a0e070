/// One line of a recording after the header, as written: raw bodies, not yet interpreted.
public enum RecordEntry: Equatable, Sendable {
    /// A `/metrics` scrape: the exposition text as served; or Prometheus's answer for one instance,
    /// with `age`: how old (seconds) its oldest series' newest sample was when Prometheus answered.
    case metrics(Subject, body: String, age: Double? = nil)
    /// A gRPC health answer and, on live runs, how long the check took (seconds).
    case health(Subject, HealthStatus, latency: Double? = nil)
    /// A `/admin/breakers` read: the JSON document as served.
    case breakers(Subject, body: JSONValue)
    /// grayctl's own note that a target's breakers are not observed (see
    /// ``Observation/breakersNotObserved(_:reason:configured:)``); never from a service's answer.
    case breakersNotObserved(Subject, reason: String, configured: Bool)
    /// The router's canary weight as read back.
    case weight(Int, generation: String?)
    /// A failed observation.
    case error(Subject, endpoint: String, message: String)
    /// Discovery's list of a version's instances (static list, DNS, Prometheus's `instance` label).
    case instances(Version, [String])
    /// What grayctl or an operator did (not an input of replay).
    case action(action: String, weight: Int, by: String, reason: String)

    /// The observation this entry stands for; nil for actions. Bodies that do not parse become
    /// failed observations, as they would have been live.
    public func observation() -> Observation? {
        switch self {
        case .metrics(let target, let body, let age):
            do {
                return .metrics(target, try ExpositionParser.parse(body), age: age)
            } catch {
                return .failed(target, endpoint: "metrics", message: "bad exposition: \(error)")
            }
        case .health(let target, let status, let latency):
            return .health(target, status, latency: latency)
        case .breakersNotObserved(let target, let reason, let configured):
            return .breakersNotObserved(target, reason: reason, configured: configured)
        case .breakers(let target, let body):
            do {
                return .breakers(target, try BreakersDecoder.decode(body))
            } catch {
                return .failed(target, endpoint: "breakers", message: "bad breakers body: \(error)")
            }
        case .weight(let weight, let generation):
            return .weight(weight, generation: generation)
        case .error(let target, let endpoint, let message):
            return .failed(target, endpoint: endpoint, message: message)
        case .instances(let version, let ids):
            return .instances(version, ids)
        case .action:
            return nil
        }
    }
}

/// A timed entry: `t` seconds since the recording's start.
public struct RecordLine: Equatable, Sendable {
    /// Seconds since `started`.
    public var t: Double
    /// What was observed or done.
    public var entry: RecordEntry

    /// Creates a line.
    public init(t: Double, entry: RecordEntry) {
        self.t = t
        self.entry = entry
    }
}

/// The first line of a recording.
public struct RecordingHeader: Equatable, Sendable {
    /// Format version; this build reads 1 and 2. Version 2 may name instances (`instance`,
    /// `instances`): a reader of version 1 would merge them into one instance and misjudge.
    public var version: Int
    /// Start time, RFC 3339 UTC.
    public var started: String
    /// The service released.
    public var service: String
    /// Endpoint URLs per target (`admin`, `grpc`, ...), secrets never included.
    public var targets: [Target: [String: String]]

    /// Creates a header.
    public init(version: Int = 1, started: String, service: String, targets: [Target: [String: String]]) {
        self.version = version
        self.started = started
        self.service = service
        self.targets = targets
    }
}

/// A whole recording.
public struct Recording: Equatable, Sendable {
    /// The header.
    public var header: RecordingHeader
    /// Every line after the header that this build understands, in file order.
    public var lines: [RecordLine]
    /// Things skipped on the way (unknown kinds, a truncated last line), one message each.
    public var warnings: [String]

    /// Creates a recording.
    public init(header: RecordingHeader, lines: [RecordLine], warnings: [String] = []) {
        self.header = header
        self.lines = lines
        self.warnings = warnings
    }
}

extension RecordEntry {
    /// What the entry is of; nil for weights, discovery and actions.
    public var subject: Subject? {
        switch self {
        case .metrics(let subject, _, _), .health(let subject, _, _), .breakers(let subject, _),
            .breakersNotObserved(let subject, _, _), .error(let subject, _, _):
            return subject
        case .weight, .instances, .action:
            return nil
        }
    }

    /// The message of an `error` entry; nil for any other.
    public var failureMessage: String? {
        if case .error(_, _, let message) = self { return message }
        return nil
    }
}
