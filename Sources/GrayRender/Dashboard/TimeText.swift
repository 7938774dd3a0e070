import GrayCore

/// Times as the dashboard prints them: ages, wall clocks and RFC 3339 stamps. Pure arithmetic, no
/// calendar or locale: the same text on every machine.
public enum TimeText {
    /// An age or duration: `12 s`, `2m10s`, `1h05m`.
    public static func age(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "n/a" }
        let value = max(0, seconds)
        guard value < 1e12 else { return Format.seconds(value) }
        if value < 10 { return Format.trimmed(value, digits: 1) + " s" }
        let whole = Int(value)
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60)m" + pad(whole % 60) + "s" }
        return "\(whole / 3600)h" + pad(whole % 3600 / 60) + "m"
    }

    /// The UTC wall clock of `epoch` (seconds since 1970): `17:03:42`.
    public static func clock(_ epoch: Double) -> String {
        guard epoch.isFinite, abs(epoch) < 1e15 else { return "--:--:--" }
        let day = (Int(epoch.rounded(.down)) % 86_400 + 86_400) % 86_400
        return pad(day / 3600) + ":" + pad(day % 3600 / 60) + ":" + pad(day % 60)
    }

    /// Seconds since 1970 of an RFC 3339 UTC stamp such as `2026-11-25T12:00:00Z` or
    /// `2026-11-25T12:00:00.250Z`; nil for anything else.
    public static func epoch(rfc3339 text: String) -> Double? {
        let characters = Array(text.utf8)
        guard characters.count >= 20, characters.last == UInt8(ascii: "Z") else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for index in from..<(from + count) {
                let digit = Int(characters[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), (1...12).contains(month)
        else { return nil }
        var fraction = 0.0
        if characters[19] == UInt8(ascii: "."), characters.count > 21 {
            var scale = 0.1
            for index in 20..<(characters.count - 1) {
                let digit = Int(characters[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                fraction += Double(digit) * scale
                scale /= 10
            }
        }
        return Double(daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second) + fraction
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
