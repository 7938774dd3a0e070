/// Something that draws itself into a rectangle of a screen and nowhere else.
public protocol Widget {
    /// Draws into `rect` of `screen`.
    func draw(in rect: Rect, on screen: inout Screen)
}
