import Foundation
import GrayCore
import Testing

/// Debian's real Prometheus server on a free loopback port, scraping jobs every second.
final class PrometheusProcess: @unchecked Sendable {
    let process = Process()
    let url: String

    /// Starts Prometheus with `jobs` (job name → `host:port` targets), its data in `folder`, and
    /// waits (up to 30 s) until it is ready.
    init(jobs: [String: [String]], folder: URL) throws {
        let scrape = jobs.sorted { $0.key < $1.key }.map { job, targets in
            "  - {job_name: \(job), static_configs: [{targets: [\(targets.map { "\"\($0)\"" }.joined(separator: ", "))]}]}"
        }.joined(separator: "\n")
        let config = folder.appendingPathComponent("prometheus.yml")
        try Data("global: {scrape_interval: 1s}\nscrape_configs:\n\(scrape)\n".utf8).write(to: config)
        let port = Int.random(in: 30000...60000)
        url = "http://127.0.0.1:\(port)"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        process.arguments = [
            "--config.file=\(config.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("tsdb-\(port)").path)",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            probe.arguments = ["curl", "-sf", "-o", "/dev/null", url + "/-/ready"]
            try probe.run()
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "prometheus did not become ready at \(url)"])
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

/// A reference fleet of 3 stable and 2 canary order-service instances behind the gateway (round
/// robin within a version), scraped every second by Debian's real Prometheus server, released by
/// `grayctl release --headless` reading metrics from Prometheus and health from each instance.
@Suite("versions of many instances, metrics through the real Prometheus", .serialized)
struct FleetOfInstancesTests {
    struct Setup {
        let fleet: FleetProcesses
        let prometheus: PrometheusProcess

        func stop() {
            prometheus.stop()
            fleet.stop()
        }
    }

    static let stable = FleetProcesses.names("stable", 3)
    static let canary = FleetProcesses.names("canary", 2)

    /// Starts the fleet and Prometheus scraping the gateway and every instance.
    static func start(loadSeconds: Int = 40) throws -> Setup {
        let fleet = try FleetProcesses()
        try fleet.startFleet(loadSeconds: loadSeconds, stable: 3, canary: 2)
        let admin = { (names: [String]) in names.map { fleet.addresses[$0]!.admin } }
        let prometheus = try PrometheusProcess(
            jobs: ["router": admin(["gateway"]), "orders-v1": admin(stable), "orders-v2": admin(canary)], folder: fleet.folder)
        return Setup(fleet: fleet, prometheus: prometheus)
    }

