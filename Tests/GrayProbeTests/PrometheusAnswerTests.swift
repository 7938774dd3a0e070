import Foundation
import GrayCore
@testable import GrayProbe
import Testing

/// Prometheus's answers are outside input: each becomes exposition text the core parses as a
/// scrape, or an error naming what is wrong, never something else.
@Suite("Prometheus answers decoded")
struct PrometheusAnswerTests {
    static func vector(_ series: String) -> String {
        #"{"status":"success","data":{"resultType":"vector","result":["# + series + #"]}}"#
    }

    /// A series as the query answers it, evaluated at 101.5 s.
    static func series(instance: String = "a:1", value: String = "9", name: String = "grpc_server_handled_total") -> String {
        #"{"metric":{"__name__":"\#(name)","grpc_code":"OK","instance":"\#(instance)","job":"x \"q\""},"value":[101.5,"\#(value)"]}"#
    }

    /// An instance's oldest sample time as the query answers it.
    static func oldest(instance: String = "a:1", sampled: String = "100.25") -> String {
        #"{"metric":{"grayctl_oldest_sample":"1","instance":"\#(instance)"},"value":[101.5,"\#(sampled)"]}"#
    }

    @Test("each series as an exposition line with label values escaped, and its instance's age at the evaluation time")
    func decodes() throws {
        let series = try PrometheusReader.decode([(Self.vector(Self.series() + "," + Self.oldest()), 200)], url: "u")
        #expect(series.map(\.line) == [#"grpc_server_handled_total{grpc_code="OK",instance="a:1",job="x \"q\""} 9"# + "\n"])
        #expect(series.map(\.ageMilliseconds) == [1250])
        let samples = try ExpositionParser.parse(series.map(\.line).joined()).samples
        #expect(samples.first?.value == 9 && samples.first?.label("job") == "x \"q\"")
    }

    @Test("each instance has its own age, whatever order Prometheus lists the answer in")
    func agesByInstance() throws {
        let answer = [Self.oldest(instance: "b:2", sampled: "90"), Self.series(instance: "a:1"), Self.series(instance: "b:2"), Self.oldest(instance: "a:1", sampled: "101")]
        let series = try PrometheusReader.decode([(Self.vector(answer.joined(separator: ",")), 200)], url: "u")
        #expect(series.map(\.instance) == ["a:1", "b:2"])
        #expect(series.map(\.ageMilliseconds) == [500, 11_500])
    }

    @Test("members in any order; members Prometheus may add (warnings, infos, stats) are left alone")
    func membersInAnyOrder() throws {
        let answer = #"{"data":{"result":["# + Self.series() + "," + Self.oldest()
            + #"],"stats":{"timings":{"evalTotalTime":0.1}},"resultType":"vector"},"warnings":["w"],"infos":[],"status":"success"}"#
        let series = try PrometheusReader.decode([(answer, 200)], url: "u")
        #expect(series.map(\.instance) == ["a:1"])
        #expect(series.map(\.ageMilliseconds) == [1250])
    }

