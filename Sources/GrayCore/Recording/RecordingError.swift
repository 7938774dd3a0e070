/// Why a recording cannot be read, naming the line.
public enum RecordingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file has no header line.
    case empty
    /// Line 1 is not a grayctl recording header.
    case badHeader(String)
    /// A newer format than this build reads.
    case unsupportedVersion(String)
    /// A line that is not a JSON object.
    case badJSON(line: Int, JSONError)
    /// A known kind with a missing or wrong field.
    case badField(line: Int, field: String, expected: String)
    /// `t` went down.
    case timeWentBackwards(line: Int, t: Double, previous: Double)

    public var description: String {
        switch self {
        case .empty:
            return "line 1: empty recording (expected a header line {\"grayrec\":1,...})"
        case .badHeader(let reason):
            return "line 1: not a grayctl recording header: \(reason)"
        case .unsupportedVersion(let version):
            return "line 1: recording format version \(version) is not one this grayctl reads (it reads 1 and 2)"
        case .badJSON(let line, let error):
            return "line \(line): not a JSON object: column \(error.position.column): expected \(error.expected), found \(error.found)"
        case .badField(let line, let field, let expected):
            return "line \(line): field \"\(field)\": expected \(expected)"
        case .timeWentBackwards(let line, let t, let previous):
            return "line \(line): t \(t) is earlier than the previous line's \(previous) (t must not decrease)"
        }
    }
}
