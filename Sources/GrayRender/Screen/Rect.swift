/// A rectangle of screen cells: column `x`, row `y`, `width` columns, `height` rows.
public struct Rect: Equatable, Sendable {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// Creates a rectangle; negative sizes become 0.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The area inside a one-cell border.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }

    /// The area inside a one-cell border, less one column of padding on each side.
    public var content: Rect { Rect(x: x + 2, y: y + 1, width: width - 4, height: height - 2) }

    /// True when nothing fits in it.
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// The rows from `top` on, `count` of them (clipped to this rectangle).
    public func rows(from top: Int, count: Int) -> Rect {
        let start = min(max(top, 0), height)
        return Rect(x: x, y: y + start, width: width, height: min(count, height - start))
    }

    /// Splits into a left part `leftWidth` wide and the rest.
    public func splitColumns(_ leftWidth: Int) -> (Rect, Rect) {
        let left = min(max(leftWidth, 0), width)
        return (Rect(x: x, y: y, width: left, height: height), Rect(x: x + left, y: y, width: width - left, height: height))
    }

    /// Splits into a top part `topHeight` high and the rest.
    public func splitRows(_ topHeight: Int) -> (Rect, Rect) {
        let top = min(max(topHeight, 0), height)
        return (Rect(x: x, y: y, width: width, height: top), Rect(x: x, y: y + top, width: width, height: height - top))
    }
}
