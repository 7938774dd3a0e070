import Foundation
import GrayCore
import Testing

/// The dashboard of the real `grayctl` binary in a tmux pane, against the real fleet binaries.
@Suite("grayctl dashboards end to end in tmux", .serialized)
struct DashboardEndToEndTests {
    /// After grayctl exits, the pane's shell prints its status and the terminal modes: a restored
    /// terminal is back in canonical mode with echo.
    static let afterExit = "; echo EXIT=$?; echo MODES $(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' ')END; sleep 60"

    /// How grayctl ended in `pane`: its exit status, whether the terminal was restored (canonical
    /// mode with echo), and the pane's text.
    static func ending(of pane: TmuxPane, within seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> (status: Int32?, restored: Bool, screen: String)
    {
        let screen = try pane.wait(seconds, for: "END", sourceLocation: sourceLocation)
        let status = screen.split(separator: "\n").first { $0.hasPrefix("EXIT=") }.flatMap { Int32($0.dropFirst(5)) }
        return (status, screen.contains("MODES icanon echo END"), screen)
    }

    static func grayctl(_ arguments: String) -> String {
        "TERM=tmux-256color " + FleetProcesses.binaries.appendingPathComponent("grayctl").path + " " + arguments + afterExit
    }

    /// Starts `fleet` with load and `grayctl release` against it (plan 5 → 10 → 100) in a pane.
    static func release(on fleet: FleetProcesses, autoAdvance: Bool, extra: String = "") throws -> TmuxPane {
        try fleet.startFleet(loadSeconds: 60)
        let config = try fleet.config(plan: "{steps: [5, 10, 100], bake: 2s, interval: 500ms, auto_advance: \(autoAdvance)}")
        return try TmuxPane(
            grayctl("release --config \(config) --journal \(fleet.folder.path)/journal.jsonl \(extra)"),
            environment: ["GRAYCTL_ROUTER_TOKEN": "e2e-token"])
    }

    @Test("release: p steps the router to 5 then 10, a failing canary is rolled back to 0 on screen and at the router, q restores the terminal")
    func promoteThenAutomaticRollback() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        let pane = try Self.release(on: fleet, autoAdvance: false)
        try pane.wait(15, for: "canary ready: p starts at 5%")
        try pane.send("p")
        try pane.wait(10, for: "canary 5%")
        #expect(try fleet.weight() == 5)
        try pane.wait(20, for: "auto-advance off: p promotes to 10%")
        try pane.send("p")
        try pane.wait(10, for: "canary 10%")
        #expect(try fleet.weight() == 10)
        let injected = Date()
        try fleet.post("canary", "/admin/faults", #"{"error_ratio":0.5}"#)
        let screen = try pane.wait(15, for: "ROLLED BACK")
        #expect(Date().timeIntervalSince(injected) < 10, "rollback within the fast window's bound")
        #expect(screen.contains("ROLLBACK 10% → 0%"))
        #expect(try fleet.weight() == 0)
        try pane.send("q")
        let end = try Self.ending(of: pane)
        #expect(end.status == 3 && end.restored, "\(end.screen)")
        #expect(!end.screen.contains("e2e-token"))
    }

    @Test("release: r asks, y rolls back; a resized pane redraws, a tiny one says so; q quits at once after the end")
    func rollbackKeyAndResize() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        let pane = try Self.release(on: fleet, autoAdvance: true, extra: "--theme light")
        try pane.wait(15, for: "canary 5%")
        try pane.send("r")
        try pane.wait(5, for: "Roll back the canary from")
        try pane.send("y")
        try pane.wait(10, for: "ROLLED BACK")
        #expect(try fleet.weight() == 0)
        try pane.resize(width: 200, height: 60)
        try pane.wait(5, for: "200-column layout") { $0.split(separator: "\n").first.map { $0.count > 150 } ?? false }
        try pane.resize(width: 60, height: 20)
        try pane.wait(5, for: "terminal too small: 60×20")
        try pane.resize(width: 80, height: 24)
        try pane.wait(5, for: "ROLLED BACK")
        try pane.send("q")
        let end = try Self.ending(of: pane)
        #expect(end.status == 3 && end.restored, "\(end.screen)")
    }

