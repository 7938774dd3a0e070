/// Why a theme file cannot be used; each message names the file, line and key.
public enum ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A line that is not `key = value`.
    case notAnAssignment(file: String, line: Int, text: String)
    /// A value that is not `COLOUR [on COLOUR] [bold|dim|reverse|underline]...`.
    case badValue(file: String, line: Int, key: String, word: String)
    /// No theme of that name in the themes folder.
    case unknownTheme(name: String, available: [String])

    public var description: String {
        switch self {
        case .notAnAssignment(let file, let line, let text):
            return "\(file):\(line): expected `key = value`, found \"\(text)\""
        case .badValue(let file, let line, let key, let word):
            return "\(file):\(line): key \(key): \"\(word)\" is not a colour (default, red, bright_red, color0...color255) "
                + "nor an attribute (bold, dim, reverse, underline)"
        case .unknownTheme(let name, let available):
            return "no theme \"\(name)\": available are \(available.joined(separator: ", "))"
        }
    }
}
