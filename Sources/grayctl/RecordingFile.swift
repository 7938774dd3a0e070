import Foundation
import GrayCore

/// Appends recording lines to a file as they come (header first).
final class RecordingFile: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    init(path: String, configuration: GrayConfig) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw InputError("cannot write recording \(path)")
        }
        self.handle = handle
        var targets: [Target: [String: String]] = [:]
        for (target, endpoints) in configuration.targets {
            var urls: [String: String] = [:]
            if let admin = endpoints.admin { urls["admin"] = admin }
            if let grpc = endpoints.grpc { urls["grpc"] = grpc }
            targets[target] = urls
        }
        let started = ISO8601DateFormatter().string(from: Date())
        handle.write(Data(RecordingWriter.headerLine(RecordingHeader(started: started, service: configuration.service, targets: targets)).utf8))
    }

    func append(_ line: RecordLine) {
        lock.withLock { handle.write(Data(RecordingWriter.line(line).utf8)) }
    }
}
