import Foundation
import GrayRender
import Testing

/// Whole screens compared as text against `fixtures/screens/NAME.txt`. With `RECORD_SNAPSHOTS=1`
/// the file is written anew and the test fails on purpose, so a recording run never passes silently.
enum Snapshot {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The URL of a repository file.
    static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    static func assert(_ screen: Screen, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = url("fixtures/screens/\(name).txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try Data(screen.text.utf8).write(to: file)
            Issue.record("recorded \(file.path); run again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(screen.text == expected, "screen \(name) differs from \(file.path)", sourceLocation: sourceLocation)
    }
}
