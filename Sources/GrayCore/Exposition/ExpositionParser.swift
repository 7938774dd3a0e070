/// Parser for the Prometheus text exposition format, version 0.0.4.
///
/// Accepts what Prometheus's own `expfmt.TextParser` accepts: `# HELP` and `# TYPE` lines (other
/// comments are skipped), label escapes `\\`, `\"` and `\n`, a trailing comma in a label set,
/// `NaN`/`+Inf`/`-Inf` values, optional integer timestamps, blank lines and CRLF line ends.
/// Histogram `_bucket` samples must carry a float `le` label and summary quantile samples a float
/// `quantile` label. Bad input throws an ``ExpositionError`` naming line and column; the parser
/// only ever moves forward, so it cannot loop.
///
/// Speed matters (a scrape is parsed every observation; replay parses thousands): the parser works
/// on UTF-8 bytes and reuses the `String`s of names and labels that repeat from the previous sample.
public struct ExpositionParser {
    /// Parses `text` into samples and metadata.
    public static func parse(_ text: String) throws(ExpositionError) -> Exposition {
        var text = text
        let outcome = text.withUTF8 { bytes in
            Result { () throws(ExpositionError) in try parse(bytes: bytes) }
        }
        return try outcome.get()
    }

    /// Parses raw UTF-8 bytes into samples and metadata.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(ExpositionError) -> Exposition {
        var parser = ByteParser(bytes)
        try parser.run()
        return parser.result
    }
}

