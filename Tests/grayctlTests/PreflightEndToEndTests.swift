import Foundation
import GrayCore
import Testing

/// `grayctl check` and the preflight `grayctl release` runs first, against the real fleet binaries
/// (two order-services, the gateway, bounded load).
@Suite("grayctl check and the release's preflight, against the real fleet", .serialized)
struct PreflightEndToEndTests {
    /// The gateway's generation: a check that wrote anything would have moved it.
    static func generation(_ fleet: FleetProcesses) throws -> Double {
        let data = try Data(contentsOf: URL(string: "http://\(fleet.addresses["gateway"]!.admin)/admin/canary")!)
        return try #require(try JSONParser.parse(String(decoding: data, as: UTF8.self))["generation"]?.number)
    }

    /// The fleet's config with `canary` (YAML flow keys added to targets.canary) and `extra` lines.
    static func config(_ fleet: FleetProcesses, canary: String = "", extra: String = "") throws -> String {
        let path = fleet.folder.appendingPathComponent("check.yaml").path
        let yaml = """
            targets:
              router: {admin: "http://\(fleet.addresses["gateway"]!.admin)", kind: gateway}
              stable: {admin: "http://\(fleet.addresses["stable"]!.admin)", grpc: "\(fleet.addresses["stable"]!.grpc)"}
              canary: {admin: "http://\(fleet.addresses["canary"]!.admin)", grpc: "\(fleet.addresses["canary"]!.grpc)"\(canary)}
            plan: {steps: [10, 50, 100], bake: 2s, interval: 500ms}
            gates: {window: 5s, fast_window: 3s, min_requests: 20}
            \(extra)
            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("ready fleet: exit 0, one line a check, JSON too; without the token the router's writes are CRIT (exit 1); nothing written either way")
    func check() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 20)
        Thread.sleep(forTimeInterval: 1)
        let config = try Self.config(fleet)
        let before = try Self.generation(fleet)
        let ready = try fleet.grayctl(["check", "--config", config])
        #expect(ready.status == 0, "\(ready.stdout)\(ready.stderr)")
        let lines = ready.stdout.split(separator: "\n")
        #expect(lines.first == "ok   router: gateway http://\(fleet.addresses["gateway"]!.admin) reads canary weight 0%")
        #expect(lines.contains("ok   router writes: the gateway accepted the token (a PUT of weight -1, refused as out of range: nothing changed)"))
        #expect(lines.contains("ok   canary health: 1/1 SERVING"))
        #expect(lines.contains { $0.hasPrefix("ok   stable metrics: 1 of 1 read from /metrics") })
        #expect(lines.contains { $0.hasPrefix("ok   canary breakers: 2 observed") })
        #expect(lines.contains(#"ok   router metrics: grpc_client_handled_total{upstream="stable"} present: the versions' traffic is judged at the router (canary: no request routed yet)"#), "\(ready.stdout)")
        #expect(lines.last?.hasPrefix("ready: 13 checks") == true, "\(ready.stdout)")
        let json = try JSONParser.parse(try fleet.grayctl(["check", "--config", config, "--json"]).stdout)
        #expect(json["ready"] == .bool(true))
        #expect(json["checks"]?.array?.count == 13)

        let tokenless = try fleet.grayctl(["check", "--config", config], environment: ["GRAYCTL_ROUTER_TOKEN": ""])
        #expect(tokenless.status == 1)
        #expect(tokenless.stdout.contains("CRIT router writes: refused: HTTP 401 from http://\(fleet.addresses["gateway"]!.admin)/admin/canary"), "\(tokenless.stdout)")
        #expect(tokenless.stdout.contains("(critical: a release will not start even with --force)"))
        #expect(try Self.generation(fleet) == before, "a check changes nothing at the router")
        #expect(try fleet.weight() == 0)
        #expect(!ready.stdout.contains("e2e-token") && !ready.stderr.contains("e2e-token"))

        let badConfig = try fleet.grayctl(["check", "--config", fleet.folder.appendingPathComponent("missing.yaml").path])
        #expect(badConfig.status == 2)
        #expect(badConfig.stderr.contains("cannot read config"))
    }

    @Test("a release from 0% does not start on a failed check (exit 1, nothing journalled or written); --force starts it; a critical check stops even --force")
    func releaseGate() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 30)
        Thread.sleep(forTimeInterval: 1)
        // The canary's breakers read from a gauge the service does not have: a release would hold.
        let config = try Self.config(fleet, canary: ", breakers: gauge", extra: "metrics: {breaker_state: orders_breaker_state}")
        let journal = fleet.folder.appendingPathComponent("journal.jsonl").path
        let refused = try fleet.grayctl(["release", "--headless", "--config", config, "--journal", journal, "--max-duration", "5"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("grayctl: check: FAIL canary breakers: breakers: gauge, but no orders_breaker_state in the metrics"), "\(refused.stderr)")
        #expect(refused.stderr.contains("not starting: 1 check to fix; --force starts anyway if you know why"))
        #expect(refused.stdout.isEmpty, "no decision was made")
        #expect(try fleet.weight() == 0)
        #expect((try? String(contentsOfFile: journal, encoding: .utf8))?.contains("promote") != true)

        let forced = try fleet.grayctl(["release", "--headless", "--config", config, "--journal", journal, "--max-duration", "4", "--force"])
        #expect(forced.status == 4, "started, then held on the unreadable breakers until --max-duration: \(forced.stderr)")
        #expect(forced.stderr.contains("check: FAIL canary breakers"))
        #expect(forced.stdout.contains(#""verdict":"in_progress""#), "\(forced.stdout)")

        fleet.stop("canary", signal: SIGKILL)
        let critical = try fleet.grayctl(["release", "--headless", "--config", try Self.config(fleet), "--journal", journal, "--new-release", "--force"])
        #expect(critical.status == 1)
        #expect(critical.stderr.contains("check: CRIT canary health: 0/1 SERVING; canary unreachable"), "\(critical.stderr)")
        #expect(critical.stderr.contains("not starting: 1 check to fix (critical: --force does not override it)"), "\(critical.stderr)")
        #expect(try fleet.weight() == 0)
    }
}
