import Foundation
import GrayCore
@testable import GrayProbe
import Testing

/// Prometheus's `/federate` answers are outside input: each line becomes the exposition line a
/// scrape would have given, with its instance and sample time, or an error naming the line.
@Suite("Prometheus federation answers decoded")
struct FederationAnswerTests {
    /// Prometheus's clock as its answer to `vector(time())` gives it: 101.5 s.
    static let clock = (text: #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[101.5,"101.5"]}]}}"#, status: 200)

    static let answer = """
        # TYPE grpc_server_handled_total untyped
        grpc_server_handled_total{grpc_code="OK",instance="a:1",job="x \\"q\\" \\\\ \\n"} 9 100250
        grpc_server_handled_total{grpc_code="OK",instance="b:2",job="x"} 4 90000
        # TYPE up untyped
        up{instance="a:1",job="x"} 1 101000
        up{instance="b:2",job="x"} 0 101400

        """

    @Test("each series as its exposition line without the time; each instance aged by its oldest sample at Prometheus's clock")
    func decodes() throws {
        let series = try PrometheusReader.decodeFederated((Self.answer, 200), clock: Self.clock, url: "u")
        #expect(series.map(\.line) == [
            #"grpc_server_handled_total{grpc_code="OK",instance="a:1",job="x \"q\" \\ \n"} 9"# + "\n",
            #"grpc_server_handled_total{grpc_code="OK",instance="b:2",job="x"} 4"# + "\n",
            #"up{instance="a:1",job="x"} 1"# + "\n",
            #"up{instance="b:2",job="x"} 0"# + "\n",
        ])
        #expect(series.map(\.instance) == ["a:1", "b:2", "a:1", "b:2"])
        #expect(series.map(\.ageMilliseconds) == [1250, 11_500, 1250, 11_500])
        #expect(series.map(\.isDown) == [false, false, false, true])
        let samples = try ExpositionParser.parse(series.map(\.line).joined()).samples
        #expect(samples.first?.value == 9 && samples.first?.label("job") == "x \"q\" \\ \n")
    }

    @Test("an instance label with escapes is unescaped; a series without one, or with instance=\"\" as federation writes it, has no instance; CRLF and NaN are read")
    func instanceLabel() throws {
        let text = "m{instance=\"a\\\"b\"} 1 101000\r\nm 2 101500\r\nm{instance=\"c\"} NaN 101500\r\nm{instance=\"d\"} +Inf 101500\nm{instance=\"\",job=\"j\"} 3 100000\n"
        let series = try PrometheusReader.decodeFederated((text, 200), clock: Self.clock, url: "u")
        #expect(series.map(\.instance) == ["a\"b", nil, "c", "d", nil])
        #expect(series.map(\.ageMilliseconds) == [500, 1500, 0, 0, 1500], "the series without an instance are aged together")
    }

    @Test("a sample stamped after the clock's reading is of age 0, never negative")
    func sampleAfterTheClock() throws {
        let series = try PrometheusReader.decodeFederated(("m{instance=\"a\"} 1 102000\n", 200), clock: Self.clock, url: "u")
        #expect(series.map(\.ageMilliseconds) == [0])
    }

    @Test("lines that are not federated series are errors naming the line, never exposition lines", arguments: [
        ("m{instance=\"a\"} 1\n", "line 1: series m: no sample time in milliseconds after the value"),
        ("m{instance=\"a\"} 1 1.5\n", "line 1: series m: no sample time in milliseconds after the value"),
        ("# TYPE m untyped\nm{instance=\"a 1 5\n", "line 2: series m: a label value without its closing quote"),
        ("m{instance=\"a\" 1 5\n", "line 1: series m: a label that is not name=\"value\""),
        ("m{instance=\"a\"\n", "line 1: series m: labels without their closing brace"),
        ("m{bad key=\"v\"} 1 5\n", "line 1: series m: a label that is not name=\"value\""),
        ("m{k=\"\\x\"} 1 5\n", "line 1: series m: an unknown escape \\x in a label value"),
        ("m{k=\"v\"} one 5\n", "line 1: series m: the value \"one\" is not a number"),
        ("9m 1 5\n", "line 1: no metric name"),
        ("<html>\n", "line 1: no metric name"),
        ("m 1 5", "line 1: cut short (the answer ends inside a line)"),
        ("m{k=\"v\"}\n", "line 1: series m: no value"),
        ("m{instance=\"a\"} 1 -9223372036854775808\n", "line 1: series m: the sample time -9223372036854775808 ms is not a time"),
        ("m{instance=\"a\"} 1 1000000000000000\n", "line 1: series m: the sample time 1000000000000000 ms is not a time"),
    ])
    func hostile(text: String, reason: String) {
        #expect(throws: ProbeError.badResponse(url: "u", reason: "not a Prometheus federation answer (\(reason))")) {
            try PrometheusReader.decodeFederated((text, 200), clock: Self.clock, url: "u")
        }
    }

    @Test("a cut answer is an error wherever it was cut, even inside a line's time", arguments: [60, 100, 124])
    func truncated(length: Int) {
        #expect(throws: ProbeError.badResponse(url: "u", reason: "not a Prometheus federation answer (line 2: cut short (the answer ends inside a line))")) {
            try PrometheusReader.decodeFederated((String(Self.answer.prefix(length)), 200), clock: Self.clock, url: "u")
        }
    }

    @Test("Prometheus's refusals say so: a bad selector in its own words, a server without /federate named, others as HTTP errors")
    func refusals() {
        #expect(throws: ProbeError.badResponse(url: "u", reason: "Prometheus refused the selector (HTTP 400): 1:2: parse error: unexpected \"(\"")) {
            try PrometheusReader.decodeFederated(("1:2: parse error: unexpected \"(\"\n", 400), clock: Self.clock, url: "u")
        }
        #expect(throws: ProbeError.badResponse(url: "u", reason: "no /federate endpoint here (HTTP 404): check that prometheus.url includes the server's route prefix, or, for a server without /federate (Thanos, Mimir, Cortex), set prometheus.api: query")) {
            try PrometheusReader.decodeFederated(("404 page not found", 404), clock: Self.clock, url: "u")
        }
        #expect(throws: ProbeError.httpStatus(url: "u", status: 502, body: "<html>bad gateway</html>")) {
            try PrometheusReader.decodeFederated(("<html>bad gateway</html>", 502), clock: Self.clock, url: "u")
        }
    }

    @Test("without Prometheus's clock there are no ages: a failed or foreign clock answer is an error")
    func clockFailures() {
        #expect(throws: ProbeError.badResponse(url: "u", reason: "Prometheus's answer to vector(time()) has no time")) {
            try PrometheusReader.decodeFederated(
                (Self.answer, 200), clock: (#"{"status":"success","data":{"resultType":"vector","result":[]}}"#, 200), url: "u")
        }
        #expect(throws: ProbeError.httpStatus(url: "u (the clock, vector(time()))", status: 503, body: "unavailable")) {
            try PrometheusReader.decodeFederated((Self.answer, 200), clock: ("unavailable", 503), url: "u")
        }
    }

    @Test("the federation's match is the families' instant vector selector under the selector's matchers")
    func match() {
        #expect(PrometheusReader.families(selector: #"{job="orders"}"#, names: ["a", "up"]) == #"{__name__=~"a|up",job="orders"}"#)
        #expect(PrometheusReader.families(selector: " {} ", names: ["a"]) == #"{__name__=~"a"}"#)
    }
}
