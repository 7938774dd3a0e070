import Foundation
public import GrayCore

/// The release journal: every operator action and weight change, appended as a recording `action`
/// line and flushed to disk (fsync) before the change is sent. Read back on restart.
public final class Journal: ReleaseJournal, @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    /// The file.
    public let path: String

    /// Why the journal cannot be used or read, naming the file (and line).
    public enum JournalError: Error, Equatable, CustomStringConvertible {
        /// The file (or its folder) cannot be created or opened for writing.
        case cannotOpen(path: String, reason: String)
        /// The file exists and cannot be read.
        case cannotRead(path: String, reason: String)
        /// A line that is not a journal entry (a torn write, an edit, another file).
        case unreadableLine(path: String, line: Int, excerpt: String)

        public var description: String {
            switch self {
            case .cannotOpen(let path, let reason): return "cannot write journal \(path): \(reason)"
            case .cannotRead(let path, let reason): return "cannot read journal \(path): \(reason)"
            case .unreadableLine(let path, let line, let excerpt):
                return "journal \(path) line \(line) is not a journal entry: \(excerpt)"
            }
        }
    }

    /// Opens (creating, with its folders) the journal at `path` for appending. A new file's folder
    /// and every folder created for it are synced, so the file itself survives a crash. A last line
    /// cut short by a crash (no newline; ``read(at:)`` drops it with a warning) is cut off first, so
    /// the next entry starts a line of its own.
    public init(path: String) throws(JournalError) {
        self.path = path
        if Self.isSpecialFile(path) { throw .cannotOpen(path: path, reason: Self.notAFile) }
        if !FileManager.default.fileExists(atPath: path) {
            var missing: [URL] = []
            var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            while !FileManager.default.fileExists(atPath: folder.path), folder.path != "/" {
                missing.append(folder)
                folder = folder.deletingLastPathComponent()
            }
            do {
                try FileManager.default.createDirectory(
                    atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            } catch {
                throw .cannotOpen(path: path, reason: "cannot create its folder (\(error.localizedDescription))")
            }
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw .cannotOpen(path: path, reason: Self.errnoText())
            }
            for created in [URL(fileURLWithPath: path)] + missing { Self.syncFolder(created.deletingLastPathComponent().path) }
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw .cannotOpen(path: path, reason: Self.errnoText()) }
        // Checked again on what was opened: the path may have been swapped since.
        guard Self.isRegular(handle.fileDescriptor) else { throw .cannotOpen(path: path, reason: Self.notAFile) }
        do {
            let data = try handle.readToEnd() ?? Data()
            if let last = data.last, last != UInt8(ascii: "\n") {
                let keep = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
                try handle.truncate(atOffset: UInt64(keep))
                try handle.synchronize()
            }
            try handle.seekToEnd()
        } catch {
            throw .cannotOpen(path: path, reason: "\(error.localizedDescription)")
        }
        self.handle = handle
    }

    deinit {
        try? handle.close()
    }

    private static let notAFile = "not a regular file (a directory, a device or a pipe cannot keep a journal: give a file, or leave --journal out)"

    /// Whether `path` exists and is not a regular file (`/dev/null`, `/dev/full`, a FIFO): reading
    /// one to its end may never end (opening a FIFO to read waits for a writer), and what is
    /// written to it is not kept.
    private static func isSpecialFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG
    }

    /// Whether the open `descriptor` is a regular file.
    private static func isRegular(_ descriptor: Int32) -> Bool {
        var status = stat()
        return fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
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

    /// The actions journalled at `path` so far (none when the file does not exist), with warnings.
    /// Every line must be a journal entry: the first one that is not is an error naming it, never
    /// skipped — except a last line cut short without its newline, a crash in the middle of an
    /// append, which is dropped with a warning (the change it described was never sent: entries
    /// are written before their change).
    public static func read(at path: String) throws(JournalError) -> (entries: [JournalEntry], warnings: [String]) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], []) }
        if isSpecialFile(path) { throw .cannotRead(path: path, reason: notAFile) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .cannotRead(path: path, reason: errnoText()) }
        defer { try? handle.close() }
        guard isRegular(handle.fileDescriptor) else { throw .cannotRead(path: path, reason: notAFile) }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw .cannotRead(path: path, reason: error.localizedDescription)
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var entries: [JournalEntry] = []
        var warnings: [String] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            if let entry = entry(String(line)) {
                entries.append(entry)
            } else if index == lines.count - 1 {
                warnings.append("journal \(path) line \(index + 1) was cut short (no newline: a crash mid-write); ignored")
            } else {
                throw .unreadableLine(path: path, line: index + 1, excerpt: String(line.prefix(80)))
            }
        }
        return (entries, warnings)
    }

    private static func entry(_ line: String) -> JournalEntry? {
        guard let value = try? JSONParser.parse(line), value["kind"]?.string == "action", let t = value["t"]?.number, t.isFinite,
            let action = value["action"]?.string, let number = value["weight"]?.number, number.isFinite, number >= 0, number <= 100,
            number == number.rounded()
        else { return nil }
        return JournalEntry(t: t, action: action, weight: Int(number), by: value["by"]?.string ?? "", reason: value["reason"]?.string ?? "")
    }

    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
