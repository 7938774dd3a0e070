import Foundation
import GrayCore
import Testing

/// Fault drills against the real binaries: the reference fleet, `grayctl release`, and
/// `Tests/interop/drill_proxy.py` in front of one real admin port (the gateway's or the canary's),
/// passing everything through until a drill switches a fault on. Each drill asserts what the
/// operator sees, the router's final weight and the journal.
@Suite("fault drills: a router down mid-rollback, a router that ignores writes, a canary's metrics hung, slow, cut and garbled, the journal's disk failing", .serialized)
struct FaultDrillTests {
    static let proxy = CommandLineTests.root.appendingPathComponent("Tests/interop/drill_proxy.py").path

    /// Starts the fleet with `loadSeconds` of load and a drill proxy (`drill-NAME`) in front of
    /// each of `proxied`'s admin ports (`gateway`, `canary`); a config with `plan` and `gates` that
    /// reaches them through their proxies.
    static func start(_ fleet: FleetProcesses, loadSeconds: Int, proxied: [String], plan: String, gates: String? = nil) throws -> String {
        try fleet.startFleet(loadSeconds: loadSeconds)
        let path = try fleet.config(plan: plan)
        var yaml = try String(contentsOfFile: path, encoding: .utf8)
        for upstream in proxied {
            try fleet.start("drill-\(upstream)", "/usr/bin/env", ["python3", proxy, fleet.addresses[upstream]!.admin], absolute: true)
            let key = upstream == "gateway" ? "router" : upstream
            let proxiedURL = "http://\(fleet.addresses["drill-\(upstream)"]!.admin)"
            yaml = yaml.replacingOccurrences(
                of: "\(key): {admin: \"http://\(fleet.addresses[upstream]!.admin)\"", with: "\(key): {admin: \"\(proxiedURL)\"")
            #expect(yaml.contains(proxiedURL), "the config reaches \(upstream) through its drill proxy: \(yaml)")
        }
        if let gates { yaml = yaml.replacingOccurrences(of: "gates: {window: 5s, fast_window: 3s, min_requests: 20}", with: "gates: \(gates)") }
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Switches a drill on at `upstream`'s proxy (`/drill/outage?seconds=30`, `/drill/ignore`,
    /// `/drill/metrics?mode=hang`).
    static func drill(_ fleet: FleetProcesses, _ upstream: String, _ path: String) throws {
        try fleet.post("drill-\(upstream)", path, "")
    }

    /// The log of `upstream`'s drill proxy: one proxied request a line.
    static func proxyLog(_ fleet: FleetProcesses, _ upstream: String) throws -> [String] {
        let data = try Data(contentsOf: URL(string: "http://\(fleet.addresses["drill-\(upstream)"]!.admin)/drill/log")!)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// `grayctl release --headless` started and left running (to be killed), its output discarded.
    static func releaseInBackground(config: String, journal: String) throws -> Process {
        let process = Process()
        process.executableURL = FleetProcesses.binaries.appendingPathComponent("grayctl")
        process.arguments = ["release", "--headless", "--config", config, "--max-duration", "60", "--journal", journal]
        process.environment = ["GRAYCTL_ROUTER_TOKEN": "e2e-token"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func journal(_ fleet: FleetProcesses) -> [String] {
        SignalDrillTests.journalActions(fleet.folder.appendingPathComponent("journal.jsonl").path)
    }

    @Test("the router answers 500 for 30 s as a rollback falls due: shouted and re-sent every round, it lands once the router recovers (exit 3, weight 0, journal rollback then confirmed)")
    func routerDownMidRollback() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        let config = try Self.start(fleet, loadSeconds: 90, proxied: ["gateway"], plan: "{steps: [50, 100], bake: 120s, interval: 500ms}")
        let outage = Thread {
            guard fleet.waitForCanaryTraffic(seconds: 30) else { return }
            Thread.sleep(forTimeInterval: 2)
            try? Self.drill(fleet, "gateway", "/drill/outage?seconds=30")
            try? fleet.post("canary", "/admin/faults", #"{"error_ratio":0.5}"#)
        }
        outage.start()
        let started = Date()
        let run = try fleet.grayctl([
            "release", "--headless", "--config", config, "--max-duration", "80",
            "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path,
        ])
        #expect(run.status == 3, "rolled back once the router answered again: \(run.stdout)\n\(run.stderr)")
        #expect(Date().timeIntervalSince(started) > 30, "not before the 30 s outage ended")
        #expect(run.stdout.contains(#""event":"rollback""#), "\(run.stdout)")
        #expect(run.stderr.contains("ROLLBACK NOT APPLIED"), "shouted while the router refused: \(run.stderr)")
        #expect(try fleet.weight() == 0, "the rollback landed at the router")
        let journal = Self.journal(fleet)
        #expect(journal.first == "promote 50" && journal.suffix(2) == ["rollback 0", "rollback_confirmed 0"], "\(journal)")
        let puts = try Self.proxyLog(fleet, "gateway").filter { $0.hasPrefix("PUT ") }
        let refused = puts.filter { $0.hasSuffix("500 refused") }.count
        #expect(refused >= 10, "the rollback was re-sent round after round while the router refused it: \(puts)")
        #expect(puts.last?.contains("200 forwarded") == true, "then it landed: \(puts)")
    }

    @Test("a router that accepts a weight and keeps reporting the old one: never counted as a step (promote_failed), the weight stays 0, exit 4")
    func routerIgnoresWrites() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        let config = try Self.start(fleet, loadSeconds: 30, proxied: ["gateway"], plan: "{steps: [10, 100], bake: 2s, interval: 500ms}")
        try Self.drill(fleet, "gateway", "/drill/ignore")
        // The preflight sees the router answer 200 to a weight of -1 (the gateway's contract is 400):
        // a failed check, overridden here to drill what the release does with such a router.
        let run = try fleet.grayctl([
            "release", "--headless", "--config", config, "--max-duration", "8", "--force",
            "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path,
        ])
        #expect(run.stderr.contains("check: FAIL router writes: not tested: HTTP 200 from http://"), "\(run.stderr)")
        #expect(run.stderr.contains("to a PUT of weight -1, which the gateway's contract refuses with 400: this router may have taken it — check its weight"), "\(run.stderr)")
        #expect(run.status == 4, "unfinished at --max-duration: \(run.stdout)\n\(run.stderr)")
        #expect((run.stdout + run.stderr).contains("router reads 0% after grayctl sent 10%"), "\(run.stdout)\n\(run.stderr)")
        #expect(!run.stdout.contains(#""event":"step""#), "no step was counted: \(run.stdout)")
        #expect(try fleet.weight() == 0)
        let journal = Self.journal(fleet)
        #expect(!journal.isEmpty && journal.last == "promote_failed 0", "every promotion the router did not take is journalled as failed: \(journal)")
        #expect(try Self.proxyLog(fleet, "gateway").contains { $0.hasPrefix("PUT ") && $0.hasSuffix("ignored") })
    }

    @Test("grayctl killed with SIGKILL mid-release, restarted: refused without --resume, then resumed at the journalled step; journal and router agree, and no step is sent twice")
    func killedAndResumed() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        let config = try Self.start(fleet, loadSeconds: 60, proxied: ["gateway"], plan: "{steps: [10, 50, 100], bake: 4s, interval: 500ms}")
        let journal = fleet.folder.appendingPathComponent("journal.jsonl").path
        let first = try Self.releaseInBackground(config: config, journal: journal)
        let stepped = SignalDrillTests.waitUntil(30) { (try? fleet.weight()) == 10 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        try #require(stepped, "the release reached its first step")
        #expect(first.terminationReason == .uncaughtSignal)
        #expect(try fleet.weight() == 10 && Self.journal(fleet) == ["promote 10"], "killed mid-bake: journal and router agree at 10%")
        let refused = try fleet.grayctl(["release", "--headless", "--config", config, "--max-duration", "30", "--journal", journal])
        #expect(refused.status == 2 && refused.stderr.contains("in flight at 10%"), "\(refused.stderr)")
        #expect(try fleet.weight() == 10, "nothing changed until told")
        let resumed = try fleet.grayctl(["release", "--headless", "--config", config, "--max-duration", "40", "--journal", journal, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(try fleet.weight() == 100)
        #expect(Self.journal(fleet).filter { $0.hasPrefix("promote ") } == ["promote 10", "promote 50", "promote 100"], "\(Self.journal(fleet))")
        let puts = try Self.proxyLog(fleet, "gateway").filter { $0.hasPrefix("PUT ") }
        let probes = puts.filter { $0.hasSuffix(#"{"weight":-1}"#) }
        #expect(probes.count == 1 && probes.allSatisfy { $0.contains(" 400 ") }, "the fresh start's preflight probe was refused, changing nothing; --resume runs none: \(probes)")
        #expect(puts.filter { !probes.contains($0) }.map { $0.split(separator: " ").last.map(String.init) ?? "" } == [#"{"weight":10}"#, #"{"weight":50}"#, #"{"weight":100}"#],
                "each step sent once, the journalled 10% never again: \(puts)")
    }

    @Test("grayctl killed while its first step is in flight (journalled, the router's write never landing): refused without --resume; --resume sees the step never landed, resumes at the router's 0% and takes it again once; no weight written twice")
    func killedWithAWriteInFlight() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        let config = try Self.start(fleet, loadSeconds: 60, proxied: ["gateway"], plan: "{steps: [10, 50, 100], bake: 3s, interval: 500ms}")
        let journal = fleet.folder.appendingPathComponent("journal.jsonl").path
        try Self.drill(fleet, "gateway", "/drill/hold")
        let first = try Self.releaseInBackground(config: config, journal: journal)
        let held = SignalDrillTests.waitUntil(30) { ((try? Self.proxyLog(fleet, "gateway")) ?? []).contains { $0.contains("held") } }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        try #require(held, "the first step's write reached the router and was held there")
        try Self.drill(fleet, "gateway", "/drill/clear")
        #expect(Self.journal(fleet) == ["promote 10"], "the step was journalled before it was sent")
        #expect(try fleet.weight() == 0, "the write never landed")
        let refused = try fleet.grayctl(["release", "--headless", "--config", config, "--max-duration", "30", "--journal", journal])
        #expect(refused.status == 2 && refused.stderr.contains("in flight at 10%"), "\(refused.stderr)")
        #expect(try fleet.weight() == 0, "nothing changed until told")
        let resumed = try fleet.grayctl(["release", "--headless", "--config", config, "--max-duration", "40", "--journal", journal, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stdout)\n\(resumed.stderr)")
        #expect(resumed.stderr.contains("the journalled step to 10% never reached the router (it reads 0%, the weight before that step): resuming at 0%"), "\(resumed.stderr)")
        #expect(try fleet.weight() == 100)
        let forwarded = try Self.proxyLog(fleet, "gateway").filter { $0.hasPrefix("PUT ") && $0.contains("forwarded") }
            .map { $0.split(separator: " ").last.map(String.init) ?? "" }.filter { $0 != #"{"weight":-1}"# }
        #expect(forwarded == [#"{"weight":10}"#, #"{"weight":50}"#, #"{"weight":100}"#], "the step that never landed is sent again, once; no weight twice: \(forwarded)")
    }

    @Test("the canary's /metrics hung, slow under the 500 ms timeout (300 ms), over it (700 ms), cut, garbage (its router exports none): no step while it is missing, the first once it answers, each failure recorded by name, a rollback once stale")
    func canaryMetricsFaults() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        // The read timeout is the interval (500 ms): 300 ms answers in time, 700 ms never does. The
        // router exports no metrics, so the canary's own /metrics is the only view of its traffic.
        let config = try Self.start(
            fleet, loadSeconds: 60, proxied: ["gateway", "canary"], plan: "{steps: [5, 10, 100], bake: 60s, interval: 500ms}",
            gates: "{window: 5s, fast_window: 3s, min_requests: 20, stale_hold: 2s, stale_rollback: 12s}")
        try Self.drill(fleet, "gateway", "/drill/metrics?mode=absent")
        try Self.drill(fleet, "canary", "/drill/metrics?mode=hang")
        let weights = Weights(fleet)
        let drills = Thread {
            Thread.sleep(forTimeInterval: 4)
            weights.note("hung")
            try? Self.drill(fleet, "canary", "/drill/metrics?mode=delay:300")
            Thread.sleep(forTimeInterval: 4)
            weights.note("in time")
            for mode in ["delay:700", "cut", "garbage"] {
                try? Self.drill(fleet, "canary", "/drill/metrics?mode=\(mode)")
                Thread.sleep(forTimeInterval: 3)
            }
        }
        drills.start()
        let recording = fleet.folder.appendingPathComponent("drill.jsonl").path
        // The preflight fails on the hung metrics; forced, to drill what the release does with them.
        let run = try fleet.grayctl([
            "release", "--headless", "--config", config, "--max-duration", "45", "--record", recording, "--force",
            "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path,
        ])
        #expect(run.status == 3, "rolled back for stale metrics: \(run.stdout)\n\(run.stderr)")
        #expect(weights.seen == ["hung": 0, "in time": 5], "no step while the canary's metrics hung; the first once they answered in time")
        let events = run.stdout.split(separator: "\n")
        #expect(events.contains { $0.contains(#""event":"hold""#) && $0.contains("no canary metrics yet") && $0.contains("curl error 28") }, "\(run.stdout)")
        let rollback = try #require(events.first { $0.contains(#""event":"rollback""#) }, "\(run.stdout)")
        #expect(rollback.contains("canary metrics stale for") && rollback.contains("> 12 s"), "rolled back because the canary's metrics went stale: \(rollback)")
        #expect(try fleet.weight() == 0)
        #expect(Self.journal(fleet) == ["promote 5", "rollback 0", "rollback_confirmed 0"], "\(Self.journal(fleet))")
        #expect(rollback.contains("bad exposition"), "the last failure, the garbage, is named: \(rollback)")
        let recorded = try String(contentsOfFile: recording, encoding: .utf8).split(separator: "\n").filter { $0.contains(#""target":"canary""#) }
        let errors = recorded.filter { $0.contains(#""kind":"error""#) && $0.contains(#""endpoint":"metrics""#) }
        for failure in ["Timeout was reached (curl error 28)", "Transferred a partial file (curl error 18)"] {
            #expect(errors.contains { $0.contains(failure) }, "the canary's metrics failing with \(failure) is recorded: \(errors.suffix(3))")
        }
        #expect(recorded.contains { $0.contains(#""kind":"metrics""#) && $0.contains("not metrics</html>") }, "the garbage answer is recorded as it came, so a replay judges it the same")
        let log = try Self.proxyLog(fleet, "canary")
        for how in ["hung", "delayed 300 ms", "delayed 700 ms", "cut", "garbage"] {
            #expect(log.contains { $0.hasPrefix("GET /metrics") && $0.hasSuffix(how) }, "the proxy served \(how): \(log.suffix(5))")
        }
    }

    @Test("the journal's disk failing mid-run (after a good entry, the kernel refuses its writes: the file-size limit set to the journal's size, EFBIG): the dashboard shouts, no weight changes without its entry; q, y exits 4")
    func journalDiskFailing() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 40)
        let config = try fleet.config(plan: "{steps: [5, 10, 100], bake: 2s, interval: 500ms, auto_advance: true}")
        let journal = fleet.folder.appendingPathComponent("journal.jsonl").path
        let pane = try TmuxPane(
            "trap '' XFSZ; " + DashboardEndToEndTests.grayctl("release --config \(config) --journal \(journal)"),
            width: 120, height: 35, environment: ["GRAYCTL_ROUTER_TOKEN": "e2e-token"])
        try #require(SignalDrillTests.waitUntil(30) { (try? fleet.weight()) == 5 }, "the first step landed")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int)
        #expect(Self.journal(fleet) == ["promote 5"])
        let limit = Process()
        limit.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Anchored at the binary's path: the shells around it (this one, the pane's) mention it too.
        limit.arguments = ["sh", "-c", "prlimit --pid \"$(pgrep -n -f '^[^ ]*/grayctl release --config \(config)')\" --fsize=\(size)"]
        try limit.run()
        limit.waitUntilExit()
        try #require(limit.terminationStatus == 0, "the file-size limit was set on the running grayctl")
        try pane.wait(30, for: "JOURNAL WRITE FAILED")
        Thread.sleep(forTimeInterval: 3)
        #expect(try fleet.weight() == 5, "the step it could not journal was not sent")
        #expect(Self.journal(fleet) == ["promote 5"], "nothing reached the journal after the failure")
        try pane.send("q")
        try pane.wait(5, for: "y/n")
        try pane.send("y")
        let end = try DashboardEndToEndTests.ending(of: pane)
        #expect(end.status == 4 && end.restored, "\(end.screen)")
    }

    /// The gateway's weight at named moments of a drill.
    final class Weights: @unchecked Sendable {
        private let fleet: FleetProcesses
        private let lock = NSLock()
        private var moments: [String: Int] = [:]

        init(_ fleet: FleetProcesses) { self.fleet = fleet }

        func note(_ moment: String) {
            let weight = (try? fleet.weight()) ?? -1
            lock.withLock { moments[moment] = weight }
        }

        var seen: [String: Int] { lock.withLock { moments } }
    }
}
