import Foundation
import GrayCore
import GrayProbe
import GrayRuntime
import GrayTesting
import Testing

/// `--metrics-listen`: grayctl's own metrics, tapped from a release driven through the in-memory
/// twins (scripted canary and router), served over loopback and linted by Debian's promtool.
@Suite("grayctl's own metrics (--metrics-listen)", .serialized)
struct DriverMetricsTests {
    /// GET `path` from the tap's listener: status and body.
    static func get(_ tap: DriverMetricsTap, _ path: String, method: String = "GET") async throws -> HTTPResponse {
        try await CurlHTTPClient().send(HTTPRequest(method: method, url: "http://127.0.0.1:\(tap.port)\(path)", timeout: 5))
    }

    /// The value of the sample `line` starts with (`name{labels}`), nil when absent.
    static func value(_ exposition: String, _ series: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test("a release stepping, then rolled back on errors: weight, step, phase, verdicts, counts by cause, poll errors and the last observation; promtool passes; other paths 404")
    func stepThenRollback() async throws {
        let router = ScriptedRouter()
        let canary = ScriptedCanary()
        let tap = try DriverMetricsTap(address: "127.0.0.1:0")
        let runner = ReleaseRunnerTests.runner(router: router, canary: canary, outputs: tap.tap(Collected().outputs))
        let before = try await Self.get(tap, "/metrics").text
        #expect(Self.value(before, "grayctl_plan_step") == -1)
        #expect(!before.contains("grayctl_last_observation_timestamp_seconds"), "nothing observed yet")
        let task = Task { await runner.run(maxDuration: 60) }
        await ReleaseRunnerTests.eventually("stepped to 10%") { router.weight == 10 }
        let stepped = try await Self.get(tap, "/metrics").text
        #expect(Self.value(stepped, "grayctl_canary_weight_percent") ?? 0 >= 10)
        #expect(Self.value(stepped, "grayctl_steps_total") ?? 0 >= 2)
        #expect(Self.value(stepped, #"grayctl_release_phase{phase="progressing"}"#) == 1)
        canary.fail(0.5)
        let outcome = await task.value
        #expect(outcome.verdict == .rolledBack)
        let response = try await Self.get(tap, "/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let text = response.text
        #expect(Self.value(text, #"grayctl_rollbacks_total{cause="errors"}"#) == 1, "\(text)")
        #expect(Self.value(text, "grayctl_canary_weight_percent") == 0)
        #expect(Self.value(text, #"grayctl_release_phase{phase="rolled_back"}"#) == 1)
        #expect(Self.value(text, #"grayctl_gate_verdict{gate="errors",verdict="trip"}"#) == 1)
        #expect(Self.value(text, #"grayctl_gate_verdict{gate="errors",verdict="pass"}"#) == 0)
        let observed = try #require(Self.value(text, "grayctl_last_observation_timestamp_seconds"))
        #expect(abs(observed - Date().timeIntervalSince1970) < 60)
        let lint = try PromtoolCheck.run(text)
        #expect(lint.status == 0, "promtool check metrics: \(lint.output)")
        #expect(try await Self.get(tap, "/").status == 404)
        #expect(try await Self.get(tap, "/metrics", method: "POST").status == 405)
    }

    @Test("failed observations are counted by target and endpoint; only the fleet's answers move the last observation")
    func pollErrors() {
        var metrics = DriverMetrics()
        metrics.record(.error(.canary, endpoint: "metrics", message: "refused"), at: 10)
        metrics.record(.error(Subject.instance(.canary, "10.0.0.7:9090"), endpoint: "metrics", message: "refused"), at: 11)
        metrics.record(.error(.router, endpoint: "weight", message: "HTTP 500"), at: 12)
        metrics.record(.health(.canary, .serving), at: 13)
        metrics.record(.weight(5, generation: "7"), at: 20)
        metrics.record(.instances(.canary, ["a"]), at: 21)
        let text = metrics.exposition
        #expect(Self.value(text, #"grayctl_poll_errors_total{target="canary",endpoint="metrics"}"#) == 2)
        #expect(Self.value(text, #"grayctl_poll_errors_total{target="router",endpoint="weight"}"#) == 1)
        #expect(Self.value(text, "grayctl_last_observation_timestamp_seconds") == 13, "the router's weight and discovery are not observations of the fleet")
    }

    @Test("an address that is not HOST:PORT, or a port in use, is an error naming it")
    func badAddresses() throws {
        #expect(throws: MetricsListener.StartError.badAddress("9464")) { try MetricsListener(address: "9464") { "" } }
        #expect(throws: MetricsListener.StartError.badAddress("example.com:9464")) { try MetricsListener(address: "example.com:9464") { "" } }
        let first = try MetricsListener(address: "127.0.0.1:0") { "" }
        #expect {
            try MetricsListener(address: "127.0.0.1:\(first.port)") { "" }
        } throws: { error in
            "\(error)" == "--metrics-listen 127.0.0.1:\(first.port): cannot listen: Address already in use"
        }
    }
}
