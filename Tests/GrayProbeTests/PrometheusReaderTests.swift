import Foundation
import GrayCore
import GrayProbe
import Testing

/// Debian's real Prometheus server scraping a stand-in instance (`Tests/interop/metrics_only.py`)
/// every second on 127.0.0.1, read through grayctl's Prometheus reader.
@Suite("Prometheus as a metrics source, against the real server", .serialized)
struct PrometheusReaderTests {
    /// A Prometheus server on a free loopback port, scraping `target` every second as job `orders`
    /// with `version="v2"`; stopped with ``stop()``.
    final class Server: @unchecked Sendable {
        let process = Process()
        let folder: URL
        let url: String

        init(scraping target: String) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-prom-\(UInt32.random(in: 0...UInt32.max))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let config = """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: orders
                    static_configs:
                      - targets: ["\(target)"]
                        labels: {version: "v2"}
                  - job_name: orders-twin
                    static_configs:
                      - targets: ["\(target)"]
                        labels: {version: "v1"}
                """
            try Data(config.utf8).write(to: folder.appendingPathComponent("prometheus.yml"))
            let port = Int.random(in: 30000...60000)
            url = "http://127.0.0.1:\(port)"
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
            process.arguments = [
                "--config.file=\(folder.appendingPathComponent("prometheus.yml").path)",
                "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)", "--web.listen-address=127.0.0.1:\(port)",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    static let families = ["grpc_server_handled_total", "grpc_server_handling_seconds_bucket", "circuit_breaker_state"]

    /// Reads `selector` until `accept` takes the entry (at most 30 s, every 250 ms); the last entry.
    static func read(
        _ reader: PrometheusReader, _ selector: String, maxSeries: Int = 100, until accept: (RecordEntry) -> Bool
    ) async -> RecordEntry {
        var entry = RecordEntry.error(.canary, endpoint: "metrics", message: "not read")
        for _ in 0..<120 {
            entry = await one(reader, selector, maxSeries: maxSeries)
            if accept(entry) { return entry }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return entry
    }

    /// One read of `selector` as the canary's sole instance: the single entry of the answer.
    static func one(_ reader: PrometheusReader, _ selector: String, maxSeries: Int = 100) async -> RecordEntry {
        let entries = await reader.metrics(
            .canary, selector: selector, names: families, maxSeries: maxSeries, oneInstance: true, subjectOf: { _ in .canary })
        guard entries.count == 1, let entry = entries.first else {
            return .error(.canary, endpoint: "metrics", message: "expected one entry, got \(entries)")
        }
        return entry
    }

    static func isMetrics(_ entry: RecordEntry) -> Bool {
        if case .metrics = entry { return true } else { return false }
    }

    @Test(
        "raw series with the age of their samples; Prometheus's errors, empty selectors, the series bound, a dead target and a dead server",
        arguments: PrometheusAPI.allCases)
    func againstTheRealServer(api: PrometheusAPI) async throws {
        let (instance, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/metrics_only.py").path])
        let server = try Server(scraping: "127.0.0.1:\(port)")
        defer {
            instance.stop()
            server.stop()
        }
        let reader = PrometheusReader(baseURL: server.url, token: "prom-secret", api: api)
        let selector = #"{job="orders",version="v2"}"#
        let entry = await Self.read(reader, selector, until: Self.isMetrics)
        guard case .metrics(.canary, let body, _) = entry else {
            Issue.record("never read: \(entry)")
            return
        }
        let samples = try ExpositionParser.parse(body).samples
        let ok = try #require(samples.first { $0.label("grpc_code") == "OK" })
        #expect(ok.name == "grpc_server_handled_total" && ok.value == 120)
        #expect(ok.label("instance") == "127.0.0.1:\(port)" && ok.label("job") == "orders" && ok.label("version") == "v2")
        let age = try #require(entry.age)
        #expect(age >= 0 && age < 3, "a sample of the last scrape (every second) is fresh: \(age) s")
        #expect(samples.count == 2, "the two series of the one job, nothing of the twin job: \(body)")

        let bad = await Self.one(reader, #"{job=~"("}"#)
        let refusal = api == .federate ? "Prometheus refused the selector (HTTP 400): " : "Prometheus bad_data (HTTP 400): "
        #expect(bad.failureMessage?.contains(refusal) == true, "\(bad)")
        let none = await Self.one(reader, #"{job="nothing"}"#)
        let path = api == .federate ? "/federate" : "/api/v1/query"
        #expect(none.failureMessage?.contains("\(path) {job=\"nothing\"}: no series of grpc_server_handled_total, ") == true, "\(none)")
        let many = await Self.read(reader, #"{job=~"orders.*"}"#, maxSeries: 3) { $0.failureMessage?.contains("more than") == true }
        #expect(many.failureMessage?.hasSuffix("4 series, more than prometheus.max_series (3): narrow the selector") == true, "\(many)")

        instance.stop()
        let stale = await Self.read(reader, selector) { !Self.isMetrics($0) }
        #expect(stale.failureMessage?.contains("no series of") == true, "a dead target's series are marked stale by Prometheus: \(stale)")
        server.stop()
        let down = await Self.one(reader, selector)
        #expect(down.failureMessage?.contains("curl error 7") == true, "\(down)")
    }

    @Test("a series whose newest sample is old is read with its age, though Prometheus still answers it", arguments: PrometheusAPI.allCases)
    func frozenSeries(api: PrometheusAPI) async throws {
        let (instance, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/metrics_only.py").path, "--frozen"])
        let server = try Server(scraping: "127.0.0.1:\(port)")
        defer {
            instance.stop()
            server.stop()
        }
        let reader = PrometheusReader(baseURL: server.url, token: nil, api: api)
        let entry = await Self.read(reader, #"{job="orders"}"#) { entry in
            guard case .metrics(_, let body, _) = entry else { return false }
            return body.contains("Internal")
        }
        let age = try #require(entry.age, "\(entry)")
        #expect(age >= 40 && age < 70, "the exporter's series stamped 40 s before it started: read \(age) s old")
    }
}

extension RecordEntry {
    /// The age of a `metrics` entry's samples; nil for any other entry.
    fileprivate var age: Double? {
        if case .metrics(_, _, let age) = self { return age }
        return nil
    }
}
