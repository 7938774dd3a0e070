import Foundation
import GrayCore
import GrayTesting
import Testing

/// `grayctl status` and `--metrics-listen` of the real binary, against the real fleet binaries.
@Suite("grayctl status and --metrics-listen, against the real fleet", .serialized)
struct StatusEndToEndTests {
    /// A free loopback port (bound, read, released).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var name = sockaddr_in()
        name.sin_family = sa_family_t(AF_INET)
        name.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &name) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &name) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: name.sin_port))
    }

    @Test("before, during and after a release: the router's weight and plan step, the journal's last decisions, the gates now; --json; nothing written")
    func status() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 40)
        let config = try fleet.config()
        let journal = fleet.folder.appendingPathComponent("journal.jsonl").path
        let before = try fleet.grayctl(["status", "--config", config, "--journal", journal, "--sample", "0"], environment: ["GRAYCTL_ROUTER_TOKEN": ""])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.hasPrefix("router     http://\(fleet.addresses["gateway"]!.admin): canary 0%, not started (0%)\n"), "\(before.stdout)")
        #expect(before.stdout.contains("journal    no entries"))
        let release = try fleet.release()
        #expect(release.status == 0, "\(release.stderr)")
        let after = try fleet.grayctl(["status", "--config", config, "--journal", journal, "--sample", "2", "--last", "3"])
        #expect(after.status == 0, "\(after.stderr)")
        let lines = after.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "router     http://\(fleet.addresses["gateway"]!.admin): canary 100%, step 3/3 (100%), completed", "\(after.stdout)")
        #expect(lines.contains("plan       10% → 50% → 100%, bake 2 s"))
        #expect(lines.contains { $0.hasPrefix("journal    the previous release was completed at 100%") }, "\(after.stdout)")
        #expect(lines.contains { $0.hasPrefix("           promote 100% by grayctl: ") }, "\(after.stdout)")
        #expect(lines.contains("gates      over 2 s sampled now (read-only):"))
        #expect(lines.contains { $0.hasPrefix("           health    PASS: ") }, "\(after.stdout)")
        #expect(lines.contains { $0.hasPrefix("           errors    ") }, "\(after.stdout)")
        let json = try JSONParser.parse(try fleet.grayctl(["status", "--config", config, "--journal", journal, "--sample", "0", "--json"]).stdout)
        #expect(json["router"]?["weight"] == .number(100))
        #expect(json["journal"]?["standing"] == .string("completed"))
        #expect(json["recent"]?.array?.compactMap { $0["action"]?.string } == ["promote", "promote", "promote", "complete"], "all four entries, under --last 5")
        #expect(try fleet.weight() == 100, "status wrote nothing")
    }

    @Test("--metrics-listen on the real binary: scraped while it watches, promtool-clean; a port in use is exit 2 naming it")
    func metricsListen() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 20)
        let port = try Self.freePort()
        let watch = Process()
        watch.executableURL = FleetProcesses.binaries.appendingPathComponent("grayctl")
        watch.arguments = ["watch", "--headless", "--config", try fleet.config(), "--max-duration", "8", "--metrics-listen", "127.0.0.1:\(port)"]
        watch.standardOutput = FileHandle.nullDevice
        watch.standardError = FileHandle.nullDevice
        try watch.run()
        defer { watch.terminate() }
        var text = ""
        for _ in 0..<60 where !text.contains("grayctl_last_observation_timestamp_seconds") {
            Thread.sleep(forTimeInterval: 0.1)
            text = (try? String(contentsOf: URL(string: "http://127.0.0.1:\(port)/metrics")!, encoding: .utf8)) ?? ""
        }
        #expect(text.contains("grayctl_canary_weight_percent 0\n"), "\(text)")
        #expect(text.contains(#"grayctl_release_phase{phase="waiting"} 1"#) || text.contains(#"grayctl_release_phase{phase="progressing"} 1"#), "\(text)")
        #expect(text.contains("grayctl_last_observation_timestamp_seconds "), "\(text)")
        let lint = try PromtoolCheck.run(text)
        #expect(lint.status == 0, "\(lint.output)")
        let taken = try fleet.grayctl(["watch", "--headless", "--config", try fleet.config(), "--max-duration", "2", "--metrics-listen", "127.0.0.1:\(port)"])
        #expect(taken.status == 2)
        #expect(taken.stderr.contains("--metrics-listen 127.0.0.1:\(port): cannot listen: Address already in use"), "\(taken.stderr)")
        watch.waitUntilExit()
        #expect(watch.terminationStatus == 0)
    }
}
