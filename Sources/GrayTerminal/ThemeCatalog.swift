import Foundation
public import GrayRender

/// The themes grayctl can switch between: every `*.theme` in the first `themes/` folder found
/// (`$GRAYCTL_THEMES`, beside the executable or up to three folders above it, the working
/// directory), `dark` first. Without any folder, the built-in defaults serve as `dark`.
public struct ThemeCatalog: Sendable {
    /// Theme files by name, in switching order.
    public let files: [(name: String, path: String)]

    /// Finds the themes folder (`environment` gives `GRAYCTL_THEMES`).
    public init(environment: [String: String]) {
        var folders: [String] = []
        if let configured = environment["GRAYCTL_THEMES"] { folders.append(configured) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            folders.append(directory.appendingPathComponent("themes").path)
            directory = directory.deletingLastPathComponent()
        }
        folders.append(FileManager.default.currentDirectoryPath + "/themes")
        let folder = folders.first { path in
            (try? FileManager.default.contentsOfDirectory(atPath: path))?.contains { $0.hasSuffix(".theme") } == true
        }
        let names = folder.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0) }?.filter { $0.hasSuffix(".theme") }.sorted() ?? []
        let found = names.map { (name: String($0.dropLast(6)), path: folder! + "/" + $0) }
        files = found.filter { $0.name == "dark" } + found.filter { $0.name != "dark" }
    }

    /// The names, in switching order.
    public var names: [String] { files.isEmpty ? ["dark"] : files.map(\.name) }

    /// Loads `nameOrPath`: a name from the catalog, or a path to a `.theme` file.
    public func load(_ nameOrPath: String) throws -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            return try Self.read(path: nameOrPath, name: URL(fileURLWithPath: nameOrPath).deletingPathExtension().lastPathComponent)
        }
        if let file = files.first(where: { $0.name == nameOrPath }) {
            return try Self.read(path: file.path, name: file.name)
        }
        if nameOrPath == "dark", files.isEmpty {
            var theme = Theme.builtIn
            theme.name = "dark"
            return theme
        }
        throw ThemeError.unknownTheme(name: nameOrPath, available: names)
    }

    /// The theme after `name`, wrapping around.
    public func next(after name: String) throws -> Theme {
        let all = names
        let index = all.firstIndex(of: name).map { ($0 + 1) % all.count } ?? 0
        return try load(all[index])
    }

    private static func read(path: String, name: String) throws -> Theme {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CatalogError(description: "cannot read theme file \(path)")
        }
        return try ThemeParser.parse(text, name: name, file: path)
    }

    /// A theme file that cannot be read.
    public struct CatalogError: Error, CustomStringConvertible {
        /// Names the file.
        public let description: String
    }
}
