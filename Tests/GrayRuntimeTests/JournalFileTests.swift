import Foundation
import GrayCore
import GrayRuntime
import Testing

@Suite("The journal file")
struct JournalFileTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("journal-test-\(UInt32.random(in: 0...UInt32.max))/j.jsonl").path
    }

    @Test("a last line torn by a crash is dropped with a warning when read, and cut off before the next append")
    func tornLastLine() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let journal = try Journal(path: path)
        try journal.append(JournalEntry(t: 1, action: "promote", weight: 5, by: "ana", reason: "r"))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"t":2.0,"kind":"act"#.utf8))
        try handle.close()
        let torn = try Journal.read(at: path)
        #expect(torn.entries.map(\.action) == ["promote"])
        #expect(torn.warnings == ["journal \(path) line 2 was cut short (no newline: a crash mid-write); ignored"])
        try Journal(path: path).append(JournalEntry(t: 3, action: "rollback", weight: 0, by: "grayctl", reason: "r"))
        let after = try Journal.read(at: path)
        #expect(after.entries.map(\.action) == ["promote", "rollback"])
        #expect(after.warnings.isEmpty)
    }

    @Test("a bad line that is not the last is an error naming it")
    func badLine() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        _ = try Journal(path: path)
        try Data("{\"t\":1}\n{\"t\":1.0,\"kind\":\"action\",\"action\":\"pause\",\"weight\":0}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: Journal.JournalError.unreadableLine(path: path, line: 1, excerpt: "{\"t\":1}")) { try Journal.read(at: path) }
    }

    @Test("a device or a pipe is refused as a journal at once, naming it (reading /dev/full to its end would never end)", arguments: ["/dev/full", "/dev/null", "/dev/zero", "/tmp"])
    func specialFile(path: String) {
        let reason = "not a regular file (a directory, a device or a pipe cannot keep a journal: give a file, or leave --journal out)"
        #expect(throws: Journal.JournalError.cannotRead(path: path, reason: reason)) { try Journal.read(at: path) }
        #expect(throws: Journal.JournalError.cannotOpen(path: path, reason: reason)) { try Journal(path: path) }
    }
}
