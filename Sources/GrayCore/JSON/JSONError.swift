/// Why a JSON text could not be parsed, and where (1-based line and column within that text).
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was expected.
    public var expected: String
    /// What was found instead.
    public var found: String
    /// Where.
    public var position: TextPosition

    /// Creates an error.
    public init(expected: String, found: String, position: TextPosition) {
        self.expected = expected
        self.found = found
        self.position = position
    }

    public var description: String { "\(position): expected \(expected), found \(found)" }
}
