import Foundation
import GrayCore
import Testing

/// Fault drills: the real `grayctl` in a tmux pane interrupted by each signal an operator's session
/// can send it — SIGINT, SIGTERM, SIGHUP, and the terminal itself closing — against the real fleet.
@Suite("signal drills: grayctl interrupted, the terminal restored, the weight and the journal kept, no child left", .serialized)
struct SignalDrillTests {
    typealias Dashboard = DashboardEndToEndTests

    /// The journal's entries (one JSON object a line) as `action weight`.
    static func journalActions(_ path: String) -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let entry = try? JSONParser.parse(String(line)), let action = entry["action"]?.string else { return nil }
            return action + " " + (entry["weight"]?.number.map { JSONWriter.number($0) } ?? "-")
        }
    }

    @Test("SIGHUP mid-release (the operator's session hung up): exit 4, terminal restored, the weight and the journal left at 5%", arguments: [SIGHUP, SIGTERM])
    func hangUpMidRelease(signal: Int32) throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        let pane = try Dashboard.release(on: fleet, autoAdvance: false)
        try pane.wait(15, for: "canary ready: p starts at 5%")
        try pane.send("p")
        try pane.wait(10, for: "canary 5%")
        #expect(Dashboard.signal(signal, "grayctl release --config"))
        let end = try Dashboard.ending(of: pane)
        #expect(end.status == 4 && end.restored, "\(end.screen)")
        #expect(end.screen.contains("the release is still in flight at 5%"), "\(end.screen)")
        #expect(try fleet.weight() == 5)
        let actions = Self.journalActions("\(fleet.folder.path)/journal.jsonl")
        #expect(actions == ["promote 5"], "the journal holds the one step and nothing after it: \(actions)")
    }

    @Test("the demo's terminal closed (tmux session killed): grayctl stops the fleet and exits, no child left")
    func demoTerminalClosed() throws {
        let pane = try TmuxPane(Dashboard.grayctl("demo"), width: 120, height: 35)
        try pane.wait(60, for: "step 0% → 5%")
        let children = Self.demoChildren()
        #expect(children.count == 4, "two order-services, the gateway and order-load: \(children)")
        try pane.close()
        let gone = Self.waitUntil(15) { !children.contains(where: Self.alive) && !Dashboard.running("debug/grayctl demo") }
        #expect(gone, "grayctl demo and every child of it are gone once its terminal closed: \(children.filter(Self.alive))")
    }

    @Test("SIGTERM to the demo mid-release: exit 4, terminal restored, no child left")
    func demoTerminated() throws {
        let pane = try TmuxPane(Dashboard.grayctl("demo"), width: 120, height: 35)
        try pane.wait(60, for: "step 0% → 5%")
        let children = Self.demoChildren()
        #expect(children.count == 4, "two order-services, the gateway and order-load: \(children)")
        #expect(Dashboard.signal(SIGTERM, "grayctl demo"))
        let end = try Dashboard.ending(of: pane, within: 15)
        #expect(end.status == 4 && end.restored, "\(end.screen)")
        #expect(end.screen.contains("grayctl demo: stopping the fleet"), "\(end.screen)")
        #expect(!children.contains(where: Self.alive), "no child of the demo is left running: \(children.filter(Self.alive))")
    }

    @Test("SIGINT while the demo's fleet starts (Prometheus, its slowest member, not ready yet): it stops starting, stops what started, exits 2 saying so")
    func demoInterruptedWhileStarting() throws {
        let pane = try TmuxPane(Dashboard.grayctl("demo --prometheus"), width: 120, height: 35)
        try pane.wait(30, for: "grayctl demo: starting prometheus")
        let children = Self.demoChildren()
        #expect(Dashboard.signal(SIGINT, "grayctl demo"))
        let end = try Dashboard.ending(of: pane, within: 15)
        #expect(end.status == 2 && end.restored, "\(end.screen)")
        #expect(end.screen.contains("interrupted while the demo fleet was starting"), "\(end.screen)")
        #expect(children.count >= 4, "the fleet had started before Prometheus: \(children)")
        #expect(!children.contains(where: Self.alive), "no child of the demo is left running: \(children.filter(Self.alive))")
    }

    /// The children of the newest `grayctl demo` process now (the fleet's servers, order-load,
    /// Prometheus), by process ID.
    static func demoChildren() -> [pid_t] {
        func pgrep(_ arguments: [String]) -> [pid_t] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["pgrep"] + arguments
            let output = Pipe()
            process.standardOutput = output
            try? process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { pid_t($0) }
        }
        guard let demo = pgrep(["-n", "-f", "debug/grayctl demo"]).first else { return [] }
        return pgrep(["-P", "\(demo)"])
    }

    /// Whether `pid` still runs (a zombie waiting to be reaped does not).
    static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return stat.split(separator: ")").last?.split(separator: " ").first != "Z"
    }

    /// Polls `condition` every 200 ms for up to `seconds`; whether it held.
    static func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return condition()
    }
}
