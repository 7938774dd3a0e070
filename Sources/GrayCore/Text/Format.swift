/// Number formatting for reasons and screens, identical on every platform (no locale, no Foundation).
public enum Format {
    /// `value` rounded to `digits` decimals: `fixed(0.01234, 2) == "0.01"`.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        // Past what an Int holds (counts ≥ 2^63 in an outside message), Swift's own text.
        guard scaled < 9.0e18 else { return value.description }
        let negative = value < 0 && scaled != 0
        let whole = Int(scaled / scale)
        var text = String(whole)
        if digits > 0 {
            let fraction = Int(scaled - Double(whole) * scale)
            var fractionText = String(fraction)
            while fractionText.count < digits { fractionText = "0" + fractionText }
            text += "." + fractionText
        }
        return negative ? "-" + text : text
    }

    /// A ratio as a percentage with one decimal (two below 1%), trailing zeros dropped:
    /// `percent(0.052) == "5.2%"`, `percent(0.01) == "1%"`, `percent(0.0017) == "0.17%"`.
    public static func percent(_ ratio: Double) -> String {
        guard ratio.isFinite else { return "n/a" }
        let percent = ratio * 100
        return trimmed(percent, digits: abs(percent) < 1 ? 2 : 1) + "%"
    }

    /// `value` with at most `digits` decimals and no trailing zeros: `trimmed(99.99, digits: 2) == "99.99"`,
    /// `trimmed(99.9, digits: 2) == "99.9"`, `trimmed(99, digits: 2) == "99"`.
    public static func trimmed(_ value: Double, digits: Int) -> String {
        var text = fixed(value, digits)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// Seconds as milliseconds: `milliseconds(0.0123) == "12 ms"`, `"0.8 ms"` under 10 ms.
    public static func milliseconds(_ seconds: Double) -> String {
        guard seconds.isFinite else { return seconds.isNaN ? "n/a" : "> max bucket" }
        let ms = seconds * 1000
        return fixed(ms, ms < 10 ? 1 : 0) + " ms"
    }

    /// A duration in seconds: `seconds(30) == "30 s"`, `seconds(2.5) == "2.5 s"`.
    public static func seconds(_ value: Double) -> String {
        value == value.rounded() ? fixed(value, 0) + " s" : fixed(value, 1) + " s"
    }

    /// A count: whole numbers without decimals.
    public static func count(_ value: Double) -> String {
        fixed(value, value == value.rounded() ? 0 : 1)
    }

    /// A positive magnitude that may be huge: whole below a million (`31000`), else `3.1e7`.
    public static func magnitude(_ value: Double) -> String {
        guard value.isFinite else { return "∞" }
        if value < 1_000_000 { return fixed(value, value < 10 ? 1 : 0) }
        var mantissa = value
        var exponent = 0
        while mantissa >= 9.95 {
            mantissa /= 10
            exponent += 1
        }
        return fixed(mantissa, 1) + "e\(exponent)"
    }
}
