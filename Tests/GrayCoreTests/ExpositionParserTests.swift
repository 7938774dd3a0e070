import GrayCore
import Testing

@Suite("Prometheus text exposition parser")
struct ExpositionParserTests {
    @Test("counters, gauges, docstrings, whitespace and escapes (Prometheus scenario 2)")
    func scenarioTwo() throws {
        let exposition = try ExpositionParser.parse(Fixtures.text("exposition/go-scenario-2.prom"))
        #expect(exposition.types == ["name": .counter, "name2": .gauge])
        #expect(exposition.help == ["name": "two-line\n doc  str\\ing", "name2": "doc str\"ing 2"])
        #expect(exposition.samples.count == 4)
        #expect(exposition.samples[0].value.isNaN)
        #expect(exposition.samples[0].labels == [Label("labelname", "val1"), Label("basename", "basevalue")])
        #expect(exposition.samples[1] == Sample(
            name: "name", labels: [Label("labelname", "val2"), Label("basename", "base\"v\\al\nue")],
            value: 0.23, timestampMilliseconds: 1_234_567_890))
        #expect(exposition.samples[2] == Sample(
            name: "name2", labels: [Label("labelname", "val2"), Label("basename", "basevalue2")],
            value: .infinity, timestampMilliseconds: 54321))
        #expect(exposition.samples[3] == Sample(name: "name2", labels: [Label("labelname", "val1")], value: -.infinity))
    }

    @Test("summaries mixed with other families and odd comments (Prometheus scenario 3)")
    func scenarioThree() throws {
        let exposition = try ExpositionParser.parse(Fixtures.text("exposition/go-scenario-3-summary.prom"))
        #expect(exposition.types == ["my_summary": .summary, "another_summary": .summary])
        #expect(exposition.samples.count == 12)
        #expect(exposition.samples[1] == Sample(name: "decoy", value: -1, timestampMilliseconds: -2))
        #expect(exposition.samples[9].value == 8)
        #expect(exposition.samples[11].label("quantile") == "-12.34")
        #expect(exposition.samples[11].value.isNaN)
    }

    @Test("a histogram with CRLF line ends")
    func histogramCRLF() throws {
        let exposition = try ExpositionParser.parse(Fixtures.text("exposition/histogram-crlf.prom"))
        #expect(exposition.types["grpc_server_handling_seconds"] == .histogram)
        #expect(exposition.samples.map(\.value) == [1, 3, 4, 0.0421, 4])
        #expect(exposition.samples[2].label("le") == "+Inf")
        #expect(exposition.samples[4].label("grpc_method") == "CreateOrder")
    }

    @Test("minimal forms: empty input, blank lines, empty label set, timestamps")
    func minimal() throws {
        #expect(try ExpositionParser.parse("").samples.isEmpty)
        #expect(try ExpositionParser.parse("\n\n").samples.isEmpty)
        let exposition = try ExpositionParser.parse(
            "\nminimal_metric 1.234\nanother_metric -3e3 103948\n# Even that:\nno_labels{} 3\n# HELP line for non-existing metric will be ignored.\n")
        #expect(exposition.samples == [
            Sample(name: "minimal_metric", value: 1.234),
            Sample(name: "another_metric", value: -3000, timestampMilliseconds: 103_948),
            Sample(name: "no_labels", value: 3),
        ])
    }

    @Test("float spellings", arguments: [
        ("1", 1.0), ("-0.5", -0.5), ("2.5e-3", 0.0025), ("1E3", 1000), (".5", 0.5), ("+Inf", Double.infinity),
        ("-Inf", -Double.infinity), ("Inf", Double.infinity), ("08", 8), ("1.7560473e+06", 1_756_047.3),
        ("3.14e+42", 3.14e42), ("12345678901234567890", 12_345_678_901_234_567_890.0),
        ("0.1", 0.1), ("123.456", 123.456), ("1e-30", 1e-30),
    ])
    func floats(text: String, expected: Double) throws {
        let exposition = try ExpositionParser.parse("m \(text)\n")
        #expect(exposition.samples.first?.value == expected)
    }

    @Test("NaN parses as NaN")
    func nan() throws {
        #expect(try ExpositionParser.parse("m NaN\n").samples[0].value.isNaN)
    }

    @Test("bad input names line, column and what was expected", arguments: [
        ("\nbla 3.14\nblubber 42", "line 3, column 11: expected a line end after the sample value, found end of input"),
        ("metric{label=\"\\t\"} 3.14\n", "line 1, column 15: invalid escape \"\\t\" (allowed: \\\\, \\\", \\n)"),
        ("\nmetric{label=\"new\nline\"} 3.14\n",
         "line 2, column 18: expected '\"' to close the label value, found end of line"),
        ("metric{@=\"bla\"} 3.14\n", "line 1, column 8: expected a label name or '}', found '@'"),
        ("metric{__name__=\"bla\"} 3.14\n", "line 1, column 8: label name \"__name__\" is reserved"),
        ("metric{label+=\"bla\"} 3.14\n", "line 1, column 13: expected '=' after label name \"label\", found '+'"),
        ("metric{label=bla} 3.14\n", "line 1, column 14: expected '\"' to open the value of label \"label\", found 'b'"),
        ("\n# TYPE metric summary\nmetric{quantile=\"bla\"} 3.14\n",
         "line 3, column 1: expected a float as value of label \"quantile\", found \"bla\""),
        ("metric{label=\"bla\"+} 3.14\n", "line 1, column 19: expected ',' or '}' after a label, found '+'"),
        ("metric{label=\"bla\"} 3.14 2.72\n",
         "line 1, column 26: expected an integer timestamp in milliseconds, found \"2.72\""),
        ("metric{label=\"bla\"} 3.14 2 3\n", "line 1, column 28: expected a line end after the timestamp, found '3'"),
        ("metric{label=\"bla\"} blubb\n",
         "line 1, column 21: expected a float as sample value (e.g. 1, 2.5e-3, NaN, +Inf), found \"blubb\""),
        ("\n# HELP metric one\n# HELP metric two\n", "line 3, column 8: second # HELP line for metric \"metric\""),
        ("\n# TYPE metric counter\n# TYPE metric untyped\n", "line 3, column 8: second # TYPE line for metric \"metric\""),
        ("\nmetric 4.12\n# TYPE metric counter\n", "line 3, column 8: # TYPE line for \"metric\" after its samples"),
        ("\n# TYPE metric bla\n",
         "line 2, column 15: unknown metric type \"bla\" (expected counter, gauge, histogram, summary or untyped)"),
        ("\n# TYPE met-ric\n", "line 2, column 11: expected a metric type after the metric name, found '-'"),
        ("@invalidmetric{label=\"bla\"} 3.14 2\n", "line 1, column 1: expected a metric name or '#', found '@'"),
        ("{label=\"bla\"} 3.14 2\n", "line 1, column 1: expected a metric name or '#', found '{'"),
        ("\n# TYPE metric histogram\nmetric_bucket{le=\"bla\"} 3.14\n",
         "line 3, column 1: expected a float as value of label \"le\", found \"bla\""),
        ("\n# TYPE metric histogram\nmetric_bucket{x=\"1\"} 3.14\n",
         "line 3, column 1: sample of \"metric_bucket\" lacks the \"le\" label"),
        ("metric{l=\"\u{FFFD}\"} 3.14\n", nil),
        ("foo 1_2\n", "line 1, column 5: expected a float as sample value (e.g. 1, 2.5e-3, NaN, +Inf), found \"1_2\""),
        ("foo 0x1p-3\n",
         "line 1, column 5: expected a float as sample value (e.g. 1, 2.5e-3, NaN, +Inf), found \"0x1p-3\""),
        ("foo 0B1\n", "line 1, column 5: expected a float as sample value (e.g. 1, 2.5e-3, NaN, +Inf), found \"0B1\""),
        ("foo 0o1\n", "line 1, column 5: expected a float as sample value (e.g. 1, 2.5e-3, NaN, +Inf), found \"0o1\""),
        ("\n# TYPE metric histogram\nmetric_bucket{le=\"0x1p-3\"} 3.14\n",
         "line 3, column 1: expected a float as value of label \"le\", found \"0x1p-3\""),
        ("metric{label=\"bla\",label=\"bla\"} 3.14\n", "line 1, column 20: label \"label\" appears twice in one sample"),
        ("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} -412.456\n",
         "line 3, column 1: negative count in histogram sample \"h_bucket\""),
        ("# TYPE h histogram\nh_count -2693\n", "line 2, column 1: negative count in histogram sample \"h_count\""),
        ("{} 3.14\n", "line 1, column 1: expected a metric name or '#', found '{'"),
        ("metric\n", "line 1, column 7: expected a sample value, found end of line"),
        ("metric{a=\"b\"", "line 1, column 13: expected ',' or '}', found end of input"),
        ("metric{a=\"b", "line 1, column 12: expected '\"' to close the label value, found end of input"),
    ] as [(String, String?)])
    func errors(input: String, message: String?) {
        do {
            _ = try ExpositionParser.parse(input)
            #expect(message == nil, "parsed without error")
        } catch {
            if let message {
                #expect(error.description == message)
            } else {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test("invalid UTF-8 in a label value is an error, not a replacement character")
    func invalidUTF8() throws {
        let bytes: [UInt8] = Array("metric{l=\"".utf8) + [0xBD] + Array("\"} 3.14\n".utf8)
        let error = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(ExpositionError) in try ExpositionParser.parse(bytes: buffer) }
        }
        #expect(throws: ExpositionError.invalidUTF8(at: TextPosition(line: 1, column: 11))) { try error.get() }
    }

    @Test("non-ASCII label values and escapes survive", arguments: [
        ("m{a=\"Björn\",b=\"佖佥\"} 1\n", ["Björn", "佖佥"]),
        ("m{a=\"val with\\nnew line\",b=\"val with \\\\backslash and \\\"quotes\\\"\"} 1\n",
         ["val with\nnew line", "val with \\backslash and \"quotes\""]),
    ])
    func labelValues(input: String, values: [String]) throws {
        #expect(try ExpositionParser.parse(input).samples[0].labels.map(\.value) == values)
    }

    @Test("repeated names and labels are reused without mixing up values")
    func reuseCache() throws {
        let exposition = try ExpositionParser.parse(Fixtures.text("exposition/grpc-server.prom"))
        let codes = exposition.samples.filter { $0.name == "grpc_server_handled_total" }.compactMap { $0.label("grpc_code") }
        #expect(codes == ["OK", "Unavailable", "InvalidArgument"])
        let bounds = exposition.samples.filter { $0.name.hasSuffix("_bucket") }.compactMap { $0.label("le") }
        #expect(bounds == ["0.005", "0.01", "0.025", "0.05", "0.1", "+Inf"])
        #expect(exposition.samples.last == Sample(name: "circuit_breaker_state", labels: [Label("name", "order-stream")], value: 0))
    }

    @Test("every byte-prefix of a valid exposition either parses or fails cleanly")
    func truncationNeverCrashes() throws {
        let text = try Fixtures.text("exposition/grpc-server.prom")
        let bytes = Array(text.utf8)
        for length in stride(from: 0, through: bytes.count, by: 7) {
            let prefix = Array(bytes[0..<length])
            _ = prefix.withUnsafeBufferPointer { buffer in
                Result { () throws(ExpositionError) in try ExpositionParser.parse(bytes: buffer) }
            }
        }
    }
}