    @Test("Ctrl-C mid-release restores the terminal and leaves the weight where it was (exit 4); TERM=dumb is refused (exit 2)")
    func interruptAndDumbTerminal() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        // Step-through: nothing moves the weight but the operator, so 5% is where Ctrl-C finds it.
        let pane = try Self.release(on: fleet, autoAdvance: false)
        try pane.wait(15, for: "canary ready: p starts at 5%")
        try pane.send("p")
        try pane.wait(10, for: "canary 5%")
        try pane.send("C-c")
        let end = try Self.ending(of: pane)
        #expect(end.status == 4 && end.restored, "\(end.screen)")
        #expect(end.screen.contains("the release is still in flight at 5%"))
        #expect(try fleet.weight() == 5)
        let dumb = try TmuxPane(Self.grayctl("watch --config \(try fleet.config())").replacingOccurrences(of: "TERM=tmux-256color", with: "TERM=dumb"))
        let refused = try Self.ending(of: dumb)
        #expect(refused.status == 2 && refused.screen.contains("TERM=dumb cannot address the cursor"))
    }

    @Test("watch honours NO_COLOR (attributes, no colours); SIGTERM restores the terminal and exits 0")
    func noColorAndSigterm() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 30)
        let config = try fleet.config()
        let pane = try TmuxPane(Self.grayctl("watch --config \(config)"), environment: ["NO_COLOR": "1"])
        try pane.wait(15, for: "WATCHING")
        let colours = try pane.screen(escapes: true)
        #expect(colours.contains("\u{1B}["), "attributes are still drawn")
        // Any SGR that sets a colour (30–37, 40–47, 90–97, 100–107, 38;…, 48;…); 39/49 only reset to the default.
        let setsColour = /\u{1B}\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)[;m]/
        #expect(!colours.contains(setsColour), "no colour under NO_COLOR")
        #expect(Self.signal(SIGTERM, "grayctl watch --config \(config)"))
        let end = try Self.ending(of: pane)
        #expect(end.status == 0 && end.restored, "\(end.screen)")
    }

    @Test("demo: one command starts the fleet, the canary steps up by itself, f makes it fail and it is rolled back, q stops every child")
    func demo() throws {
        let pane = try TmuxPane(Self.grayctl("demo"), width: 120, height: 35)
        try pane.wait(60, for: "step 0% → 5%")
        try pane.send("f")
        try pane.wait(20, for: "ROLLED BACK")
        try pane.wait(5, for: "demo: canary now fails 50% of calls")
        try pane.send("q")
        let end = try Self.ending(of: pane, within: 15)
        #expect(end.status == 3 && end.restored, "\(end.screen)")
        #expect(end.screen.contains("grayctl demo: stopping the fleet"))
        let folder = try #require(end.screen.split(separator: "\n").first { $0.contains("logs stay in") }.flatMap { $0.split(separator: " ").last }.map { String($0.dropLast()) })
        for member in ["stable", "canary", "gateway", "load"] {
            let log = (try? String(contentsOfFile: "\(folder)/\(member).log", encoding: .utf8)) ?? ""
            #expect(!log.isEmpty || member == "load", "\(member) wrote a log")
        }
        #expect(!Self.running("grayctl-demo"), "no child of the demo is left running")
    }

    @Test("demo --instances 3 --prometheus: Debian's Prometheus feeds the release, the health panel counts instances, i lists them, f breaks canary-1 and the rollback names it")
    func demoOfInstances() throws {
        let pane = try TmuxPane(Self.grayctl("demo --instances 3 --prometheus"), width: 160, height: 45)
        try pane.wait(90, for: "step 0% → 5%")
        try pane.wait(10, for: "canary  3/3 SERVING")
        try pane.send("i")
        try pane.wait(10, for: "instances · 1–6 of 6")
        let list = try pane.screen()
        for name in ["stable-1", "stable-2", "stable-3", "canary-1", "canary-2", "canary-3"] {
            #expect(list.contains(name), "\(name) listed: \(list)")
        }
        try pane.send("i")
        try pane.send("f")
        try pane.wait(30, for: "ROLLED BACK")
        try pane.wait(5, for: "demo: canary-1 now fails 50% of calls")
        let screen = try pane.screen()
        // The reason wraps inside the weight panel at this size: read it to the panel's bottom border.
        let lines = screen.split(separator: "\n").map(String.init)
        let first = try #require(lines.firstIndex { $0.contains("rolled back: ") }, "\(screen)")
        let panel = lines[first...].prefix { !$0.contains("└") }
        let reason = panel.map { $0.replacingOccurrences(of: "│", with: " ").trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(reason.contains("worst canary-1") || reason.contains("canary canary-1 breaker"), "the rollback names the failing instance: \(reason)")
        try pane.send("q")
        let end = try Self.ending(of: pane, within: 15)
        #expect(end.status == 3 && end.restored, "\(end.screen)")
        #expect(!Self.running("grayctl-demo"), "no child of the demo is left running, Prometheus included")
    }

    @Test("demo --router envoy|haproxy: the real engine carries the traffic, the canary steps up, f rolls it back, q stops every child, the engine included", arguments: ["envoy", "haproxy"])
    func demoThroughEngine(router: String) throws {
        let pane = try TmuxPane(Self.grayctl("demo --router \(router)"), width: 120, height: 35)
        try pane.wait(60, for: "step 0% → 5%")
        try pane.send("f")
        try pane.wait(30, for: "ROLLED BACK")
        try pane.send("q")
        let end = try Self.ending(of: pane, within: 15)
        #expect(end.status == 3 && end.restored, "\(end.screen)")
        #expect(end.screen.contains("starting \(router) on 127.0.0.1:"), "\(end.screen)")
        #expect(!Self.running("grayctl-demo"), "no child of the demo is left running, \(router) included")
    }

    /// Sends `signal` to the newest process whose command line contains `text`; true when sent.
    static func signal(_ signal: Int32, _ text: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pkill", "-\(signal)", "-n", "-f", text]
        try? process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// True when a process whose command line contains `text` runs.
    static func running(_ text: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pgrep", "-f", text]
        process.standardOutput = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
