/// Writes the lines of the recording format of `docs/recording.md`. Pure: returns text, the caller
/// appends it to the file (one line per call, each ending in a newline).
public enum RecordingWriter {
    /// The header line.
    public static func headerLine(_ header: RecordingHeader) -> String {
        var targets: [String: JSONValue] = [:]
        for (target, endpoints) in header.targets {
            targets[target.rawValue] = .object(endpoints.mapValues { .string($0) })
        }
        let object: [String: JSONValue] = [
            "grayrec": .number(Double(header.version)), "started": .string(header.started),
            "service": .string(header.service), "targets": .object(targets),
        ]
        return JSONWriter.write(.object(object)) + "\n"
    }

    /// One observation or action line.
    public static func line(_ line: RecordLine) -> String {
        var object: [String: JSONValue] = [:]
        switch line.entry {
        case .metrics(let target, let body, let age):
            object = ["kind": .string("metrics"), "target": .string(target.target.rawValue), "body": .string(body)]
            if let age { object["age_ms"] = .number((age * 1000).rounded()) }
        case .health(let target, let status, let latency):
            object = ["kind": .string("health"), "target": .string(target.target.rawValue), "status": .string(status.rawValue)]
            if let latency { object["latency_ms"] = .number((latency * 1000 * 10).rounded() / 10) }
        case .breakers(let target, let body):
            object = ["kind": .string("breakers"), "target": .string(target.target.rawValue), "body": body]
        case .breakersNotObserved(let target, let reason, let configured):
            object = [
                "kind": .string("breakers_not_observed"), "target": .string(target.target.rawValue), "reason": .string(reason),
                "configured": .bool(configured),
            ]
        case .weight(let weight, let generation):
            object = ["kind": .string("weight"), "weight": .number(Double(weight))]
            if let generation { object["generation"] = .string(generation) }
        case .error(let target, let endpoint, let message):
            object = [
                "kind": .string("error"), "target": .string(target.target.rawValue), "endpoint": .string(endpoint),
                "message": .string(message),
            ]
        case .instances(let version, let ids):
            object = ["kind": .string("instances"), "target": .string(version.rawValue), "instances": .array(ids.map { .string($0) })]
        case .action(let action, let weight, let by, let reason):
            object = [
                "kind": .string("action"), "action": .string(action), "weight": .number(Double(weight)),
                "by": .string(by), "reason": .string(reason),
            ]
        }
        if let subject = line.entry.subject, !subject.isSole { object["instance"] = .string(subject.instance) }
        // `t` first, then `kind`, then the rest sorted: easy to read with grep and head.
        var text = "{\"t\":" + JSONWriter.number(line.t) + ",\"kind\":" + JSONWriter.quoted(object["kind"]!.string!)
        for key in object.keys.sorted() where key != "kind" {
            text += "," + JSONWriter.quoted(key) + ":" + JSONWriter.write(object[key]!)
        }
        return text + "}\n"
    }
}
