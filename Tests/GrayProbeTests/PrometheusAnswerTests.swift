import Foundation
import GrayCore
@testable import GrayProbe
import Testing

/// Prometheus's answers are outside input: each becomes exposition text the core parses as a
/// scrape, or an error naming what is wrong, never something else.
@Suite("Prometheus answers decoded")
struct PrometheusAnswerTests {
    static func matrix(_ series: String) -> String {
        #"{"status":"success","data":{"resultType":"matrix","result":["# + series + #"]}}"#
    }

    static let one = #"{"metric":{"__name__":"grpc_server_handled_total","grpc_code":"OK","instance":"a:1","job":"x \"q\""},"values":[[100.5,"7"],[101.5,"9"]]}"#

    @Test("the newest sample of each series, with its time in milliseconds and label values escaped")
    func decodes() throws {
        let series = try PrometheusReader.decode(Self.matrix(Self.one), status: 200, url: "u")
        #expect(series.map(\.line) == [#"grpc_server_handled_total{grpc_code="OK",instance="a:1",job="x \"q\""} 9 101500"# + "\n"])
        let samples = try ExpositionParser.parse(series.map(\.line).joined()).samples
        #expect(samples.first?.value == 9 && samples.first?.label("job") == "x \"q\"" && samples.first?.timestampMilliseconds == 101_500)
    }

    @Test("hostile or foreign answers are errors, never exposition lines", arguments: [
        #"{"metric":{"__name__":"bad name\n x 1"},"values":[[1,"1"]]}"#,
        #"{"metric":{"__name__":"m","bad key":"v"},"values":[[1,"1"]]}"#,
        #"{"metric":{"__name__":"m","k":7},"values":[[1,"1"]]}"#,
        #"{"metric":{"__name__":"m"},"values":[[1,"1\nm2 5"]]}"#,
        #"{"metric":{"__name__":"m"},"values":[[1e300,"1"]]}"#,
        #"{"metric":{"__name__":"m"},"values":[]}"#,
        #"{"metric":{},"values":[[1,"1"]]}"#,
    ])
    func hostile(series: String) {
        #expect(throws: ProbeError.self) { try PrometheusReader.decode(Self.matrix(series), status: 200, url: "u") }
    }

    @Test("each series keeps its instance label, by which the answer is split into instances")
    func manyInstances() throws {
        let two = Self.one + "," + Self.one.replacingOccurrences(of: "a:1", with: "b:2")
        let series = try PrometheusReader.decode(Self.matrix(two), status: 200, url: "u")
        #expect(series.map(\.instance) == ["a:1", "b:2"])
    }

    @Test("an `up` series at 0 marks its instance as one Prometheus cannot scrape")
    func down() throws {
        let up = { (instance: String, value: String) in
            #"{"metric":{"__name__":"up","instance":"\#(instance)","job":"x"},"values":[[100.5,"\#(value)"]]}"#
        }
        let series = try PrometheusReader.decode(Self.matrix([up("a:1", "0"), up("b:2", "1"), Self.one].joined(separator: ",")), status: 200, url: "u")
        #expect(series.map(\.isDown) == [true, false, false])
    }

    @Test("Prometheus's own errors and non-Prometheus answers say so")
    func errors() {
        #expect(throws: ProbeError.badResponse(url: "u", reason: "Prometheus bad_data (HTTP 400): parse error")) {
            try PrometheusReader.decode(#"{"status":"error","errorType":"bad_data","error":"parse error"}"#, status: 400, url: "u")
        }
        #expect(throws: ProbeError.httpStatus(url: "u", status: 502, body: "<html>bad gateway</html>")) {
            try PrometheusReader.decode("<html>bad gateway</html>", status: 502, url: "u")
        }
        #expect(throws: ProbeError.badResponse(url: "u", reason: "expected a matrix result from a range selector")) {
            try PrometheusReader.decode(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#, status: 200, url: "u")
        }
    }
}
