/// Why a Prometheus text exposition could not be parsed, and where.
///
/// Every case carries the position of the offending byte, so a message names line and column.
public enum ExpositionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A specific token was required; `found` describes what was there instead.
    case unexpected(expected: String, found: String, at: TextPosition)
    /// A sample value that is not a float (`NaN`, `+Inf` and `-Inf` are floats).
    case invalidValue(String, at: TextPosition)
    /// A timestamp that is not an integer number of milliseconds.
    case invalidTimestamp(String, at: TextPosition)
    /// A backslash escape other than `\\`, `\"` (label values only) or `\n`.
    case invalidEscape(String, at: TextPosition)
    /// A label value or docstring that is not valid UTF-8.
    case invalidUTF8(at: TextPosition)
    /// The same label name twice in one sample.
    case duplicateLabel(String, at: TextPosition)
    /// The label name `__name__`, which the format reserves.
    case reservedLabel(String, at: TextPosition)
    /// A second `# HELP` or `# TYPE` line for the same family.
    case duplicateMetadata(keyword: String, metric: String, at: TextPosition)
    /// A `# TYPE` line after samples of its family were already seen.
    case typeAfterSamples(metric: String, at: TextPosition)
    /// A `# TYPE` naming an unknown metric type.
    case unknownType(String, at: TextPosition)
    /// A histogram `_bucket` sample without an `le` label, or a summary sample without `quantile`.
    case missingLabel(label: String, metric: String, at: TextPosition)
    /// An `le` or `quantile` label whose value is not a float.
    case invalidBound(label: String, value: String, at: TextPosition)
    /// A histogram bucket or count below zero.
    case negativeCount(metric: String, at: TextPosition)

    /// Where the problem is.
    public var position: TextPosition {
        switch self {
        case .unexpected(_, _, let at), .invalidValue(_, let at), .invalidTimestamp(_, let at),
            .invalidEscape(_, let at), .invalidUTF8(let at), .duplicateLabel(_, let at),
            .reservedLabel(_, let at), .duplicateMetadata(_, _, let at), .typeAfterSamples(_, let at),
            .unknownType(_, let at), .missingLabel(_, _, let at), .invalidBound(_, _, let at),
            .negativeCount(_, let at):
            return at
        }
    }

    public var description: String {
        let detail: String
        switch self {
        case .unexpected(let expected, let found, _):
            detail = "expected \(expected), found \(found)"
        case .invalidValue(let text, _):
            detail = "expected a float as sample value (e.g. 1, 2.5e-3, NaN, +Inf), found \"\(text)\""
        case .invalidTimestamp(let text, _):
            detail = "expected an integer timestamp in milliseconds, found \"\(text)\""
        case .invalidEscape(let text, _):
            detail = "invalid escape \"\(text)\" (allowed: \\\\, \\\", \\n)"
        case .invalidUTF8:
            detail = "text is not valid UTF-8"
        case .duplicateLabel(let name, _):
            detail = "label \"\(name)\" appears twice in one sample"
        case .reservedLabel(let name, _):
            detail = "label name \"\(name)\" is reserved"
        case .duplicateMetadata(let keyword, let metric, _):
            detail = "second # \(keyword) line for metric \"\(metric)\""
        case .typeAfterSamples(let metric, _):
            detail = "# TYPE line for \"\(metric)\" after its samples"
        case .unknownType(let type, _):
            detail = "unknown metric type \"\(type)\" (expected counter, gauge, histogram, summary or untyped)"
        case .missingLabel(let label, let metric, _):
            detail = "sample of \"\(metric)\" lacks the \"\(label)\" label"
        case .invalidBound(let label, let value, _):
            detail = "expected a float as value of label \"\(label)\", found \"\(value)\""
        case .negativeCount(let metric, _):
            detail = "negative count in histogram sample \"\(metric)\""
        }
        return "\(position): \(detail)"
    }
}
