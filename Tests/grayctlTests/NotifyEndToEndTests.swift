import Foundation
import GrayCore
import Testing

/// `notify:` webhooks and `plan.confirm` against a local receiver that records what it got
/// (`Tests/interop/webhook_receiver.py`: one webhook answering 200, one 500, one never answering,
/// and a confirm hook that declines, then approves), with the real fleet binaries.
@Suite("notify webhooks and plan.confirm, against a recording receiver", .serialized)
struct NotifyEndToEndTests {
    /// What the receiver got: (path, body) in order.
    static func received(_ fleet: FleetProcesses) throws -> [(path: String, body: JSONValue)] {
        let data = try Data(contentsOf: URL(string: "http://\(fleet.addresses["hooks"]!.admin)/log")!)
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let entry = try JSONParser.parse(String(line))
            return (entry["path"]?.string ?? "", entry["body"] ?? .null)
        }
    }

    @Test("steps, holds, the confirm's refusal and the end reach the webhooks; a 500 is retried and said on screen, a hung one delays nothing; confirm declines then approves; no secret printed; the recording replays the same")
    func notifyAndConfirm() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 60)
        try fleet.start(
            "hooks", "/usr/bin/env", ["python3", CommandLineTests.root.appendingPathComponent("Tests/interop/webhook_receiver.py").path], absolute: true)
        let hooks = "http://\(fleet.addresses["hooks"]!.admin)"
        let okFile = fleet.folder.appendingPathComponent("ok-url")
        try Data("\(hooks)/ok/T0KEN-ok-secret\n".utf8).write(to: okFile)
        let confirmFile = fleet.folder.appendingPathComponent("confirm-url")
        try Data("\(hooks)/confirm/T0KEN-confirm-secret".utf8).write(to: confirmFile)
        let path = fleet.folder.appendingPathComponent("notify.yaml").path
        try Data("""
            service: orders
            targets:
              router: {admin: "http://\(fleet.addresses["gateway"]!.admin)", kind: gateway}
              stable: {admin: "http://\(fleet.addresses["stable"]!.admin)", grpc: "\(fleet.addresses["stable"]!.grpc)"}
              canary: {admin: "http://\(fleet.addresses["canary"]!.admin)", grpc: "\(fleet.addresses["canary"]!.grpc)"}
            plan: {steps: [50, 100], bake: 2s, interval: 500ms, confirm: {url_file: \(confirmFile.path)}, confirm_retry: 2s}
            gates: {window: 5s, fast_window: 3s, min_requests: 20}
            notify:
              - {url_file: \(okFile.path)}
              - {url_env: FAILING_HOOK}
              - {url: "\(hooks)/hang/T0KEN-hang-secret"}
            """.utf8).write(to: URL(fileURLWithPath: path))
        // The confirm hook declines until it has been asked twice (the first question and the
        // retry 2 s later), then approves.
        let approver = Thread {
            for _ in 0..<600 {
                if let asked = try? Self.received(fleet).filter({ $0.path.hasPrefix("/confirm/") }).count, asked >= 2 {
                    try? fleet.post("hooks", "/control/approve", "")
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        approver.start()
        let recording = fleet.folder.appendingPathComponent("notify.jsonl").path
        let run = try fleet.grayctl(
            ["release", "--headless", "--config", path, "--max-duration", "40", "--record", recording,
             "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path],
            environment: ["FAILING_HOOK": "\(hooks)/fail/T0KEN-fail-secret"])
        #expect(run.status == 0, "promoted within --max-duration although one webhook never answers: \(run.stdout)\n\(run.stderr)")
        #expect(try fleet.weight() == 100)
        let events = run.stdout.split(separator: "\n")
        #expect(events.contains { $0.contains(#""event":"hold""#) && $0.contains("plan.confirm declined 50%: HTTP 403: change freeze") }, "\(run.stdout)")
        #expect(events.contains { $0.contains(#""event":"step","from":0,"to":50"#) && $0.contains("(plan.confirm: HTTP 200: approved)") }, "\(run.stdout)")

        let got = try Self.received(fleet)
        let ok = got.filter { $0.path == "/ok/T0KEN-ok-secret" }.compactMap { $0.body["event"]?["kind"]?.string }
        #expect(ok.filter { $0 == "step" }.count == 2, "\(ok)")
        #expect(ok.last == "promoted", "\(ok)")
        #expect(ok.contains("hold"), "\(ok)")
        let first = try #require(got.first { $0.path.hasPrefix("/ok/") && $0.body["event"]?["kind"] == .string("step") })
        #expect(first.body["text"]?.string?.hasPrefix("[orders] canary 0% → 50%: ") == true, "Slack's text field: \(first.body)")
        #expect(first.body["event"]?["to"] == .number(50))
        let asked = got.filter { $0.path.hasPrefix("/confirm/") }.compactMap { $0.body["event"]?["to"]?.number }
        #expect(asked.filter { $0 == 50 }.count >= 2, "50% asked until approved (declined at least once): \(asked)")
        #expect(asked.filter { $0 == 100 }.count == 1 && asked.last == 100, "100% asked once, approved: \(asked)")
        #expect(got.filter { $0.path.hasPrefix("/fail/") }.count >= 4, "a failing webhook is retried")
        #expect(run.stderr.contains("grayctl: notify \(hooks)/…: hold not delivered after 4 tries (HTTP 500: boom)"), "\(run.stderr)")
        #expect(got.contains { $0.path.hasPrefix("/hang/") }, "the hung webhook was tried")
        let recorded = try String(contentsOfFile: recording, encoding: .utf8)
        for text in [run.stdout, run.stderr, recorded] {
            #expect(!text.contains("T0KEN"), "a webhook's secret path leaked")
        }
        let replayed = ReplayRunner.run(try RecordingReader.read(recorded), config: try ConfigLoader.load(String(contentsOfFile: path, encoding: .utf8)))
        #expect(replayed.verdict == .promoted)
        #expect(replayed.decisions.contains { $0.kind == .hold && $0.reason.contains("plan.confirm declined 50%: HTTP 403: change freeze") })
        #expect(replayed.decisions.filter { if case .step = $0.kind { true } else { false } }.count == 2)
    }
}
