import Foundation
public import GrayCore

/// The release journal: every operator action and weight change, appended as a recording `action`
/// line and flushed to disk (fsync) before the change is sent. Read back on restart.
public final class Journal: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    /// The file.
    public let path: String

    /// Why the journal cannot be used.
    public struct OpenError: Error, CustomStringConvertible {
        /// What went wrong, naming the file.
        public let description: String
    }

    /// Opens (creating) the journal at `path` for appending.
    public init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw OpenError(description: "cannot create journal \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw OpenError(description: "cannot write journal \(path)") }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    deinit {
        try? handle.close()
    }

    /// Appends `entry` and waits until it is on disk.
    public func append(_ entry: JournalEntry) throws {
        let line = RecordingWriter.line(RecordLine(
            t: entry.t, entry: .action(action: entry.action, weight: entry.weight, by: entry.by, reason: entry.reason)))
        try lock.withLock {
            try handle.write(contentsOf: Data(line.utf8))
            try handle.synchronize()
        }
    }

    /// The actions journalled at `path` so far (none when the file does not exist).
    public static func entries(at path: String) throws -> [JournalEntry] {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        var entries: [JournalEntry] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            guard let value = try? JSONParser.parse(String(line)), value["kind"]?.string == "action" else { continue }
            entries.append(JournalEntry(
                t: value["t"]?.number ?? 0, action: value["action"]?.string ?? "", weight: Int(value["weight"]?.number ?? 0),
                by: value["by"]?.string ?? "", reason: value["reason"]?.string ?? ""))
        }
        return entries
    }
}
