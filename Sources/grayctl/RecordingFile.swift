import Foundation
import GrayCore

/// Appends recording lines to a file as they come (header first). A write that fails (a full
/// disk) is said once on standard error and the release goes on: the recording is a record, not a
/// gate.
final class RecordingFile: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    private let path: String
    private let failure = OnceFlag()

    init(path: String, configuration: GrayConfig) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw InputError("cannot write recording \(path)")
        }
        self.handle = handle
        self.path = path
        var targets: [Target: [String: String]] = [:]
        for (target, endpoints) in configuration.targets {
            var urls: [String: String] = [:]
            if let admin = endpoints.admin { urls["admin"] = admin }
            if let grpc = endpoints.grpc { urls["grpc"] = grpc }
            if let dns = endpoints.dns { urls["dns"] = dns.name }
            if !endpoints.instances.isEmpty { urls["instances"] = endpoints.instances.compactMap(\.id).joined(separator: ",") }
            targets[target] = urls
        }
        let started = ISO8601DateFormatter().string(from: Date())
        do {
            try handle.write(contentsOf: Data(RecordingWriter.headerLine(RecordingHeader(
                version: configuration.namesInstances ? 2 : 1, started: started, service: configuration.service, targets: targets)).utf8))
        } catch {
            throw InputError("cannot write recording \(path): \(error.localizedDescription)")
        }
    }

    /// Appends `line`; a failure is reported once.
    func append(_ line: RecordLine) {
        lock.withLock {
            do {
                try handle.write(contentsOf: Data(RecordingWriter.line(line).utf8))
            } catch {
                if failure.isFirst() { InputFiles.warn("recording \(path) cannot be written (\(error.localizedDescription)): the release goes on, unrecorded") }
            }
        }
    }
}
