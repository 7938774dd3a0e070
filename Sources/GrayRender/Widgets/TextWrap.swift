/// Word wrapping for reasons and events: lines of at most `width` characters, broken at spaces
/// where it can — never between a number and its unit (`30 s`, `87 ms`) — and a word longer than a
/// line is cut; at most `maxLines` of them, the last one ending with `…` when text was left out.
enum TextWrap {
    /// Units that stay on the line of the number before them.
    private static let units: Set<Substring> = ["s", "s,", "s:", "s;", "ms", "ms,", "ms:", "ms;", "m", "h"]

    static func lines(_ text: String, width: Int, maxLines: Int) -> [String] {
        guard width > 1, maxLines > 0 else { return [] }
        var lines: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty, lines.count < maxLines {
            if rest.count <= width {
                lines.append(String(rest))
                rest = ""
                break
            }
            let window = rest.prefix(width + 1)
            let spaces = window.indices.filter { window[$0] == " " && $0 > rest.startIndex }
            let fitting = spaces.last { space in
                let next = rest[rest.index(after: space)...].prefix { $0 != " " }
                return !units.contains(next)
            }
            let cut = fitting ?? spaces.last ?? rest.index(rest.startIndex, offsetBy: width)
            lines.append(String(rest[..<cut]))
            rest = rest[cut...].drop { $0 == " " }
        }
        if !rest.isEmpty, var last = lines.popLast() {
            if last.count >= width { last = String(last.prefix(width - 1)) }
            lines.append(last + "…")
        }
        return lines
    }
}
