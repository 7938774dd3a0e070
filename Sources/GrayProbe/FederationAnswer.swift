import GrayCore

/// What Prometheus's `/federate` endpoint answers, read line by line: the newest sample of every
/// series its `match[]` selects, in the text exposition format, each with the sample's own time.
///
/// Contract: `# TYPE`/`# HELP` comments and blank lines are skipped; every other line must be
/// `name{label="value",…} value timestamp` as Prometheus writes it (names in the classic character
/// set, label values with `\\`, `\"` and `\n` escapes, a value `Double` can read, an integer time in
/// milliseconds within ±10^15, about 31,000 years) and end with a newline. A line that is not — a cut
/// answer's last one among them — is an error naming its number, never a series. (An answer cut
/// exactly after a newline cannot be told from a whole one here: Prometheus streams it chunked, and
/// curl fails a chunked transfer that ends without its last chunk.) An empty `instance` label, which
/// federation writes on series that have none, is no instance. Each series
/// keeps its line without the time — the exposition line a scrape of the instance would have given
/// — and its `instance` label, unescaped. Nothing here reads a clock.
struct FederationAnswer {
    /// One series: its exposition line (newline included, no time), its `instance` label, whether it
    /// is `up` at 0, and its sample's time in milliseconds.
    struct Item {
        var line: String
        var instance: String?
        var isDown: Bool
        var sampled: Int64
    }

    /// Why a line is not a federated series, with the line's number (from 1).
    struct LineError: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    private(set) var items: [Item] = []

    /// Reads every line of `text`.
    init(_ text: String) throws(LineError) {
        var text = text
        let result: Result<[Item], LineError> = text.withUTF8 { bytes in
            var items: [Item] = []
            var number = 0
            var start = 0
            while start < bytes.count {
                number += 1
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                guard end < bytes.count else {
                    // Prometheus ends every line with a newline: a last line without one was cut short.
                    return .failure(LineError(line: number, reason: "cut short (the answer ends inside a line)"))
                }
                var last = end
                if last > start, bytes[last - 1] == 0x0D { last -= 1 }
                if last > start, bytes[start] != UInt8(ascii: "#") {
                    do throws(LineError) {
                        items.append(try Self.item(bytes, start, last, number))
                    } catch {
                        return .failure(error)
                    }
                }
                start = end + 1
            }
            return .success(items)
        }
        items = try result.get()
    }

    private static func item(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ number: Int) throws(LineError) -> Item {
        func fail(_ reason: String) -> LineError { LineError(line: number, reason: reason) }
        var index = start
        while index < end, isNameByte(bytes[index], first: index == start) { index += 1 }
        guard index > start else { throw fail("no metric name") }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        var instance: String?
        if index < end, bytes[index] == UInt8(ascii: "{") {
            index += 1
            while index < end, bytes[index] != UInt8(ascii: "}") {
                let labelStart = index
                while index < end, isNameByte(bytes[index], first: index == labelStart) { index += 1 }
                guard index > labelStart, index + 1 < end, bytes[index] == UInt8(ascii: "="), bytes[index + 1] == UInt8(ascii: "\"") else {
                    throw fail("series \(name): a label that is not name=\"value\"")
                }
                let isInstance = index - labelStart == 8 && String(decoding: UnsafeBufferPointer(rebasing: bytes[labelStart..<index]), as: UTF8.self) == "instance"
                index += 2
                var value: [UInt8] = []
                var closed = false
                while index < end {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    }
                    guard byte == UInt8(ascii: "\\") else {
                        if isInstance { value.append(byte) }
                        continue
                    }
                    guard index < end else { break }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""): if isInstance { value.append(escaped) }
                    case UInt8(ascii: "n"): if isInstance { value.append(0x0A) }
                    default: throw fail("series \(name): an unknown escape \\\(Character(UnicodeScalar(escaped))) in a label value")
                    }
                }
                guard closed else { throw fail("series \(name): a label value without its closing quote") }
                // Federation writes `instance=""` on series that have none: that is no instance.
                if isInstance, !value.isEmpty { instance = String(decoding: value, as: UTF8.self) }
                if index < end, bytes[index] == UInt8(ascii: ",") { index += 1 }
            }
            guard index < end else { throw fail("series \(name): labels without their closing brace") }
            index += 1
        }
        guard index < end, bytes[index] == UInt8(ascii: " ") else { throw fail("series \(name): no value") }
        let valueStart = index + 1
        var valueEnd = valueStart
        while valueEnd < end, bytes[valueEnd] != UInt8(ascii: " ") { valueEnd += 1 }
        let valueText = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
        guard let value = Double(valueText) else { throw fail("series \(name): the value \"\(valueText.prefix(40))\" is not a number") }
        guard valueEnd < end, let sampled = Int64(String(decoding: UnsafeBufferPointer(rebasing: bytes[(valueEnd + 1)..<end]), as: UTF8.self)) else {
            throw fail("series \(name): no sample time in milliseconds after the value")
        }
        // A range, not abs(): abs(Int64.min) traps.
        guard (-999_999_999_999_999...999_999_999_999_999).contains(sampled) else { throw fail("series \(name): the sample time \(sampled) ms is not a time") }
        let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<valueEnd]), as: UTF8.self) + "\n"
        return Item(line: line, instance: instance, isDown: name == "up" && value == 0, sampled: sampled)
    }

    /// A byte of a Prometheus metric or label name in the classic character set (no digit first).
    private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "_"), UInt8(ascii: ":"), 0x41...0x5A, 0x61...0x7A: true
        case 0x30...0x39: !first
        default: false
        }
    }
}