/// The byte-level state of one parse.
private struct ByteParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var line = 1
    var lineStart = 0
    var result = Exposition()
    var familiesWithSamples = Set<String>()

    // Reuse caches: the previous sample's name and labels, by raw byte range.
    var previousName: (range: Range<Int>, name: String, type: MetricType?, part: SamplePart)?
    var previousLabelCount = 0
    var previousLabelNames: [(range: Range<Int>, name: String)] = []
    var previousLabelValues: [(range: Range<Int>, value: String)] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: Lines

    mutating func run() throws(ExpositionError) {
        while position < bytes.count {
            skipBlanks()
            guard position < bytes.count else { break }
            switch bytes[position] {
            case .newline:
                nextLine()
            case .carriageReturn where peek(1) == .newline:
                position += 1
                nextLine()
            case .hash:
                try parseComment()
            default:
                try parseSample()
            }
        }
    }

    mutating func nextLine() {
        position += 1
        line += 1
        lineStart = position
    }

    /// Requires the end of the line (after optional blanks) and moves past it.
    mutating func expectEndOfLine(after what: String) throws(ExpositionError) {
        skipBlanks()
        if position < bytes.count, atEndOfLine {
            consumeEndOfLine()
            return
        }
        throw .unexpected(expected: "a line end after \(what)", found: describeCurrent(), at: here)
    }

    var atEndOfLine: Bool {
        guard position < bytes.count else { return true }
        let byte = bytes[position]
        return byte == .newline || (byte == .carriageReturn && peek(1) == .newline)
    }

    mutating func consumeEndOfLine() {
        guard position < bytes.count else { return }
        if bytes[position] == .carriageReturn { position += 1 }
        nextLine()
    }

    mutating func skipToEndOfLine() {
        while position < bytes.count, bytes[position] != .newline { position += 1 }
        if position < bytes.count { nextLine() }
    }

    // MARK: Comments

    mutating func parseComment() throws(ExpositionError) {
        position += 1
        skipBlanks()
        let keywordStart = position
        while position < bytes.count, !bytes[position].isBlankOrLineEnd { position += 1 }
        let keyword = String(decoding: UnsafeBufferPointer(rebasing: bytes[keywordStart..<position]), as: UTF8.self)
        guard keyword == "HELP" || keyword == "TYPE", position < bytes.count, bytes[position].isBlank else {
            skipToEndOfLine()
            return
        }
        skipBlanks()
        let nameStart = position
        if atEndOfLine {
            skipToEndOfLine()
            return
        }
        guard let nameRange = scanMetricName() else {
            throw .unexpected(expected: "a metric name after # \(keyword)", found: describeCurrent(), at: here)
        }
        let name = string(nameRange)
        skipBlanks()
        if atEndOfLine {
            // "# HELP name" or "# TYPE name" with nothing after it is an ordinary comment.
            skipToEndOfLine()
            return
        }
        if keyword == "HELP" {
            guard position > nameRange.upperBound else {
                throw .unexpected(expected: "a blank after the metric name", found: describeCurrent(), at: here)
            }
            let docstring = try readDocstring()
            guard result.help[name] == nil else {
                throw .duplicateMetadata(keyword: keyword, metric: name, at: position(of: nameStart))
            }
            result.help[name] = docstring
            try expectEndOfLine(after: "the docstring")
        } else {
            guard position > nameRange.upperBound else {
                throw .unexpected(expected: "a metric type after the metric name", found: describeCurrent(), at: here)
            }
            let typeStart = position
            while position < bytes.count, !bytes[position].isBlankOrLineEnd { position += 1 }
            let typeText = string(typeStart..<position)
            guard let type = MetricType(rawValue: typeText) else {
                throw .unknownType(typeText, at: position(of: typeStart))
            }
            guard result.types[name] == nil else {
                throw .duplicateMetadata(keyword: keyword, metric: name, at: position(of: nameStart))
            }
            guard !familiesWithSamples.contains(name) else {
                throw .typeAfterSamples(metric: name, at: position(of: nameStart))
            }
            result.types[name] = type
            previousName = nil
            try expectEndOfLine(after: "the metric type")
        }
    }

    /// Reads a HELP docstring to the end of the line, decoding `\\` and `\n`.
    mutating func readDocstring() throws(ExpositionError) -> String {
        var decoded: [UInt8] = []
        let start = position
        var escaped = false
        while !atEndOfLine {
            let byte = bytes[position]
            if byte == .backslash {
                escaped = true
                guard position + 1 < bytes.count else {
                    throw .invalidEscape("\\", at: here)
                }
                switch bytes[position + 1] {
                case .backslash: decoded.append(.backslash)
                case UInt8(ascii: "n"): decoded.append(.newline)
                default:
                    throw .invalidEscape("\\" + string(position + 1..<position + 2), at: here)
                }
                position += 2
            } else {
                decoded.append(byte)
                position += 1
            }
        }
        let raw = escaped ? decoded : Array(bytes[start..<position])
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw .invalidUTF8(at: position(of: start))
        }
        return text
    }

    // MARK: Samples

    mutating func parseSample() throws(ExpositionError) {
        let start = here
        guard let nameRange = scanMetricName() else {
            throw .unexpected(expected: "a metric name or '#'", found: describeCurrent(), at: here)
        }
        let (name, type, part) = resolveName(nameRange)
        skipBlanks()
        var labels: [Label] = []
        if position < bytes.count, bytes[position] == .openBrace {
            labels = try parseLabels()
            skipBlanks()
        } else if position < bytes.count, !bytes[position].isBlank, position == nameRange.upperBound, !atEndOfLine {
            throw .unexpected(expected: "'{' or a blank after the metric name", found: describeCurrent(), at: here)
        }
        let value = try readValue()
        var timestamp: Int64?
        if position < bytes.count, bytes[position].isBlank {
            skipBlanks()
            if !atEndOfLine {
                timestamp = try readTimestamp()
            }
        }
        try expectEndOfLine(after: timestamp == nil ? "the sample value" : "the timestamp")
        try checkFamilyRules(name: name, type: type, part: part, labels: labels, value: value, at: start)
        result.samples.append(Sample(name: name, labels: labels, value: value, timestampMilliseconds: timestamp))
    }

    /// Returns the metric name, its family's type and which part of the family (the base name for
    /// histogram and summary parts) the sample is. Records that the family has samples.
    mutating func resolveName(_ range: Range<Int>) -> (String, MetricType?, SamplePart) {
        if let previous = previousName, sameBytes(previous.range, range) {
            previousName?.range = range
            return (previous.name, previous.type, previous.part)
        }
        let name = string(range)
        var family = name
        var type = result.types[name]
        var part = SamplePart.value
        if type == nil {
            for (suffix, suffixPart) in [("_bucket", SamplePart.bucket), ("_sum", .sum), ("_count", .count)]
            where name.hasSuffix(suffix) {
                let base = String(name.dropLast(suffix.count))
                if let baseType = result.types[base],
                    baseType == .histogram || (baseType == .summary && suffixPart != .bucket)
                {
                    family = base
                    type = baseType
                    part = suffixPart
                }
            }
        }
        familiesWithSamples.insert(family)
        previousName = (range, name, type, part)
        return (name, type, part)
    }

    /// Histogram buckets need a float `le` and, like counts, may not be negative; summary quantiles need a
    /// float `quantile`.
    func checkFamilyRules(
        name: String, type: MetricType?, part: SamplePart, labels: [Label], value: Double, at start: TextPosition
    ) throws(ExpositionError) {
        if type == .histogram, value < 0, part == .bucket || part == .count {
            throw .negativeCount(metric: name, at: start)
        }
        let required: String
        switch (type, part) {
        case (.histogram, .bucket): required = "le"
        case (.summary, .value): required = "quantile"
        default: return
        }
        guard let bound = labels.first(where: { $0.name == required }) else {
            throw .missingLabel(label: required, metric: name, at: start)
        }
        guard NumberScanner.double(bound.value) != nil else {
            throw .invalidBound(label: required, value: bound.value, at: start)
        }
    }

    mutating func parseLabels() throws(ExpositionError) -> [Label] {
        position += 1  // '{'
        var labels: [Label] = []
        labels.reserveCapacity(previousLabelCount)
        var index = 0
        while true {
            skipBlanks()
            guard position < bytes.count else {
                throw .unexpected(expected: "a label name or '}'", found: "end of input", at: here)
            }
            if bytes[position] == .closeBrace {
                position += 1
                previousLabelCount = labels.count
                return labels
            }
            let nameStart = position
            guard let nameRange = scanLabelName() else {
                throw .unexpected(expected: "a label name or '}'", found: describeCurrent(), at: here)
            }
            let name = labelName(nameRange, index: index)
            if name == "__name__" { throw .reservedLabel(name, at: position(of: nameStart)) }
            skipBlanks()
            try expect(.equals, "'=' after label name \"\(name)\"")
            skipBlanks()
            try expect(.quote, "'\"' to open the value of label \"\(name)\"")
            let value = try readLabelValue(index: index)
            for existing in labels where existing.name == name {
                throw .duplicateLabel(name, at: position(of: nameStart))
            }
            labels.append(Label(name, value))
            index += 1
            skipBlanks()
            guard position < bytes.count else {
                throw .unexpected(expected: "',' or '}'", found: "end of input", at: here)
            }
            switch bytes[position] {
            case .comma: position += 1
            case .closeBrace: continue
            default: throw .unexpected(expected: "',' or '}' after a label", found: describeCurrent(), at: here)
            }
        }
    }

    mutating func labelName(_ range: Range<Int>, index: Int) -> String {
        if index < previousLabelNames.count, sameBytes(previousLabelNames[index].range, range) {
            let name = previousLabelNames[index].name
            previousLabelNames[index].range = range
            return name
        }
        let name = string(range)
        if index < previousLabelNames.count {
            previousLabelNames[index] = (range, name)
        } else {
            previousLabelNames.append((range, name))
        }
        return name
    }

    /// Reads a quoted label value (the opening quote is consumed), decoding escapes.
    mutating func readLabelValue(index: Int) throws(ExpositionError) -> String {
        let start = position
        var hasEscape = false
        while true {
            guard position < bytes.count, bytes[position] != .newline else {
                throw .unexpected(expected: "'\"' to close the label value", found: describeCurrent(), at: here)
            }
            let byte = bytes[position]
            if byte == .quote { break }
            if byte == .backslash {
                hasEscape = true
                guard position + 1 < bytes.count else {
                    throw .invalidEscape("\\", at: here)
                }
                switch bytes[position + 1] {
                case .backslash, .quote, UInt8(ascii: "n"): position += 2
                default: throw .invalidEscape("\\" + string(position + 1..<position + 2), at: here)
                }
                continue
            }
            position += 1
        }
        let range = start..<position
        position += 1  // closing quote
        if index < previousLabelValues.count, sameBytes(previousLabelValues[index].range, range) {
            previousLabelValues[index].range = range
            return previousLabelValues[index].value
        }
        let value = try decodeLabelValue(range, hasEscape: hasEscape)
        if index < previousLabelValues.count {
            previousLabelValues[index] = (range, value)
        } else {
            previousLabelValues.append((range, value))
        }
        return value
    }

    func decodeLabelValue(_ range: Range<Int>, hasEscape: Bool) throws(ExpositionError) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[range])
        let decoded: String?
        if hasEscape {
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var index = 0
            while index < raw.count {
                if raw[index] == .backslash {
                    out.append(raw[index + 1] == UInt8(ascii: "n") ? .newline : raw[index + 1])
                    index += 2
                } else {
                    out.append(raw[index])
                    index += 1
                }
            }
            decoded = String(validating: out, as: UTF8.self)
        } else if raw.allSatisfy({ $0 < 0x80 }) {
            decoded = String(decoding: raw, as: UTF8.self)
        } else {
            decoded = String(validating: raw, as: UTF8.self)
        }
        guard let decoded else { throw .invalidUTF8(at: position(of: range.lowerBound)) }
        return decoded
    }

    mutating func readValue() throws(ExpositionError) -> Double {
        let start = position
        while position < bytes.count, !bytes[position].isBlankOrLineEnd { position += 1 }
        guard position > start else {
            throw .unexpected(expected: "a sample value", found: describeCurrent(), at: here)
        }
        let token = UnsafeBufferPointer(rebasing: bytes[start..<position])
        guard let value = NumberScanner.double(token) else {
            throw .invalidValue(string(start..<position), at: position(of: start))
        }
        return value
    }

    mutating func readTimestamp() throws(ExpositionError) -> Int64 {
        let start = position
        while position < bytes.count, !bytes[position].isBlankOrLineEnd { position += 1 }
        let text = string(start..<position)
        guard let timestamp = Int64(text) else {
            throw .invalidTimestamp(text, at: position(of: start))
        }
        return timestamp
    }

    // MARK: Tokens

    /// Scans `[a-zA-Z_:][a-zA-Z0-9_:]*`; returns nil (without moving) when none starts here.
    mutating func scanMetricName() -> Range<Int>? {
        let start = position
        guard position < bytes.count, bytes[position].isMetricNameStart else { return nil }
        position += 1
        while position < bytes.count, bytes[position].isMetricNameStart || bytes[position].isDigit {
            position += 1
        }
        return start..<position
    }

    /// Scans `[a-zA-Z_][a-zA-Z0-9_]*`; returns nil (without moving) when none starts here.
    mutating func scanLabelName() -> Range<Int>? {
        let start = position
        guard position < bytes.count, bytes[position].isLabelNameStart else { return nil }
        position += 1
        while position < bytes.count, bytes[position].isLabelNameStart || bytes[position].isDigit {
            position += 1
        }
        return start..<position
    }

    mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(ExpositionError) {
        guard position < bytes.count, bytes[position] == byte else {
            throw .unexpected(expected: what(), found: describeCurrent(), at: here)
        }
        position += 1
    }

    mutating func skipBlanks() {
        while position < bytes.count, bytes[position].isBlank { position += 1 }
    }

    func peek(_ offset: Int) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    func sameBytes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        guard let base = bytes.baseAddress else { return true }
        return memcmpBytes(base + a.lowerBound, base + b.lowerBound, a.count)
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    var here: TextPosition { position(of: position) }

    func position(of offset: Int) -> TextPosition {
        // The line of `offset` is the current line when offset >= lineStart (errors are raised on the line
        // being parsed).
        TextPosition(line: line, column: offset - lineStart + 1)
    }

    func describeCurrent() -> String {
        guard position < bytes.count else { return "end of input" }
        let byte = bytes[position]
        if byte == .newline || (byte == .carriageReturn && peek(1) == .newline) { return "end of line" }
        if byte < 0x20 || byte >= 0x7F { return "byte 0x" + String(byte, radix: 16, uppercase: true) }
        return "'" + String(UnicodeScalar(byte)) + "'"
    }
}

