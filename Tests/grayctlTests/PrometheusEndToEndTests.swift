import Foundation
import GrayCore
import Testing

/// `grayctl release` reading the fleet's metrics through Debian's real Prometheus server, which
/// scrapes the reference gateway and both order-services every second on 127.0.0.1.
@Suite("grayctl release --headless with metrics.source: prometheus", .serialized)
struct PrometheusEndToEndTests {
    @Test("a canary that starts failing is rolled back on what Prometheus scraped; the recording holds Prometheus's series")
    func failingCanaryThroughPrometheus() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 40)
        let prometheus = try PrometheusProcess(
            jobs: ["router": [fleet.addresses["gateway"]!.admin], "stable": [fleet.addresses["stable"]!.admin], "canary": [fleet.addresses["canary"]!.admin]],
            folder: fleet.folder)
        defer { prometheus.stop() }
        let config = try String(contentsOfFile: try fleet.config(), encoding: .utf8) + """

            metrics: {source: prometheus}
            prometheus:
              url: \(prometheus.url)
              selectors: {router: '{job="router"}', stable: '{job="stable"}', canary: '{job="canary"}'}
            """
        let path = fleet.folder.appendingPathComponent("prometheus-grayctl.yaml")
        try Data(config.utf8).write(to: path)
        let injector = Thread {
            Thread.sleep(forTimeInterval: 6)
            try? fleet.post("canary", "/admin/faults", #"{"error_ratio":0.5}"#)
        }
        injector.start()
        let recording = fleet.folder.appendingPathComponent("live.jsonl").path
        let run = try fleet.grayctl([
            "release", "--headless", "--config", path.path, "--max-duration", "40", "--record", recording,
            "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path,
        ])
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains(#""event":"step","from":0,"to":10"#), "started on Prometheus's data: \(run.stdout)")
        let rollback = try #require(run.stdout.split(separator: "\n").first { $0.contains(#""event":"rollback""#) })
        #expect(rollback.contains("canary failures") || rollback.contains("canary breaker"), "judged on the canary's errors, not on staleness: \(rollback)")
        #expect(try fleet.weight() == 0)
        let recorded = try RecordingReader.read(String(contentsOfFile: recording, encoding: .utf8))
        let canaryBodies = recorded.lines.compactMap { line -> String? in
            if case .metrics(.canary, let body, _) = line.entry { return body } else { return nil }
        }
        #expect(canaryBodies.contains { $0.contains(#"job="canary""#) }, "the canary's series as Prometheus labels them")
    }
}
