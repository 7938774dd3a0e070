/// One character cell of the screen: a one-column character and its style.
public struct Cell: Equatable, Sendable {
    /// The character (always one column wide).
    public var character: Character
    /// How it is drawn.
    public var style: Style

    /// Creates a cell.
    public init(_ character: Character = " ", _ style: Style = .text) {
        self.character = character
        self.style = style
    }

    /// A blank cell.
    public static let blank = Cell()
}
