/// A strict JSON (RFC 8259) parser over UTF-8 bytes, with positions in its errors.
///
/// Written for the recording format: one object a line, where most of the bytes are one long
/// string (a metrics exposition), so strings without escapes are sliced, not copied byte by byte.
/// Large answers of a known shape (a Prometheus vector) are read without building a tree: through
/// ``read(_:_:)``, a reader pulls each object's members and each array's elements itself
/// (``readObject(_:)``, ``readArray(_:)``) and takes the values it wants.
public struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses one JSON value that must fill `text` (surrounding whitespace allowed).
    public static func parse(_ text: String) throws(JSONError) -> JSONValue {
        try read(text) { parser throws(JSONError) in try parser.parseValue() }
    }

    /// Parses one JSON value that must fill `bytes`.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONValue {
        try read(bytes: bytes) { parser throws(JSONError) in try parser.parseValue() }
    }

    /// Runs `body` over a parser of `text`; `body` must read exactly one value, which must fill
    /// `text` (surrounding whitespace allowed).
    public static func read<Value>(_ text: String, _ body: (inout JSONParser) throws(JSONError) -> Value) throws(JSONError) -> Value {
        var text = text
        let outcome = text.withUTF8 { bytes in
            Result { () throws(JSONError) -> Value in try read(bytes: bytes, body) }
        }
        return try outcome.get()
    }

    private static func read<Value>(
        bytes: UnsafeBufferPointer<UInt8>, _ body: (inout JSONParser) throws(JSONError) -> Value
    ) throws(JSONError) -> Value {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try body(&parser)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("end of input") }
        return value
    }

    /// Reads an object, handing each member's name to `member`, which must read its value.
    public mutating func readObject(_ member: (String, inout JSONParser) throws(JSONError) -> Void) throws(JSONError) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { throw error("'{'") }
        depth += 1
        guard depth <= 64 else { throw error("nesting at most 64 deep") }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("a member name in quotes") }
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a member name")
            skipWhitespace()
            try member(key, &self)
            skipWhitespace()
            guard position < bytes.count else { throw error("',' or '}'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            depth -= 1
            return
        }
    }

    /// Reads an array, calling `element` for each element, which it must read.
    public mutating func readArray(_ element: (inout JSONParser) throws(JSONError) -> Void) throws(JSONError) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else { throw error("'['") }
        depth += 1
        guard depth <= 64 else { throw error("nesting at most 64 deep") }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard position < bytes.count else { throw error("',' or ']'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            depth -= 1
            return
        }
    }

    /// Reads a string.
    public mutating func readString() throws(JSONError) -> String {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("a string") }
        return try parseString()
    }

    /// Reads a number.
    public mutating func readNumber() throws(JSONError) -> Double {
        try parseNumber()
    }

    /// Reads any value as a tree.
    public mutating func readValue() throws(JSONError) -> JSONValue {
        try parseValue()
    }

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        guard position < bytes.count else { throw error("a JSON value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return .number(try parseNumber())
        }
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        var members: [String: JSONValue] = [:]
        try readObject { key, parser throws(JSONError) in members[key] = try parser.parseValue() }
        return .object(members)
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        var elements: [JSONValue] = []
        try readArray { parser throws(JSONError) in elements.append(try parser.parseValue()) }
        return .array(elements)
    }

    private mutating func parseString() throws(JSONError) -> String {
        position += 1
        let start = position
        var ascii = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                // ASCII needs no validation (most strings of an answer are names and numbers).
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    throw JSONError(expected: "valid UTF-8", found: "invalid bytes", position: where_(start))
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            if byte < 0x20 { throw error("'\"' or a character (control characters must be escaped)") }
            ascii = ascii && byte < 0x80
            position += 1
        }
        throw error("'\"' to close the string")
    }

    private mutating func parseEscapedString(from start: Int) throws(JSONError) -> String {
        var out = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw JSONError(expected: "valid UTF-8", found: "invalid bytes", position: where_(start))
                }
                return text
            case UInt8(ascii: "\\"):
                guard position + 1 < bytes.count else { throw error("an escape") }
                position += 1
                switch bytes[position] {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    position += 1
                    let scalar = try parseUnicodeEscape()
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    continue
                default:
                    throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u")
                }
                position += 1
            default:
                if byte < 0x20 { throw error("'\"' or a character (control characters must be escaped)") }
                // Copy the whole run up to the next quote, backslash or control byte at once.
                let runStart = position
                position += 1
                while position < bytes.count {
                    let next = bytes[position]
                    if next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") || next < 0x20 { break }
                    position += 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            }
        }
        throw error("'\"' to close the string")
    }

    /// Parses `XXXX` (after `\u`), and a following `\uXXXX` low surrogate when needed.
    private mutating func parseUnicodeEscape() throws(JSONError) -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800...0xDBFF).contains(high) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                throw error("a low surrogate \\uDC00-\\uDFFF")
            }
            position += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("a low surrogate \\uDC00-\\uDFFF") }
            let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            return Unicode.Scalar(value)!
        }
        guard let scalar = Unicode.Scalar(high) else { throw error("a Unicode scalar (lone surrogate)") }
        return scalar
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw error("4 hex digits") }
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("4 hex digits")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONError) -> Double {
        let start = position
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, bytes[position].isDigit else { throw error("a JSON value") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, bytes[position].isDigit { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, bytes[position].isDigit else { throw error("a digit after '.'") }
            while position < bytes.count, bytes[position].isDigit { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, bytes[position].isDigit else { throw error("a digit in the exponent") }
            while position < bytes.count, bytes[position].isDigit { position += 1 }
        }
        guard let value = NumberScanner.double(UnsafeBufferPointer(rebasing: bytes[start..<position])) else {
            throw JSONError(expected: "a number", found: "an unreadable number", position: where_(start))
        }
        return value
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("\(word)") }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] {
            throw error("\(word)")
        }
        position += count
        return value
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONError) {
        guard position < bytes.count, bytes[position] == byte else { throw error(what) }
        position += 1
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func error(_ expected: String) -> JSONError {
        let found: String
        if position >= bytes.count {
            found = "end of input"
        } else {
            let byte = bytes[position]
            found = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
        return JSONError(expected: expected, found: found, position: where_(position))
    }

    /// Line and column of a byte offset.
    private func where_(_ offset: Int) -> TextPosition {
        var line = 1
        var lineStart = 0
        var index = 0
        while index < offset, index < bytes.count {
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        return TextPosition(line: line, column: offset - lineStart + 1)
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= 0x30 && self <= 0x39 }
}
