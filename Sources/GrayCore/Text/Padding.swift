extension String {
    /// Padded with spaces on the left to `width` characters (unchanged when already as wide).
    public func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    /// Padded with spaces on the right to `width` characters (unchanged when already as wide).
    public func rightPadded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
