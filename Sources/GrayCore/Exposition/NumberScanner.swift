/// Parses the float and integer tokens of the exposition format.
///
/// Plain decimals with at most 19 significant digits and a small exponent take an exact fast path
/// (the value is a product or quotient of two exactly representable doubles, so it is correctly
/// rounded); everything else (`NaN`, `Inf`, hex, long mantissas) goes to the standard library.
enum NumberScanner {
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses a float token such as `1`, `-2.5e-3`, `NaN`, `+Inf`; nil when it is not a float.
    static func double(_ token: UnsafeBufferPointer<UInt8>) -> Double? {
        if let fast = fastDecimal(token) { return fast }
        let text = String(decoding: token, as: UTF8.self)
        return slowDouble(text)
    }

    /// Parses a float held in a `String` (label values such as `le="0.25"`).
    static func double(_ text: String) -> Double? {
        var text = text
        if let fast = text.withUTF8({ fastDecimal($0) }) { return fast }
        return slowDouble(text)
    }

    /// Decimal forms the fast path declined, and the NaN/Inf spellings; hex floats, underscores and
    /// base prefixes are rejected as Prometheus's parser rejects them.
    private static func slowDouble(_ text: String) -> Double? {
        var unsigned = Substring(text)
        var negative = false
        if let first = unsigned.first, first == "+" || first == "-" {
            negative = first == "-"
            unsigned = unsigned.dropFirst()
        }
        switch unsigned.lowercased() {
        case "nan": return .nan
        case "inf", "infinity": return negative ? -.infinity : .infinity
        default: break
        }
        let decimalCharacters = Set("0123456789.eE+-")
        guard !unsigned.isEmpty, unsigned.allSatisfy({ decimalCharacters.contains($0) }),
            unsigned.first!.isNumber || unsigned.first == "."
        else { return nil }
        return Double(text)
    }

    private static func fastDecimal(_ token: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let count = token.count
        guard count > 0, count <= 40 else { return nil }
        var negative = false
        if token[0] == UInt8(ascii: "-") || token[0] == UInt8(ascii: "+") {
            negative = token[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while index < count, let digit = digitValue(token[index]) {
            sawDigit = true
            if digits < 19 {
                mantissa = mantissa * 10 + UInt64(digit)
                if mantissa != 0 { digits += 1 }
            } else {
                return nil
            }
            index += 1
        }
        if index < count, token[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, let digit = digitValue(token[index]) {
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(digit)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else {
                    return nil
                }
                index += 1
            }
        }
        guard sawDigit else { return nil }
        if index < count, token[index] == UInt8(ascii: "e") || token[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < count, token[index] == UInt8(ascii: "-") || token[index] == UInt8(ascii: "+") {
                exponentNegative = token[index] == UInt8(ascii: "-")
                index += 1
            }
            var value = 0
            var sawExponentDigit = false
            while index < count, let digit = digitValue(token[index]) {
                sawExponentDigit = true
                value = value * 10 + digit
                if value > 400 { return nil }
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard index == count, mantissa <= 1 << 53, abs(exponent) <= 22 else { return nil }
        var result = Double(mantissa)
        if exponent < 0 {
            result /= exactPowersOfTen[-exponent]
        } else {
            result *= exactPowersOfTen[exponent]
        }
        return negative ? -result : result
    }

    @inline(__always)
    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }
}
