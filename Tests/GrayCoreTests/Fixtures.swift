import Foundation

/// Locates files under the repository's `fixtures/` folder from the test sources.
enum Fixtures {
    /// The repository root, found from this source file's path.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The URL of `fixtures/<relativePath>`.
    static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent("fixtures").appendingPathComponent(relativePath)
    }

    /// The text of `fixtures/<relativePath>`.
    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }
}
