import Foundation
import GrayCore
import Testing

/// The real binaries, started as processes: two order-services, the gateway, order-load, grayctl.
final class FleetProcesses: @unchecked Sendable {
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    private var processes: [Process] = []
    private var named: [String: Process] = [:]
    let folder: URL
    private(set) var addresses: [String: (grpc: String, admin: String)] = [:]

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-e2e-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("e2e-token".utf8).write(to: folder.appendingPathComponent("token"))
    }

    /// Starts `binary` (beside the tests, or at an `absolute` path) and waits for its
    /// "grpc=… admin=…" line.
    func start(_ name: String, _ binary: String, _ arguments: [String], absolute: Bool = false) throws {
        let process = Process()
        process.executableURL = absolute ? URL(fileURLWithPath: binary) : Self.binaries.appendingPathComponent(binary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        processes.append(process)
        named[name] = process
        var line: [UInt8] = []
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first, first != 0x0A else { break }
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        let field = { (key: String) in
            text.split(separator: " ").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) } ?? ""
        }
        addresses[name] = (field("grpc"), field("admin"))
    }

    /// Names of a version's instances: `stable`/`canary` for one, `stable-1`… for several.
    static func names(_ role: String, _ count: Int) -> [String] {
        count == 1 ? [role] : (1...count).map { "\(role)-\($0)" }
    }

    /// Starts `stable` and `canary` order-service instances, the gateway (round robin within a
    /// version), and bounded load through the gateway.
    func startFleet(loadSeconds: Int, stable: Int = 1, canary: Int = 1) throws {
        for (role, version, count) in [("stable", "v1", stable), ("canary", "v2", canary)] {
            for name in Self.names(role, count) { try startService(name, role: role, version: version) }
        }
        try startGateway(stable: Self.names("stable", stable), canary: Self.names("canary", canary))
        startLoad(seconds: loadSeconds)
    }

    /// Starts one order-service; `host` and `ports` (gRPC, admin) pin where it listens.
    func startService(_ name: String, role: String, version: String, host: String = "127.0.0.1", ports: (Int, Int) = (0, 0)) throws {
        let token = folder.appendingPathComponent("token").path
        try start(name, "order-service", [
            "--role", role, "--version", version, "--admin-token-file", token, "--drain-timeout", "1", "--host", host,
            "--grpc-port", "\(ports.0)", "--admin-port", "\(ports.1)",
        ])
    }

    /// Starts the gateway in front of the named instances.
    func startGateway(stable: [String], canary: [String]) throws {
        let token = folder.appendingPathComponent("token").path
        let upstreams = { (names: [String]) in names.map { self.addresses[$0]!.grpc }.joined(separator: ",") }
        try start("gateway", "order-gateway", [
            "--stable", upstreams(stable), "--canary", upstreams(canary), "--admin-token-file", token, "--drain-timeout", "1",
        ])
    }

    /// Bounded load through the gateway.
    func startLoad(seconds: Int) {
        startLoad(through: addresses["gateway"]!.grpc, seconds: seconds)
    }

    /// Bounded load through `target` (the gateway, or another engine).
    func startLoad(through target: String, seconds: Int) {
        let load = Process()
        load.executableURL = Self.binaries.appendingPathComponent("order-load")
        load.arguments = ["--target", target, "--concurrency", "4", "--rps", "200", "--duration", "\(seconds)"]
        load.standardOutput = FileHandle.nullDevice
        load.standardError = FileHandle.nullDevice
        try? load.run()
        processes.append(load)
    }

    /// Stops one named process: SIGTERM (it drains) or SIGKILL; waits for it.
    func stop(_ name: String, signal: Int32 = SIGTERM) {
        guard let process = named[name], process.isRunning else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Waits (up to `seconds`) until the gateway's weight is above 0.
    func waitForCanaryTraffic(seconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let weight = try? weight(), weight > 0 { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// A config for this fleet with a short plan (or `plan`, YAML flow style).
    func config(plan: String = "{steps: [10, 50, 100], bake: 2s, interval: 500ms}") throws -> String {
        let path = folder.appendingPathComponent("grayctl.yaml").path
        let yaml = """
            targets:
              router: {admin: "http://\(addresses["gateway"]!.admin)", kind: gateway}
              stable: {admin: "http://\(addresses["stable"]!.admin)", grpc: "\(addresses["stable"]!.grpc)"}
              canary: {admin: "http://\(addresses["canary"]!.admin)", grpc: "\(addresses["canary"]!.grpc)"}
            plan: \(plan)
            gates: {window: 5s, fast_window: 3s, min_requests: 20}
            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `grayctl release --headless` to completion.
    func release(extra: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
        try grayctl(["release", "--headless", "--config", try config(), "--max-duration", "40",
                     "--journal", folder.appendingPathComponent("journal.jsonl").path] + extra)
    }

    /// Runs grayctl with `arguments` to completion (the router token in its environment, plus
    /// `environment`), in `directory` when given; standard error goes through a file, so a long one
    /// never blocks the run.
    func grayctl(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = Self.binaries.appendingPathComponent("grayctl")
        process.arguments = arguments
        process.environment = ["GRAYCTL_ROUTER_TOKEN": "e2e-token"].merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        process.standardOutput = output
        let errors = folder.appendingPathComponent("stderr-\(UInt32.random(in: 0...UInt32.max)).txt")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), stderr)
    }

    /// POSTs (or `method`s) to an admin port with the token.
    func post(_ name: String, _ path: String, _ body: String, method: String = "POST") throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "-o", "/dev/null", "-X", method, "-H", "Authorization: Bearer e2e-token", "-d", body,
                             "http://\(addresses[name]!.admin)\(path)"]
        try process.run()
        process.waitUntilExit()
    }

    /// The gateway's weight.
    func weight() throws -> Int {
        let data = try Data(contentsOf: URL(string: "http://\(addresses["gateway"]!.admin)/admin/canary")!)
        return Int(try JSONParser.parse(String(decoding: data, as: UTF8.self))["weight"]?.number ?? -1)
    }

    func stop() {
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
        try? FileManager.default.removeItem(at: folder)
    }
}

@Suite("grayctl release --headless against the real fleet binaries", .serialized)
struct HeadlessReleaseTests {
    @Test("a healthy release promotes to 100 and exits 0; its recording replays to the same verdict")
    func healthy() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 40)
        let recording = fleet.folder.appendingPathComponent("live.jsonl").path
        let run = try fleet.release(extra: ["--record", recording])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.split(separator: "\n").last?.hasPrefix(#"{"verdict":"promoted","weight":100"#) == true)
        #expect(try fleet.weight() == 100)
        let replayed = try RecordingReader.read(String(contentsOfFile: recording, encoding: .utf8))
        #expect(replayed.lines.contains { if case .action = $0.entry { return true } else { return false } })
        #expect(replayed.lines.count > 20)
        let config = try ConfigLoader.load(String(contentsOfFile: try fleet.config(), encoding: .utf8))
        #expect(ReplayRunner.run(replayed, config: config).verdict == .promoted)
        let journal = try String(contentsOfFile: fleet.folder.appendingPathComponent("journal.jsonl").path, encoding: .utf8)
        for text in [run.stdout, try String(contentsOfFile: recording, encoding: .utf8), journal] {
            #expect(!text.contains("e2e-token"), "the router token leaked")
        }
    }

    @Test("a journal showing a release in flight stops grayctl from changing any weight until --resume, which continues at that weight")
    func inFlightJournal() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 30)
        try fleet.post("gateway", "/admin/canary", #"{"weight":10}"#, method: "PUT")
        let journal = fleet.folder.appendingPathComponent("journal.jsonl")
        let line = #"{"t":3.0,"kind":"action","action":"promote","by":"ana","reason":"operator ana promoted","weight":10}"# + "\n"
        try Data(line.utf8).write(to: journal)
        let refused = try fleet.release()
        #expect(refused.status == 2)
        #expect(try fleet.weight() == 10)
        let resumed = try fleet.release(extra: ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stdout)")
        let firstStep = resumed.stdout.split(separator: "\n").first { $0.contains(#""event":"step""#) }
        #expect(firstStep?.contains(#""from":10,"to":50"#) == true, "continued from the journalled 10%: \(resumed.stdout)")
        let journalled = try String(contentsOf: journal, encoding: .utf8)
        #expect(journalled.contains(#""action":"resume_journal""#))
    }

    @Test("a canary that starts failing is rolled back: exit 3, weight 0 at the gateway")
    func failing() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 40)
        let injector = Thread {
            Thread.sleep(forTimeInterval: 2)
            try? fleet.post("canary", "/admin/faults", #"{"error_ratio":0.5}"#)
        }
        injector.start()
        let run = try fleet.release()
        #expect(run.status == 3, "\(run.stdout)")
        #expect(run.stdout.contains(#""event":"rollback""#))
        #expect(try fleet.weight() == 0)
    }

    @Test("watch --headless judges but never changes the weight: a failing canary is only 'would roll back', exit 0")
    func watchIsReadOnly() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 20)
        try fleet.post("gateway", "/admin/canary", #"{"weight":50}"#, method: "PUT")
        #expect(try fleet.weight() == 50)
        try fleet.post("canary", "/admin/faults", #"{"error_ratio":0.5}"#)
        let run = try fleet.grayctl(["watch", "--headless", "--config", try fleet.config(), "--max-duration", "6"])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains(#""event":"hold","reason":"would roll back (watch only): canary "#), "a tripped gate (errors or the breaker the fault opens) is announced, not acted on")
        #expect(!run.stdout.contains(#""event":"rollback""#))
        #expect(try fleet.weight() == 50)
    }
}
