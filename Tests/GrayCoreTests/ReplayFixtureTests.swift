import Foundation
import GrayCore
import Testing

@Suite("Replay of the committed recordings gives their expected verdicts")
struct ReplayFixtureTests {
    struct Expectation: Sendable, CustomStringConvertible {
        let file: String
        let verdict: Verdict
        /// For rollbacks: when, and the start of the reason.
        let rollbackAt: Double?
        let reasonPrefix: String
        var description: String { file }
    }

    static let expectations = [
        Expectation(file: "healthy", verdict: .promoted, rollbackAt: nil, reasonPrefix: "green for 30 s at 100%"),
        Expectation(file: "noisy-low-traffic", verdict: .inProgress, rollbackAt: nil, reasonPrefix: "at step"),
        // Onset at t=40 (failures from t=41): rolled back within 10 s (the sequential test at t=48).
        Expectation(file: "error-spike", verdict: .rolledBack, rollbackAt: 48, reasonPrefix: "canary failures"),
        Expectation(file: "latency-regression", verdict: .rolledBack, rollbackAt: 42, reasonPrefix: "canary P99"),
        // Breaker opens at t=45: rolled back at that observation.
        Expectation(file: "breaker-open", verdict: .rolledBack, rollbackAt: 45, reasonPrefix: "canary breaker order-stream"),
        // Unreachable from t=45: health limit 5 s + one observation.
        Expectation(file: "canary-unreachable", verdict: .rolledBack, rollbackAt: 51, reasonPrefix: "canary UNREACHABLE for 6 s > 5 s"),
        // Last good scrape t=39: hold from t=45 (stale > 5 s), rollback at t=100 (stale > 60 s).
        Expectation(file: "metrics-outage", verdict: .rolledBack, rollbackAt: 100, reasonPrefix: "canary metrics stale for 61 s > 60 s"),
        Expectation(file: "counter-reset", verdict: .promoted, rollbackAt: nil, reasonPrefix: "green for 30 s at 100%"),
    ]

    static func replay(_ name: String) throws -> ReplayResult {
        let recording = try RecordingReader.read(Fixtures.text("recordings/\(name).jsonl"))
        return ReplayRunner.run(recording, config: GrayConfig())
    }

    @Test("verdict, rollback time and reason", arguments: expectations)
    func verdict(expectation: Expectation) throws {
        let result = try Self.replay(expectation.file)
        #expect(result.verdict == expectation.verdict)
        #expect(result.reason.hasPrefix(expectation.reasonPrefix), "reason: \(result.reason)")
        let rollbacks = result.decisions.filter { if case .rollback = $0.kind { return true } else { return false } }
        if let at = expectation.rollbackAt {
            #expect(rollbacks.map(\.t) == [at])
            #expect(result.weight == 0)
        } else {
            #expect(rollbacks.isEmpty)
        }
    }

    @Test("the noisy low-traffic canary holds (never rolls back) and says why")
    func noisyHolds() throws {
        let result = try Self.replay("noisy-low-traffic")
        let holds = result.decisions.filter { $0.kind == .hold }
        #expect(!holds.isEmpty)
        #expect(holds.contains { $0.reason.contains("not significant yet") || $0.reason.contains("no error verdict yet") })
    }

    @Test("the metrics outage holds before it rolls back")
    func outageHoldsFirst() throws {
        let result = try Self.replay("metrics-outage")
        let hold = try #require(result.decisions.first { $0.kind == .hold && $0.reason.contains("stale") })
        #expect(hold.t == 45)
    }

    @Test("the counter reset holds during the health blip and promotes after")
    func restartHolds() throws {
        let result = try Self.replay("counter-reset")
        #expect(result.decisions.contains { $0.kind == .hold && $0.t == 70 && $0.reason.hasPrefix("canary NOT_SERVING") })
    }

    @Test("replay is deterministic: the same output twice")
    func deterministic() throws {
        let first = ReplayOutput.jsonLines(try Self.replay("error-spike"))
        let second = ReplayOutput.jsonLines(try Self.replay("error-spike"))
        #expect(first == second)
        #expect(first.hasSuffix(#"{"verdict":"rolled_back","weight":0,"t":48.0,"reason":"canary failures 5.5% > 1% over the 13 s since the step began: 13 of 238 requests, evidence 25654 ≥ 12500"}"# + "\n"))
    }

    @Test("the generator script reproduces the committed fixtures byte for byte")
    func generatorReproduces() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-recordings-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.root.appendingPathComponent("scripts/make_recordings.py").path, "--out", folder.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for expectation in Self.expectations {
            let generated = try Data(contentsOf: folder.appendingPathComponent("\(expectation.file).jsonl"))
            let committed = try Data(contentsOf: Fixtures.url("recordings/\(expectation.file).jsonl"))
            #expect(generated == committed, "\(expectation.file) differs from what the script generates")
        }
    }
}
