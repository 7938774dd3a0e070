import Foundation

/// Reads theme files: `key = value` lines, `#` comments, blank lines. A value is a foreground
/// colour, optionally `on` a background colour, and attributes:
///
///     breaker_open = bright_white on red bold
///     muted        = color245
///
/// Unknown keys are kept as warnings (a newer theme on an older grayctl still loads); a bad value
/// is an error naming the file, line and key; missing keys fall back to ``Theme/defaults``.
public enum ThemeParser {
    /// Parses `text` read from `file` into the theme `name`.
    public static func parse(_ text: String, name: String, file: String) throws(ThemeError) -> Theme {
        var theme = Theme(name: name, styles: Theme.defaults)
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw .notAnAssignment(file: file, line: offset + 1, text: trimmed)
            }
            let key = parts[0]
            if key == "name" { continue }
            guard let role = Role(rawValue: key) else {
                theme.warnings.append("\(file):\(offset + 1): unknown key \(key) ignored")
                continue
            }
            theme.styles[role] = try style(parts[1], file: file, line: offset + 1, key: key)
        }
        return theme
    }

    private static func style(_ value: String, file: String, line: Int, key: String) throws(ThemeError) -> ThemeStyle {
        var style = ThemeStyle()
        var words = value.split(separator: " ").map(String.init)[...]
        if let first = words.first, let color = ThemeColor(name: first) {
            style.foreground = color
            words = words.dropFirst()
        }
        if words.first == "on" {
            guard words.count >= 2, let color = ThemeColor(name: words[words.startIndex + 1]) else {
                throw .badValue(file: file, line: line, key: key, word: words.dropFirst().first ?? "on")
            }
            style.background = color
            words = words.dropFirst(2)
        }
        for word in words {
            switch word {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "reverse": style.reverse = true
            case "underline": style.underline = true
            default: throw .badValue(file: file, line: line, key: key, word: word)
            }
        }
        return style
    }
}
