import Foundation
import GrayCore
import Testing

/// Debian's real Prometheus server on a free loopback port, scraping jobs every second.
final class PrometheusProcess: @unchecked Sendable {
    private(set) var process = Process()
    private(set) var url = ""
    private var arguments: [String] = []

    /// Starts Prometheus with `jobs` (job name → `host:port` targets), its data in `folder`, and
    /// waits (up to 30 s) until it is ready. A port taken meanwhile by another test's server makes
    /// Prometheus exit at once: it is started again on another port (three tries).
    init(jobs: [String: [String]], folder: URL) throws {
        let scrape = jobs.sorted { $0.key < $1.key }.map { job, targets in
            "  - {job_name: \(job), static_configs: [{targets: [\(targets.map { "\"\($0)\"" }.joined(separator: ", "))]}]}"
        }.joined(separator: "\n")
        let config = folder.appendingPathComponent("prometheus.yml")
        try Data("global: {scrape_interval: 1s}\nscrape_configs:\n\(scrape)\n".utf8).write(to: config)
        for _ in 0..<3 {
            let port = Int.random(in: 30000...60000)
            url = "http://127.0.0.1:\(port)"
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
            arguments = [
                "--config.file=\(config.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("tsdb-\(port)").path)",
                "--web.listen-address=127.0.0.1:\(port)",
            ]
            if try run() { return }
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "prometheus did not become ready at \(url) (three tries)"])
    }

    /// Starts Prometheus again after ``stop()``, on the same port with the same data; throws when
    /// it does not become ready.
    func restart() throws {
        guard try run() else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "prometheus did not come back at \(url)"])
        }
    }

    /// Runs Prometheus with `arguments` and waits (up to 30 s) until it is ready; false (stopped)
    /// when it is not.
    private func run() throws -> Bool {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        process.arguments = arguments
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
            if probe.terminationStatus == 0 { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        stop()
        return false
    }

    /// Waits (up to `seconds`) until series of `count` instances of `job` have a sample; Prometheus
    /// starts scraping up to a few seconds after it is ready (its discovery batches updates).
    func waitForInstances(job: String, count: Int, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            probe.arguments = ["curl", "-sf", "--get", "--data-urlencode", "query=count(count by (instance) ({job=\"\(job)\"}))", url + "/api/v1/query"]
            let output = Pipe()
            probe.standardOutput = output
            try? probe.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            probe.waitUntilExit()
            let answer = try? JSONParser.parse(String(decoding: data, as: UTF8.self))
            if answer?["data"]?["result"]?.array?.first?["value"]?.array?.last?.string == "\(count)" { return true }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return false
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
    static func config(
        _ setup: Setup, gates: String = "{window: 5s, fast_window: 3s, min_requests: 20}", canaryBreakers: String = "auto",
        routerMetrics: Bool = true
    ) throws -> String {
        let fleet = setup.fleet
        let list = { (names: [String], breakers: String) in
            "{breakers: \(breakers), instances: [" + names.map { "{name: \($0), admin: \"http://\(fleet.addresses[$0]!.admin)\", grpc: \"\(fleet.addresses[$0]!.grpc)\"}" }
                .joined(separator: ", ") + "]}"
        }
        let yaml = """
            targets:
              router: {admin: "http://\(fleet.addresses["gateway"]!.admin)", kind: gateway}
              stable: \(list(stable, "auto"))
              canary: \(list(canary, canaryBreakers))
            plan: {steps: [10, 50, 100], bake: 2s, interval: 500ms}
            gates: \(gates)
            metrics: {source: prometheus\(routerMetrics ? "" : ", client_handled: no_router_series_total")\(canaryBreakers == "none" ? ", breaker_state: no_breaker_gauge" : "")}
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
            if case .metrics(let subject, _, _) = line.entry, subject.target == .canary { return subject.instance }
            return nil
        })
        #expect(instances == Set(Self.canary), "one metrics line per canary instance, split from Prometheus's answer")
        #expect(recorded.lines.contains { $0.entry == .instances(.canary, Self.canary) })
        let replayed = ReplayRunner.run(recorded, config: try ConfigLoader.load(String(contentsOfFile: config, encoding: .utf8)))
        #expect(replayed.verdict == .promoted)
    }

    @Test("one canary instance failing half its calls: rolled back on the sum of the instances' counters, the reason names it as the worst")
    func oneInstanceFailing() throws {
        let setup = try Self.start()
        defer { setup.stop() }
        Self.once(canaryHasTraffic: setup) { try? setup.fleet.post("canary-2", "/admin/faults", #"{"error_ratio":0.5}"#) }
        // No router series and no breakers (neither /admin/breakers nor the breaker gauge, whose
        // open state would otherwise trip first): the error gate judges the per-version sum of
        // what Prometheus scraped from each instance.
        let run = try Self.release(setup, config: try Self.config(setup, canaryBreakers: "none", routerMetrics: false))
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        let rollback = try #require(Self.rollback(run.stdout), "\(run.stdout)")
        #expect(rollback.contains("canary failures") && rollback.contains("; worst canary-2: "), "names the failing instance: \(rollback)")
        #expect(run.stdout.contains("canary metrics fresh (from 2 canary instances)"), "the instances were the source: \(run.stdout)")
        #expect(try setup.fleet.weight() == 0)
    }

    @Test("a selector matching several instances for a version configured as one is refused, naming them")
    func oneInstanceConfigured() throws {
        let setup = try Self.start(loadSeconds: 15)
        defer { setup.stop() }
        let fleet = setup.fleet
        let yaml = """
            targets:
              router: {admin: "http://\(fleet.addresses["gateway"]!.admin)", kind: gateway}
              stable: {admin: "http://\(fleet.addresses["stable-1"]!.admin)", grpc: "\(fleet.addresses["stable-1"]!.grpc)"}
              canary: {admin: "http://\(fleet.addresses["canary-1"]!.admin)", grpc: "\(fleet.addresses["canary-1"]!.grpc)"}
            plan: {steps: [10, 50, 100], bake: 2s, interval: 500ms}
            metrics: {source: prometheus}
            prometheus:
              url: \(setup.prometheus.url)
              selectors: {canary: '{job="orders-v2"}'}
            """
        let path = fleet.folder.appendingPathComponent("one-instance.yaml")
        try Data(yaml.utf8).write(to: path)
        // Calls straight to each canary instance, so both have series, and Prometheus scrapes them.
        for name in Self.canary {
            let load = Process()
            load.executableURL = FleetProcesses.binaries.appendingPathComponent("order-load")
            load.arguments = ["--target", fleet.addresses[name]!.grpc, "--call", "unary", "--rps", "20", "--duration", "1"]
            load.standardOutput = FileHandle.nullDevice
            load.standardError = FileHandle.nullDevice
            try load.run()
            load.waitUntilExit()
        }
        try #require(setup.prometheus.waitForInstances(job: "orders-v2", count: 2), "Prometheus never had series of both canary instances")
        let run = try fleet.grayctl(["release", "--headless", "--config", path.path, "--max-duration", "6", "--journal", fleet.folder.appendingPathComponent("j.jsonl").path])
        #expect(run.status == 4, "never started: \(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("the selector matches 2 instances (\(fleet.addresses["canary-1"]!.admin), \(fleet.addresses["canary-2"]!.admin))")
            || run.stdout.contains("the selector matches 2 instances (\(fleet.addresses["canary-2"]!.admin), \(fleet.addresses["canary-1"]!.admin))"), "\(run.stdout)")
        #expect(run.stdout.contains("list them under targets.canary.instances or find them with dns"))
        #expect(try fleet.weight() == 0)
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

extension FleetOfInstancesTests {
    @Test("Prometheus killed and restarted mid-release: the stale metrics hold while it is down, judging resumes once it scrapes again, promoted without a rollback")
    func prometheusRestarted() throws {
        let setup = try Self.start(loadSeconds: 60)
        defer { setup.stop() }
        let restarted = DispatchSemaphore(value: 0)
        Self.once(canaryHasTraffic: setup) {
            Thread.sleep(forTimeInterval: 1)
            kill(setup.prometheus.process.processIdentifier, SIGKILL)
            setup.prometheus.process.waitUntilExit()
            Thread.sleep(forTimeInterval: 6)
            do {
                try setup.prometheus.restart()
            } catch {
                Issue.record("\(error)")
            }
            restarted.signal()
        }
        let gates = "{window: 5s, fast_window: 3s, min_requests: 20, stale_hold: 3s, stale_rollback: 30s}"
        let run = try Self.release(setup, config: try Self.config(setup, gates: gates), seconds: 50)
        #expect(restarted.wait(timeout: .now() + 5) == .success)
        #expect(run.status == 0, "promoted once Prometheus was back: \(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains(#""event":"hold","reason":"canary metrics stale for "#), "held while Prometheus was down: \(run.stdout)")
        #expect(Self.rollback(run.stdout) == nil, "\(run.stdout)")
        #expect(try setup.fleet.weight() == 100)
        #expect(run.recording.contains("curl error 7"), "Prometheus refusing connections while down is recorded")
    }

    @Test("DNS discovery returning nothing (a name that does not resolve): the release does not start (critical, exit 1), naming the name; judged, it holds naming it")
    func dnsReturnsNothing() throws {
        let setup = try Self.start(loadSeconds: 20)
        defer { setup.stop() }
        let fleet = setup.fleet
        let name = "grayctl-none-\(UInt32.random(in: 0...UInt32.max)).invalid"
        let yaml = """
            targets:
              router: {admin: "http://\(fleet.addresses["gateway"]!.admin)", kind: gateway}
              stable: {admin: "http://\(fleet.addresses["stable-1"]!.admin)", grpc: "\(fleet.addresses["stable-1"]!.grpc)"}
              canary: {dns: {name: \(name), grpc_port: 50051, admin_port: 9090, every: 1s}}
            plan: {steps: [10, 50, 100], bake: 2s, interval: 500ms}
            gates: {window: 5s, fast_window: 3s, min_requests: 20}
            """
        let path = fleet.folder.appendingPathComponent("dns-none.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        // The release does not start: its preflight finds no canary (critical, --force or not).
        let run = try fleet.grayctl([
            "release", "--headless", "--config", path, "--max-duration", "6", "--force",
            "--journal", fleet.folder.appendingPathComponent("journal-dns.jsonl").path,
        ])
        #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("check: CRIT canary instances: none found: \(name) resolves to no address"), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "no decision: \(run.stdout)")
        #expect(try fleet.weight() == 0)
        // Judged as a running release would (watch: no preflight): it holds, naming the name.
        let watched = try fleet.grayctl(["watch", "--headless", "--config", path, "--max-duration", "6"])
        #expect(watched.status == 0, "\(watched.stdout)\n\(watched.stderr)")
        #expect(watched.stdout.contains(name), "the holds name the name that resolves to nothing: \(watched.stdout)")
        #expect(!watched.stdout.contains(#""event":"step""#), "\(watched.stdout)")
    }
}

/// DNS discovery against the system resolver: a name with two loopback addresses in `/etc/hosts`
/// (as a Kubernetes headless service has one per ready pod), each a canary instance on the same
/// ports; Prometheus scrapes both. The test adds the name to `/etc/hosts` and removes it after (it
/// needs root, as CI runs; it fails, not skips, without it).
@Suite("DNS discovery of a version's instances, through /etc/hosts", .serialized)
struct DNSDiscoveryTests {
    /// Lines added to /etc/hosts, removed by ``remove(_:)``.
    static func add(_ lines: [String]) throws {
        let hosts = try String(contentsOfFile: "/etc/hosts", encoding: .utf8)
        try Data((hosts.hasSuffix("\n") || hosts.isEmpty ? hosts : hosts + "\n").appending(lines.map { $0 + "\n" }.joined()).utf8)
            .write(to: URL(fileURLWithPath: "/etc/hosts"))
    }

    static func remove(_ lines: [String]) {
        guard let hosts = try? String(contentsOfFile: "/etc/hosts", encoding: .utf8) else { return }
        let kept = hosts.split(separator: "\n", omittingEmptySubsequences: false).filter { !lines.contains(String($0)) }
        try? Data(kept.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: "/etc/hosts"))
    }

    @Test("instances found by DNS are judged each; one that leaves DNS (then stops) is dropped, not a failure: promoted")
    func discovery() throws {
        try #require(FileManager.default.isWritableFile(atPath: "/etc/hosts"), "this test adds a name to /etc/hosts: run it as root (CI does)")
        let name = "grayctl-canary-\(UInt32.random(in: 0...UInt32.max)).test"
        let lines = ["127.0.0.2 \(name)", "127.0.0.3 \(name)"]
        try Self.add(lines)
        defer { Self.remove(lines) }
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        let (grpc, admin, prometheus) = try fleet.startLoopbackCanaries()
        defer { prometheus.stop() }
        let yaml = """
            targets:
              router: {admin: "http://\(fleet.addresses["gateway"]!.admin)", kind: gateway}
              stable: {admin: "http://\(fleet.addresses["stable"]!.admin)", grpc: "\(fleet.addresses["stable"]!.grpc)"}
              canary: {dns: {name: \(name), admin_port: \(admin), grpc_port: \(grpc), every: 1s}}
            plan: {steps: [10, 50, 100], bake: 3s, interval: 500ms}
            gates: {window: 5s, fast_window: 3s, min_requests: 20}
            metrics: {source: prometheus}
            prometheus:
              url: \(prometheus.url)
              selectors: {router: '{job="router"}', stable: '{job="orders-v1"}', canary: '{job="orders-v2"}'}
            """
        let config = fleet.folder.appendingPathComponent("dns-grayctl.yaml")
        try Data(yaml.utf8).write(to: config)
        Thread {
            guard fleet.waitForCanaryTraffic() else { return }
            Self.remove([lines[1]])
            Thread.sleep(forTimeInterval: 1.5)
            fleet.stop("canary-b")
        }.start()
        let recording = fleet.folder.appendingPathComponent("dns.jsonl").path
        let run = try fleet.grayctl([
            "release", "--headless", "--config", config.path, "--max-duration", "40", "--record", recording,
            "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path,
        ])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(!run.stdout.contains(#""event":"rollback""#))
        let recorded = try RecordingReader.read(String(contentsOfFile: recording, encoding: .utf8))
        let lists = recorded.lines.compactMap { line -> [String]? in
            if case .instances(.canary, let ids) = line.entry { return ids }
            return nil
        }
        #expect(lists == [["127.0.0.2:\(admin)", "127.0.0.3:\(admin)"], ["127.0.0.2:\(admin)"]], "both found, then one left: \(lists)")
        let healthChecked = Set(recorded.lines.compactMap { line -> String? in
            if case .health(let subject, .serving, _) = line.entry, subject.target == .canary { return subject.instance }
            return nil
        })
        #expect(healthChecked == ["127.0.0.2:\(admin)", "127.0.0.3:\(admin)"], "each address health-checked on its own")
    }
}

/// Canary instances named by Prometheus alone (`prometheus_instances`): two reference
/// order-services on 127.0.0.2 and 127.0.0.3 (same ports), scraped by Debian's Prometheus; grayctl
/// learns them from the `instance` labels and checks each one's gRPC health at its host.
@Suite("Canary instances named by Prometheus", .serialized)
struct PrometheusNamedInstancesTests {
    @Test("each instance Prometheus names is health-checked at its host; one killed stays named (up 0) and the health rule rolls back naming it")
    func namedByPrometheus() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        let (grpc, admin, prometheus) = try fleet.startLoopbackCanaries()
        defer { prometheus.stop() }
        #expect(prometheus.waitForInstances(job: "orders-v2", count: 2), "Prometheus scrapes both canary instances")
        let yaml = """
            targets:
              router: {admin: "http://\(fleet.addresses["gateway"]!.admin)", kind: gateway}
              stable: {admin: "http://\(fleet.addresses["stable"]!.admin)", grpc: "\(fleet.addresses["stable"]!.grpc)"}
              canary: {prometheus_instances: {grpc_port: \(grpc), admin_port: \(admin)}}
            plan: {steps: [10, 50, 100], bake: 20s, interval: 500ms}
            gates: {window: 5s, fast_window: 3s, min_requests: 20}
            metrics: {source: prometheus}
            prometheus:
              url: \(prometheus.url)
              selectors: {router: '{job="router"}', stable: '{job="orders-v1"}', canary: '{job="orders-v2"}'}
            """
        let config = fleet.folder.appendingPathComponent("named-grayctl.yaml")
        try Data(yaml.utf8).write(to: config)
        Thread {
            guard fleet.waitForCanaryTraffic() else { return }
            Thread.sleep(forTimeInterval: 1)
            fleet.stop("canary-b")
        }.start()
        let recording = fleet.folder.appendingPathComponent("named.jsonl").path
        let run = try fleet.grayctl([
            "release", "--headless", "--config", config.path, "--max-duration", "40", "--record", recording,
            "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path,
        ])
        let rollback = FleetOfInstancesTests.rollback(run.stdout)
        #expect(rollback?.contains("127.0.0.3:\(admin)") == true, "the health rule names the killed instance: \(rollback ?? run.stdout + run.stderr)")
        let recorded = try RecordingReader.read(String(contentsOfFile: recording, encoding: .utf8))
        let lists = recorded.lines.compactMap { line -> [String]? in
            if case .instances(.canary, let ids) = line.entry { return ids }
            return nil
        }
        #expect(lists.first == ["127.0.0.2:\(admin)", "127.0.0.3:\(admin)"], "the instances Prometheus names: \(lists)")
        #expect(lists.allSatisfy { $0.contains("127.0.0.3:\(admin)") }, "the killed instance is never dropped while Prometheus has its target: \(lists)")
        let scrapeFailed = recorded.lines.contains { line in
            guard case .error(let subject, "metrics", let message) = line.entry else { return false }
            return subject.instance == "127.0.0.3:\(admin)" && message.contains("(up is 0)")
        }
        #expect(scrapeFailed, "Prometheus's up 0 for the killed instance is its own metrics error")
        let healthChecked = Set(recorded.lines.compactMap { line -> String? in
            if case .health(let subject, .serving, _) = line.entry, subject.target == .canary { return subject.instance }
            return nil
        })
        #expect(healthChecked == ["127.0.0.2:\(admin)", "127.0.0.3:\(admin)"], "each host health-checked at grpc_port")
    }
}

extension FleetProcesses {
    /// A stable order-service, two canaries on 127.0.0.2 and 127.0.0.3 listening on the same ports
    /// (returned: gRPC, admin), the gateway in front with bounded load, and Prometheus scraping all of
    /// it (jobs `router`, `orders-v1`, `orders-v2`).
    func startLoopbackCanaries() throws -> (grpc: Int, admin: Int, prometheus: PrometheusProcess) {
        try startService("stable", role: "stable", version: "v1")
        try startService("canary-a", role: "canary", version: "v2", host: "127.0.0.2")
        let port = { (address: String) in Int(address.split(separator: ":").last!)! }
        let (grpc, admin) = (port(addresses["canary-a"]!.grpc), port(addresses["canary-a"]!.admin))
        try startService("canary-b", role: "canary", version: "v2", host: "127.0.0.3", ports: (grpc, admin))
        try startGateway(stable: ["stable"], canary: ["canary-a", "canary-b"])
        startLoad(seconds: 40)
        let prometheus = try PrometheusProcess(
            jobs: [
                "router": [addresses["gateway"]!.admin], "orders-v1": [addresses["stable"]!.admin],
                "orders-v2": ["127.0.0.2:\(admin)", "127.0.0.3:\(admin)"],
            ], folder: folder)
        return (grpc, admin, prometheus)
    }
}