    @Test("a cut or foreign answer is an error saying where it stopped making sense")
    func truncated() {
        let whole = Self.vector(Self.series() + "," + Self.oldest())
        #expect(throws: ProbeError.badResponse(url: "u", reason: "not a Prometheus API answer (line 1, column 101: expected '\"' to close the string, found end of input)")) {
            try PrometheusReader.decode([(String(whole.prefix(100)), 200)], url: "u")
        }
        #expect(throws: ProbeError.badResponse(url: "u", reason: "not a Prometheus API answer (line 1, column 11: expected a string, found '1')")) {
            try PrometheusReader.decode([(#"{"status":1}"#, 200)], url: "u")
        }
    }

    @Test("hostile or foreign answers are errors, never exposition lines", arguments: [
        #"{"metric":{"__name__":"bad name\n x 1"},"value":[1,"1"]}"#,
        #"{"metric":{"__name__":"m","bad key":"v"},"value":[1,"1"]}"#,
        #"{"metric":{"__name__":"m","k":7},"value":[1,"1"]}"#,
        #"{"metric":{"__name__":"m"},"value":[1,"1\nm2 5"]}"#,
        #"{"metric":{"__name__":"m"},"value":[1e300,"1"]}"#,
        #"{"metric":{"__name__":"m"},"value":[]}"#,
        #"{"metric":{},"value":[1,"1"]}"#,
        #"{"metric":{"__name__":"m"},"value":[1,"1"]},{"metric":{"grayctl_oldest_sample":"1"},"value":[1,"NaN"]}"#,
    ])
    func hostile(series: String) {
        #expect(throws: ProbeError.self) { try PrometheusReader.decode([(Self.vector(series), 200)], url: "u") }
    }

    @Test("an instance the ages answer does not name has no age (the reader makes it an error of that instance alone)")
    func instanceWithoutAge() throws {
        let answer = [Self.series(instance: "a:1"), Self.series(instance: "b:2"), Self.oldest(instance: "b:2")]
        let series = try PrometheusReader.decode([(Self.vector(answer.joined(separator: ",")), 200)], url: "u")
        #expect(series.map(\.instance) == ["a:1", "b:2"])
        #expect(series.map(\.ageMilliseconds) == [nil, 1250])
    }

    @Test("a scalar answer is called what it is, not a broken vector")
    func scalar() {
        #expect(throws: ProbeError.badResponse(url: "u", reason: "expected a vector result from an instant query")) {
            try PrometheusReader.decode([(#"{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}"#, 200)], url: "u")
        }
    }

    @Test("each series keeps its instance label, by which the answer is split into instances")
    func manyInstances() throws {
        let answer = [Self.series(), Self.series(instance: "b:2"), Self.oldest(), Self.oldest(instance: "b:2")]
        let series = try PrometheusReader.decode([(Self.vector(answer.joined(separator: ",")), 200)], url: "u")
        #expect(series.map(\.instance) == ["a:1", "b:2"])
    }

    @Test("an `up` series at 0 marks its instance as one Prometheus cannot scrape")
    func down() throws {
        let answer = [
            Self.series(instance: "a:1", value: "0", name: "up"), Self.series(instance: "b:2", value: "1", name: "up"), Self.series(),
            Self.oldest(), Self.oldest(instance: "b:2"),
        ]
        let series = try PrometheusReader.decode([(Self.vector(answer.joined(separator: ",")), 200)], url: "u")
        #expect(series.map(\.isDown) == [true, false, false])
    }

    @Test("the queries ask the families, and apart, per instance and family, the oldest sample time, under the selector's matchers")
    func queries() {
        let queries = PrometheusReader.queries(selector: #"{job="orders"}"#, names: ["a", "up"])
        #expect(queries.values == #"{__name__=~"a|up",job="orders"}"#)
        #expect(queries.ages == #"label_replace(label_replace(min by (instance) (timestamp({__name__="a",job="orders"})), "grayctl_family", "a", "", ""), "grayctl_oldest_sample", "1", "", "") or "#
            + #"label_replace(label_replace(min by (instance) (timestamp({__name__="up",job="orders"})), "grayctl_family", "up", "", ""), "grayctl_oldest_sample", "1", "", "")"#)
        #expect(PrometheusReader.queries(selector: "{}", names: ["a"]).values == #"{__name__=~"a"}"#)
        #expect(PrometheusReader.queries(selector: "{}", names: ["a"]).ages.contains(#"timestamp({__name__="a"})"#))
    }

    @Test("the series in one answer, the ages in the other: an instance's age is its oldest family's, at that answer's evaluation time")
    func agesFromTheirOwnAnswer() throws {
        let family = { (name: String, sampled: String) in
            #"{"metric":{"grayctl_family":"\#(name)","grayctl_oldest_sample":"1","instance":"a:1"},"value":[102,"\#(sampled)"]}"#
        }
        let series = try PrometheusReader.decode(
            [(Self.vector(Self.series()), 200), (Self.vector(family("up", "101.5") + "," + family("grpc_server_handled_total", "99")), 200)], url: "u")
        #expect(series.map(\.ageMilliseconds) == [3000])
    }

    @Test("Prometheus's own errors and non-Prometheus answers say so")
    func errors() {
        #expect(throws: ProbeError.badResponse(url: "u", reason: "Prometheus bad_data (HTTP 400): parse error")) {
            try PrometheusReader.decode([(#"{"status":"error","errorType":"bad_data","error":"parse error"}"#, 400)], url: "u")
        }
        #expect(throws: ProbeError.httpStatus(url: "u", status: 502, body: "<html>bad gateway</html>")) {
            try PrometheusReader.decode([("<html>bad gateway</html>", 502)], url: "u")
        }
        #expect(throws: ProbeError.badResponse(url: "u", reason: "expected a vector result from an instant query")) {
            try PrometheusReader.decode([(#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#, 200)], url: "u")
        }
    }
}
