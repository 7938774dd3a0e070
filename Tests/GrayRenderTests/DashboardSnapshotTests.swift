import Foundation
import GrayCore
import GrayRender
import Testing

@Suite("dashboard screens as text snapshots (fixtures/screens)")
struct DashboardSnapshotTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let recording: String
        let until: Double
        var description: String { name }
    }

    static let states = [
        Case(name: "progressing", recording: "healthy.jsonl", until: 50),
        Case(name: "holding", recording: "noisy-low-traffic.jsonl", until: 90),
        Case(name: "rolled-back", recording: "error-spike.jsonl", until: .infinity),
        Case(name: "promoted", recording: "healthy.jsonl", until: .infinity),
        Case(name: "endpoint-down", recording: "canary-unreachable.jsonl", until: 48),
        Case(name: "breaker-open", recording: "breaker-open.jsonl", until: .infinity),
    ]

    @Test("each release state at 80×24", arguments: states)
    func small(_ state: Case) throws {
        let model = try ReplayedDashboard.model(state.recording, until: state.until)
        try Snapshot.assert(DashboardView.render(model, width: 80, height: 24, glyphs: .unicode), named: "\(state.name)-80x24")
    }

    @Test("each release state at 120×40", arguments: states)
    func medium(_ state: Case) throws {
        let model = try ReplayedDashboard.model(state.recording, until: state.until)
        try Snapshot.assert(DashboardView.render(model, width: 120, height: 40, glyphs: .unicode), named: "\(state.name)-120x40")
    }

    @Test("each release state at 200×60", arguments: states)
    func large(_ state: Case) throws {
        let model = try ReplayedDashboard.model(state.recording, until: state.until)
        try Snapshot.assert(DashboardView.render(model, width: 200, height: 60, glyphs: .unicode), named: "\(state.name)-200x60")
    }

    @Test("watch mode is read-only: no promote or rollback keys")
    func watch() throws {
        let model = try ReplayedDashboard.model("healthy.jsonl", until: 50, mode: .watch)
        let screen = DashboardView.render(model, width: 80, height: 24, glyphs: .ascii)
        try Snapshot.assert(screen, named: "watch-80x24-ascii")
        #expect(!screen.line(23).contains("promote"))
    }

    @Test("the help overlay lists every key of the mode")
    func help() throws {
        var model = try ReplayedDashboard.model("healthy.jsonl", until: 50, mode: .demo)
        _ = model.update(.keyPressed(.character("?")))
        let screen = DashboardView.render(model, width: 80, height: 24, glyphs: .unicode)
        try Snapshot.assert(screen, named: "help-demo-80x24")
        for binding in KeyBinding.bindings(for: .demo) {
            #expect(screen.text.contains(binding.help))
        }
    }

    @Test("a terminal under 80×24 gets a clear message instead of a garbled dashboard")
    func tooSmall() throws {
        let model = try ReplayedDashboard.model("healthy.jsonl", until: 50)
        let screen = DashboardView.render(model, width: 60, height: 20, glyphs: .unicode)
        #expect(screen.text.contains("terminal too small: 60×20"))
        #expect(screen.text.contains("at least 80×24"))
    }

    @Test("stale metrics are marked with their age and drawn dimmed")
    func stale() throws {
        let model = try ReplayedDashboard.model("metrics-outage.jsonl", until: 60)
        let screen = DashboardView.render(model, width: 200, height: 60, glyphs: .unicode)
        let row = try #require((0..<60).first { screen.line($0).hasPrefix("│ canary ") && screen.line($0).contains("(stale: ") })
        let column = try #require(screen.line(row).range(of: "canary").map { screen.line(row).distance(from: screen.line(row).startIndex, to: $0.lowerBound) })
        #expect(screen[column, row].style.dim, "the stale canary reading is dimmed")
        #expect(screen.line(row).contains("(stale: 21 s ago)"))
    }
}
