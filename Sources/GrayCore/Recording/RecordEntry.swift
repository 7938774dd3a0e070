/// One line of a recording after the header, as written: raw bodies, not yet interpreted.
public enum RecordEntry: Equatable, Sendable {
    /// A `/metrics` scrape: the exposition text as served.
    case metrics(Target, body: String)
    /// A gRPC health answer and, on live runs, how long the check took (seconds).
    case health(Target, HealthStatus, latency: Double? = nil)
    /// A `/admin/breakers` read: the JSON document as served (or, from grayctl itself,
    /// `{"breakers":[],"not_observed":REASON}` for a target whose breakers are not observed).
    case breakers(Target, body: JSONValue)
    /// The router's canary weight as read back.
    case weight(Int, generation: String?)
    /// A failed observation.
    case error(Target, endpoint: String, message: String)
    /// What grayctl or an operator did (not an input of replay).
    case action(action: String, weight: Int, by: String, reason: String)

    /// The observation this entry stands for; nil for actions. Bodies that do not parse become
    /// failed observations, as they would have been live.
    public func observation() -> Observation? {
        switch self {
        case .metrics(let target, let body):
            do {
                return .metrics(target, try ExpositionParser.parse(body))
            } catch {
                return .failed(target, endpoint: "metrics", message: "bad exposition: \(error)")
            }
        case .health(let target, let status, let latency):
            return .health(target, status, latency: latency)
        case .breakers(let target, let body):
            if let reason = body["not_observed"]?.string { return .breakersNotObserved(target, reason: reason) }
            do {
                return .breakers(target, try BreakersDecoder.decode(body))
            } catch {
                return .failed(target, endpoint: "breakers", message: "bad breakers body: \(error)")
            }
        case .weight(let weight, let generation):
            return .weight(weight, generation: generation)
        case .error(let target, let endpoint, let message):
            return .failed(target, endpoint: endpoint, message: message)
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
    /// Format version; this build reads 1.
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
    /// The entry saying `target`'s breakers are not observed, and why.
    public static func breakersNotObserved(_ target: Target, reason: String) -> RecordEntry {
        .breakers(target, body: .object(["breakers": .array([]), "not_observed": .string(reason)]))
    }
}
