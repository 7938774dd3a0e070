/// A grid of cells that a frame is rendered into: a value, so a test can read it as text and the
/// terminal can diff two of them.
///
/// Every write is clipped to the grid (and to the rectangle a widget is given): nothing wraps.
/// Characters that are not one column wide (controls, wide East Asian) are drawn as `?`, so the
/// grid always matches the terminal column for column.
public struct Screen: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Cells, row by row.
    public private(set) var cells: [Cell]

    /// A blank screen.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole screen as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from (`x`, `y`), clipped at the screen's edge and after `limit` columns.
    /// Returns the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .text, limit: Int = .max) -> Int {
        guard y >= 0, y < height else { return x }
        var column = x
        let end = limit == .max ? width : min(width, x + max(limit, 0))
        for character in text {
            guard column < end else { break }
            if column >= 0 { cells[y * width + column] = Cell(Self.printable(character), style) }
            column += 1
        }
        return column
    }

    /// Writes `text` on row `y` of `rect`, clipped to it.
    @discardableResult
    public mutating func put(_ text: String, in rect: Rect, row: Int, column: Int = 0, style: Style = .text) -> Int {
        guard row >= 0, row < rect.height, column < rect.width else { return rect.x + column }
        return put(text, x: rect.x + column, y: rect.y + row, style: style, limit: rect.width - column)
    }

    /// Fills `rect` with `character` in `style`.
    public mutating func fill(_ rect: Rect, _ character: Character = " ", style: Style = .text) {
        for row in rect.y..<(rect.y + rect.height) where row >= 0 && row < height {
            for column in rect.x..<(rect.x + rect.width) where column >= 0 && column < width {
                cells[row * width + column] = Cell(character, style)
            }
        }
    }

    /// Indexes (row-major) of the cells that differ from `previous`; every cell when the sizes
    /// differ or there is no previous screen. What a terminal must redraw.
    public func changedCells(since previous: Screen?) -> [Int] {
        guard let previous, previous.width == width, previous.height == height else { return Array(cells.indices) }
        var changed: [Int] = []
        for index in cells.indices where cells[index] != previous.cells[index] {
            changed.append(index)
        }
        return changed
    }

    /// Row `y` as text, trailing spaces kept.
    public func line(_ y: Int) -> String {
        String(cells[(y * width)..<((y + 1) * width)].map(\.character))
    }

    /// The screen as text: one line per row, trailing spaces removed.
    public var text: String {
        (0..<height).map { y in
            var line = self.line(y)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }

    private static func printable(_ character: Character) -> Character {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return "?" }
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return "?" }
        if (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
            || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1FAFF).contains(value) || (0x20000...0x3FFFD).contains(value)
        {
            return "?"
        }
        return character
    }
}
