/// Reads the JSON Lines recording format of `docs/recording.md`.
///
/// Tolerant where the format says so: unknown kinds and unknown fields are skipped, and a last line
/// that does not parse (a crash mid-write) is dropped with a warning. Anything else that is wrong
/// throws a ``RecordingError`` naming the line.
public enum RecordingReader {
    /// Parses a whole recording.
    public static func read(_ text: String) throws(RecordingError) -> Recording {
        var text = text
        let outcome = text.withUTF8 { bytes in
            Result { () throws(RecordingError) in try read(bytes: bytes) }
        }
        return try outcome.get()
    }

    /// Parses a whole recording from UTF-8 bytes.
    public static func read(bytes: UnsafeBufferPointer<UInt8>) throws(RecordingError) -> Recording {
        var ranges: [Range<Int>] = []
        var start = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            ranges.append(start..<index)
            start = index + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        let lastContentLine = ranges.lastIndex { !isBlank(bytes, $0) }
        guard let lastContentLine else { throw .empty }

        var header: RecordingHeader?
        var lines: [RecordLine] = []
        var warnings: [String] = []
        var unknownKinds: [String: Int] = [:]
        var previousT = -Double.infinity
        for (index, range) in ranges.enumerated() where !isBlank(bytes, range) {
            let number = index + 1
            var trimmed = range
            if trimmed.count > 0, bytes[trimmed.upperBound - 1] == 0x0D { trimmed = trimmed.lowerBound..<trimmed.upperBound - 1 }
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes: UnsafeBufferPointer(rebasing: bytes[trimmed]))
            } catch {
                if index == lastContentLine, index > 0 {
                    warnings.append("line \(number): truncated last line ignored (\(error))")
                    break
                }
                if header == nil { throw .badHeader("\(error)") }
                throw .badJSON(line: number, error)
            }
            guard case .object = value else {
                if header == nil { throw .badHeader("expected a JSON object") }
                throw .badField(line: number, field: "(line)", expected: "a JSON object")
            }
            if header == nil {
                header = try parseHeader(value)
                continue
            }
            guard let t = value["t"]?.number, t.isFinite else {
                throw .badField(line: number, field: "t", expected: "seconds since started (a number)")
            }
            guard t >= previousT else { throw .timeWentBackwards(line: number, t: t, previous: previousT) }
            previousT = t
            guard let kind = value["kind"]?.string else {
                throw .badField(line: number, field: "kind", expected: "a string")
            }
            guard let entry = try parseEntry(kind: kind, value, line: number) else {
                unknownKinds[kind, default: 0] += 1
                continue
            }
            lines.append(RecordLine(t: t, entry: entry))
        }
        guard let header else { throw .empty }
        for (kind, count) in unknownKinds.sorted(by: { $0.key < $1.key }) {
            warnings.append("ignored \(count) line\(count == 1 ? "" : "s") of unknown kind \"\(kind)\"")
        }
        return Recording(header: header, lines: lines, warnings: warnings)
    }

    private static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        bytes[range].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    private static func parseHeader(_ value: JSONValue) throws(RecordingError) -> RecordingHeader {
        guard let version = value["grayrec"]?.number else { throw .badHeader("no \"grayrec\" version field") }
        guard version == 1 || version == 2 else { throw .unsupportedVersion(version.isFinite ? JSONWriter.number(version) : "\(version)") }
        var targets: [Target: [String: String]] = [:]
        for (name, endpoints) in value["targets"]?.object ?? [:] {
            guard let target = Target(rawValue: name) else { continue }
            var urls: [String: String] = [:]
            for (endpoint, url) in endpoints.object ?? [:] {
                if let url = url.string { urls[endpoint] = url }
            }
            targets[target] = urls
        }
        return RecordingHeader(
            version: Int(version), started: value["started"]?.string ?? "", service: value["service"]?.string ?? "",
            targets: targets)
    }

    private static func parseEntry(kind: String, _ value: JSONValue, line: Int) throws(RecordingError) -> RecordEntry? {
        func string(_ field: String) throws(RecordingError) -> String {
            guard let text = value[field]?.string else { throw .badField(line: line, field: field, expected: "a string") }
            return text
        }
        func target() throws(RecordingError) -> Subject {
            guard let target = value["target"]?.string.flatMap(Target.init(rawValue:)) else {
                throw .badField(line: line, field: "target", expected: "\"stable\", \"canary\" or \"router\"")
            }
            switch value["instance"] {
            case nil, .null:
                return Subject(target)
            case .string(let instance) where !instance.isEmpty && target != .router:
                return Subject(target, instance: instance)
            default:
                throw .badField(line: line, field: "instance", expected: "an instance ID (a non-empty string) of stable or canary")
            }
        }
        func weight() throws(RecordingError) -> Int {
            guard let weight = value["weight"]?.number, weight == weight.rounded(), (0...100).contains(weight) else {
                throw .badField(line: line, field: "weight", expected: "an integer in 0...100")
            }
            return Int(weight)
        }
        switch kind {
        case "metrics":
            var age: Double?
            if let field = value["age_ms"] {
                guard let milliseconds = field.number, milliseconds.isFinite, milliseconds >= 0 else {
                    throw .badField(line: line, field: "age_ms", expected: "milliseconds the samples were old (a number ≥ 0)")
                }
                age = milliseconds / 1000
            }
            return .metrics(try target(), body: try string("body"), age: age)
        case "health":
            guard let status = value["status"]?.string.flatMap(HealthStatus.init(rawValue:)) else {
                throw .badField(
                    line: line, field: "status",
                    expected: "SERVING, NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN or UNREACHABLE")
            }
            return .health(try target(), status, latency: value["latency_ms"]?.number.map { $0 / 1000 })
        case "breakers":
            guard let body = value["body"], case .object = body else {
                throw .badField(line: line, field: "body", expected: "the /admin/breakers JSON object")
            }
            return .breakers(try target(), body: body)
        case "breakers_not_observed":
            return .breakersNotObserved(try target(), reason: try string("reason"), configured: value["configured"]?.bool ?? false)
        case "weight":
            let generation: String?
            switch value["generation"] {
            case .string(let text): generation = text
            case .number(let number): generation = JSONWriter.number(number)
            default: generation = nil
            }
            return .weight(try weight(), generation: generation)
        case "error":
            return .error(try target(), endpoint: try string("endpoint"), message: try string("message"))
        case "instances":
            guard let version = value["target"]?.string.flatMap(Version.init(rawValue:)) else {
                throw .badField(line: line, field: "target", expected: "\"stable\" or \"canary\"")
            }
            guard let list = value["instances"]?.array, list.allSatisfy({ ($0.string ?? "").isEmpty == false }) else {
                throw .badField(line: line, field: "instances", expected: "an array of instance IDs (non-empty strings)")
            }
            return .instances(version, list.compactMap(\.string))
        case "action":
            return .action(
                action: try string("action"), weight: try weight(), by: value["by"]?.string ?? "",
                reason: value["reason"]?.string ?? "")
        default:
            return nil
        }
    }
}
