/// Why `grayctl.yaml` was refused, naming the key and the line.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not YAML.
    case syntax(line: Int, column: Int, problem: String)
    /// A key grayctl does not know (a typo, usually); `known` lists what is allowed there.
    case unknownKey(key: String, line: Int, known: [String])
    /// A value of the wrong kind or out of range.
    case invalidValue(key: String, line: Int, expected: String, found: String)

    /// The 1-based line of the problem.
    public var line: Int {
        switch self {
        case .syntax(let line, _, _), .unknownKey(_, let line, _), .invalidValue(_, let line, _, _): return line
        }
    }

    public var description: String {
        switch self {
        case .syntax(let line, let column, let problem):
            return "line \(line), column \(column): not valid YAML: \(problem)"
        case .unknownKey(let key, let line, let known):
            return "line \(line): unknown key \"\(key)\" (known here: \(known.joined(separator: ", ")))"
        case .invalidValue(let key, let line, let expected, let found):
            return "line \(line): \(key): expected \(expected), found \(found)"
        }
    }
}