    /// grayctl.yaml for the setup: instances listed by name, metrics from Prometheus.
    static func config(_ setup: Setup, gates: String = "{window: 5s, fast_window: 3s, min_requests: 20}") throws -> String {
        let fleet = setup.fleet
        let list = { (names: [String]) in
            "{instances: [" + names.map { "{name: \($0), admin: \"http://\(fleet.addresses[$0]!.admin)\", grpc: \"\(fleet.addresses[$0]!.grpc)\"}" }
                .joined(separator: ", ") + "]}"
        }
        let yaml = """
            targets:
              router: {admin: "http://\(fleet.addresses["gateway"]!.admin)", kind: gateway}
              stable: \(list(stable))
              canary: \(list(canary))
            plan: {steps: [10, 50, 100], bake: 2s, interval: 500ms}
            gates: \(gates)
            metrics: {source: prometheus}
            prometheus:
              url: \(setup.prometheus.url)
              selectors: {router: '{job="router"}', stable: '{job="orders-v1"}', canary: '{job="orders-v2"}'}
            """
        let path = fleet.folder.appendingPathComponent("fleet-grayctl.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func release(_ setup: Setup, config: String, seconds: Int = 40) throws -> (status: Int32, stdout: String, stderr: String, recording: String) {
        let recording = setup.fleet.folder.appendingPathComponent("live-\(UInt32.random(in: 0...UInt32.max)).jsonl").path
        let run = try setup.fleet.grayctl([
            "release", "--headless", "--config", config, "--max-duration", "\(seconds)", "--record", recording,
            "--journal", setup.fleet.folder.appendingPathComponent("journal-\(UInt32.random(in: 0...UInt32.max)).jsonl").path,
        ])
        return (run.status, run.stdout, run.stderr, try String(contentsOfFile: recording, encoding: .utf8))
    }

    /// Runs `action` once the gateway sends the canary traffic.
    static func once(canaryHasTraffic setup: Setup, _ action: @escaping @Sendable () -> Void) {
        Thread {
            if setup.fleet.waitForCanaryTraffic() { action() }
        }.start()
    }

    static func rollback(_ stdout: String) -> String? {
        stdout.split(separator: "\n").first { $0.contains(#""event":"rollback""#) }.map(String.init)
    }

    @Test("healthy: promoted on Prometheus's per-instance series; the recording names every instance and replays to the same verdict")
    func healthy() throws {
        let setup = try Self.start()
        defer { setup.stop() }
        let config = try Self.config(setup)
        let run = try Self.release(setup, config: config)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(try setup.fleet.weight() == 100)
        let recorded = try RecordingReader.read(run.recording)
        let instances = Set(recorded.lines.compactMap { line -> String? in
            if case .metrics(let subject, _) = line.entry, subject.target == .canary { return subject.instance }
            return nil
        })
        #expect(instances == Set(Self.canary), "one metrics line per canary instance, split from Prometheus's answer")
        #expect(recorded.lines.contains { $0.entry == .instances(.canary, Self.canary) })
        let replayed = ReplayRunner.run(recorded, config: try ConfigLoader.load(String(contentsOfFile: config, encoding: .utf8)))
        #expect(replayed.verdict == .promoted)
    }

    @Test("one canary instance failing half its calls: rolled back, the reason names it as the worst")
    func oneInstanceFailing() throws {
        let setup = try Self.start()
        defer { setup.stop() }
        Self.once(canaryHasTraffic: setup) { try? setup.fleet.post("canary-2", "/admin/faults", #"{"error_ratio":0.5}"#) }
        let run = try Self.release(setup, config: try Self.config(setup))
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        let rollback = try #require(Self.rollback(run.stdout), "\(run.stdout)")
        #expect(rollback.contains("worst canary-2") || rollback.contains("canary-2 breaker"), "names the failing instance: \(rollback)")
        #expect(try setup.fleet.weight() == 0)
    }

    @Test("one canary instance killed: the health rule rolls back, naming it")
    func oneInstanceKilled() throws {
        let setup = try Self.start()
        defer { setup.stop() }
        Self.once(canaryHasTraffic: setup) { setup.fleet.stop("canary-1", signal: SIGKILL) }
        let run = try Self.release(setup, config: try Self.config(setup, gates: "{window: 5s, fast_window: 3s, min_requests: 20, health_limit: 2s}"))
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        let rollback = try #require(Self.rollback(run.stdout), "\(run.stdout)")
        #expect(rollback.contains("canary 1/2 instances not SERVING for > 2 s (max_unhealthy 0): worst canary canary-1 UNREACHABLE"), "\(rollback)")
        #expect(try setup.fleet.weight() == 0)
    }

    @Test("one canary instance restarted in place (a counter reset, a short health blip): no rollback, promoted")
    func oneInstanceRestarted() throws {
        let setup = try Self.start()
        defer { setup.stop() }
        let old = setup.fleet.addresses["canary-2"]!
        let ports = (Int(old.grpc.split(separator: ":").last!)!, Int(old.admin.split(separator: ":").last!)!)
        Self.once(canaryHasTraffic: setup) {
            setup.fleet.stop("canary-2")
            try? setup.fleet.startService("canary-2", role: "canary", version: "v2", ports: ports)
        }
        let run = try Self.release(setup, config: try Self.config(setup))
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(Self.rollback(run.stdout) == nil)
        #expect(try setup.fleet.weight() == 100)
    }

    @Test("Prometheus stopped mid-release: the stale metrics hold, then roll back after stale_rollback")
    func prometheusStopped() throws {
        let setup = try Self.start()
        defer { setup.stop() }
        Self.once(canaryHasTraffic: setup) { setup.prometheus.stop() }
        let gates = "{window: 5s, fast_window: 3s, min_requests: 20, stale_hold: 3s, stale_rollback: 6s}"
        let run = try Self.release(setup, config: try Self.config(setup, gates: gates))
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains(#""event":"hold","reason":"canary metrics stale for "#), "\(run.stdout)")
        let rollback = try #require(Self.rollback(run.stdout), "\(run.stdout)")
        #expect(rollback.contains("canary metrics stale for ") && rollback.contains("> 6 s"), "\(rollback)")
        #expect(try setup.fleet.weight() == 0)
    }
}