/// Which part of its family a sample is: the plain value, or a histogram/summary `_bucket`, `_sum`, `_count`.
private enum SamplePart {
    case value, bucket, sum, count
}

/// Compares `count` bytes at two addresses.
private func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var index = 0
    while index < count {
        if a[index] != b[index] { return false }
        index += 1
    }
    return true
}

extension UInt8 {
    fileprivate static let newline = UInt8(ascii: "\n")
    fileprivate static let carriageReturn = UInt8(ascii: "\r")
    fileprivate static let hash = UInt8(ascii: "#")
    fileprivate static let openBrace = UInt8(ascii: "{")
    fileprivate static let closeBrace = UInt8(ascii: "}")
    fileprivate static let equals = UInt8(ascii: "=")
    fileprivate static let quote = UInt8(ascii: "\"")
    fileprivate static let comma = UInt8(ascii: ",")
    fileprivate static let backslash = UInt8(ascii: "\\")

    fileprivate var isBlank: Bool { self == 0x20 || self == 0x09 }
    fileprivate var isBlankOrLineEnd: Bool { isBlank || self == .newline || self == .carriageReturn }
    fileprivate var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    fileprivate var isLabelNameStart: Bool {
        (self >= 0x61 && self <= 0x7A) || (self >= 0x41 && self <= 0x5A) || self == 0x5F
    }
    fileprivate var isMetricNameStart: Bool { isLabelNameStart || self == 0x3A }
}
