import GrayCore
import Testing

@Suite("Recording format: reader, writer, tolerance")
struct RecordingTests {
    static let header = #"{"grayrec":1,"started":"2026-11-25T12:00:00Z","service":"order-service","targets":{"canary":{"admin":"http://127.0.0.1:9192"}}}"#

    @Test("what the writer writes, the reader reads back")
    func roundTrip() throws {
        let breakers = try JSONParser.parse(#"{"breakers":[{"name":"order-stream","method":"/m","state":"half-open"}]}"#)
        let lines = [
            RecordLine(t: 0, entry: .metrics(.canary, body: "up 1\nx{a=\"b \\\"q\\\"\"} 2\n")),
            RecordLine(t: 0.25, entry: .metrics(.stable, body: "up 1 1000\n", age: 2.125)),
            RecordLine(t: 0.5, entry: .health(.canary, .notServing)),
            RecordLine(t: 0.5, entry: .health(.stable, .serving, latency: 0.0015)),
            RecordLine(t: 1, entry: .breakers(.canary, body: breakers)),
            RecordLine(t: 1, entry: .weight(10, generation: "7")),
            RecordLine(t: 2, entry: .error(.router, endpoint: "metrics", message: "timed out ☹")),
            RecordLine(t: 3, entry: .action(action: "rollback", weight: 0, by: "ana", reason: "operator")),
        ]
        let header = RecordingHeader(started: "2026-11-25T12:00:00Z", service: "order-service", targets: [.canary: ["admin": "http://127.0.0.1:9192"]])
        let text = RecordingWriter.headerLine(header) + lines.map(RecordingWriter.line).joined()
        let recording = try RecordingReader.read(text)
        #expect(recording.header == header)
        #expect(recording.lines == lines)
        #expect(recording.warnings.isEmpty)
        #expect(text.contains(#"{"t":0.5,"kind":"health","status":"NOT_SERVING","target":"canary"}"#))
        #expect(text.contains(#"{"t":0.25,"kind":"metrics","age_ms":2125,"body":"up 1 1000\n","target":"stable"}"#))
    }

    @Test("unknown kinds and fields are ignored; a truncated last line is dropped with a warning")
    func tolerance() throws {
        let text = Self.header + "\n"
            + #"{"t":0,"kind":"health","target":"canary","status":"SERVING","zone":"a"}"# + "\n"
            + #"{"t":1,"kind":"trace","span":"x"}"# + "\n"
            + #"{"t":2,"kind":"health","target":"canary","sta"#
        let recording = try RecordingReader.read(text)
        #expect(recording.lines == [RecordLine(t: 0, entry: .health(.canary, .serving))])
        #expect(recording.warnings.count == 2)
        #expect(recording.warnings[0].hasPrefix("line 4: truncated last line ignored"))
        #expect(recording.warnings[1] == "ignored 1 line of unknown kind \"trace\"")
    }

    @Test("bad lines name the line", arguments: [
        ("", "line 1: empty recording (expected a header line {\"grayrec\":1,...})"),
        ("{\"grayrec\":3}\n", "line 1: recording format version 3 is not one this grayctl reads (it reads 1 and 2)"),
        ("{\"grayrec\":1e400}\n", "line 1: recording format version inf is not one this grayctl reads (it reads 1 and 2)"),
        ("{\"grayrec\":1e19}\n", "line 1: recording format version 1e+19 is not one this grayctl reads (it reads 1 and 2)"),
        ("[1]\n", "line 1: not a grayctl recording header: expected a JSON object"),
        (header + "\n{\"t\":1,\"kind\":\"health\"}\n{\"t\":2}\n", "line 2: field \"status\": expected SERVING, NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN or UNREACHABLE"),
        (header + "\n{\"t\":1,\"kind\":\"metrics\",\"target\":\"canary\"}\n{}\n", "line 2: field \"body\": expected a string"),
        (header + "\n{\"t\":1,\"kind\":\"weight\",\"weight\":101}\n{}\n", "line 2: field \"weight\": expected an integer in 0...100"),
        (header + "\n{\"t\":1,\"kind\":\"metrics\",\"target\":\"canary\",\"body\":\"\",\"age_ms\":-1}\n{}\n", "line 2: field \"age_ms\": expected milliseconds the samples were old (a number ≥ 0)"),
        (header + "\n{\"t\":1,\"kind\":\"error\",\"target\":\"db\",\"endpoint\":\"x\",\"message\":\"y\"}\n{}\n", "line 2: field \"target\": expected \"stable\", \"canary\" or \"router\""),
        (header + "\n{\"t\":5,\"kind\":\"x\"}\n{\"t\":4,\"kind\":\"x\"}\n{}\n", "line 3: t 4.0 is earlier than the previous line's 5.0 (t must not decrease)"),
        (header + "\n{\"kind\":\"x\"}\n{}\n", "line 2: field \"t\": expected seconds since started (a number)"),
        (header + "\n{\"t\":1,\"kind\":\"x\",}\n{}\n", "line 2: not a JSON object: column 19: expected a member name in quotes, found '}'"),
    ])
    func errors(text: String, message: String) {
        #expect(throws: (any Error).self) { try RecordingReader.read(text) }
        do {
            _ = try RecordingReader.read(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("bodies that do not parse become failed observations, as they would live")
    func badBodies() throws {
        let badMetrics = RecordEntry.metrics(.canary, body: "up{ 1\n")
        #expect(badMetrics.observation() == .failed(.canary, endpoint: "metrics", message: "bad exposition: line 1, column 5: expected a label name or '}', found '1'"))
        let badBreakers = RecordEntry.breakers(.canary, body: try JSONParser.parse(#"{"breakers":[{"name":"x","state":"ajar"}]}"#))
        #expect(badBreakers.observation() == .failed(.canary, endpoint: "breakers", message: "bad breakers body: breakers[0].state: expected \"closed\", \"open\" or \"half-open\""))
    }
}

@Suite("JSON parser and writer")
struct JSONTests {
    @Test("values, escapes and surrogate pairs")
    func values() throws {
        let value = try JSONParser.parse(#" {"a":[1,-2.5e3,true,false,null],"s":"q\"\\\/\n\t\u00e9\ud83d\ude00"} "#)
        #expect(value["a"] == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        #expect(value["s"]?.string == "q\"\\/\n\té😀")
        #expect(JSONWriter.write(value) == #"{"a":[1,-2500,true,false,null],"s":"q\"\\/\n\té😀"}"#)
    }

    @Test("strings of raw UTF-8 are read; invalid UTF-8 is an error, escaped or not")
    func rawUTF8() throws {
        #expect(try JSONParser.parse(#"["é😀","a"]"#) == .array([.string("é😀"), .string("a")]))
        for invalid: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0x5C, 0x6E, 0xFF, 0x22]] {
            let outcome = invalid.withUnsafeBufferPointer { bytes in Result { () throws(JSONError) in try JSONParser.parse(bytes: bytes) } }
            #expect(throws: JSONError.self) { try outcome.get() }
        }
    }

    @Test("a reader pulls members and elements itself, in the text's order, leaving what it does not want")
    func pull() throws {
        var seen: [String] = []
        let total = try JSONParser.read(#" {"skip":{"x":[1,{}]},"n":[1,2.5],"s":"v"} "#) { parser throws(JSONError) -> Double in
            var sum = 0.0
            try parser.readObject { key, parser throws(JSONError) in
                seen.append(key)
                switch key {
                case "n": try parser.readArray { parser throws(JSONError) in sum += try parser.readNumber() }
                case "s": seen.append(try parser.readString())
                default: _ = try parser.readValue()
                }
            }
            return sum
        }
        #expect(total == 3.5)
        #expect(seen == ["skip", "n", "s", "v"])
    }

    @Test("a pulled value of another type, or text after the value, is an error at its place")
    func pullErrors() {
        #expect(throws: JSONError(expected: "a string", found: "'7'", position: TextPosition(line: 1, column: 6))) {
            try JSONParser.read(#"{"a":7}"#) { parser throws(JSONError) in
                try parser.readObject { _, parser throws(JSONError) in _ = try parser.readString() }
            }
        }
        #expect(throws: JSONError(expected: "end of input", found: "'2'", position: TextPosition(line: 1, column: 5))) {
            try JSONParser.read("[1] 2") { parser throws(JSONError) in
                try parser.readArray { parser throws(JSONError) in _ = try parser.readNumber() }
            }
        }
    }

    @Test("errors name line and column", arguments: [
        ("{\"a\":}", "line 1, column 6: expected a JSON value, found '}'"),
        ("[1,\n2,", "line 2, column 3: expected a JSON value, found end of input"),
        ("\"abc", "line 1, column 5: expected '\"' to close the string, found end of input"),
        ("01", "line 1, column 2: expected end of input, found '1'"),
        ("\"\\x\"", "line 1, column 3: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u, found 'x'"),
        ("tru", "line 1, column 1: expected true, found 't'"),
        (String(repeating: "[", count: 100), "line 1, column 65: expected nesting at most 64 deep, found '['"),
    ])
    func errors(text: String, message: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == message)
        }
    }
}
