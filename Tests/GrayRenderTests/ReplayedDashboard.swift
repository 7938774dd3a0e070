import Foundation
import GrayCore
import GrayRender

/// Dashboard models built by replaying a fixture recording up to a moment: the same messages a live
/// dashboard gets (state after each round, decisions), with a fixed wall clock.
enum ReplayedDashboard {
    /// 2026-11-25T12:00:00Z, the fixtures' start.
    static let started = 1_795_608_000.0

    static func model(
        _ recording: String, until: Double = .infinity, mode: DashboardMode = .release, config: String? = nil
    ) throws -> DashboardModel {
        let configuration = try config.map { try ConfigLoader.load(String(contentsOf: Snapshot.url("fixtures/configs/\($0)"), encoding: .utf8)) } ?? GrayConfig()
        let text = try String(contentsOf: Snapshot.url("fixtures/recordings/\(recording)"), encoding: .utf8)
        var model = DashboardModel(mode: mode, service: "order-service", plan: configuration.plan, gates: configuration.gates, themeName: "dark")
        _ = model.update(.versionsRead([.stable: "v1", .canary: "v2"]))
        _ = ReplayRunner.run(try RecordingReader.read(text), config: configuration, until: until) { state, decisions in
            _ = model.update(.released(state))
            for decision in decisions { _ = model.update(.decided(decision)) }
            _ = model.update(.ticked(now: state.now, epoch: started + state.now))
        }
        return model
    }
}
