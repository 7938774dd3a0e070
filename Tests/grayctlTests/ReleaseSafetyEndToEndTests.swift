import Foundation
import GrayCore
import Testing

/// The safety rules with the real binaries: the router's own weight, rollbacks that only count once
/// the gateway reads 0, the journal per router, a closed standard output.
@Suite("grayctl release --headless: safety against the real gateway", .serialized)
struct ReleaseSafetyEndToEndTests {
    /// A running fleet whose gateway was set to 20% by hand and whose canary fails half its calls.
    static func fleetAtTwentyPercentFailing() throws -> FleetProcesses {
        let fleet = try FleetProcesses()
        try fleet.startFleet(loadSeconds: 40)
        try fleet.post("gateway", "/admin/canary", #"{"weight":20}"#, method: "PUT")
        try fleet.post("canary", "/admin/faults", #"{"error_ratio":0.5}"#)
        return fleet
    }

    @Test("a gateway found at 20% with no journal is refused (naming --adopt); with --adopt a failing canary is rolled back to 0")
    func routerAboveZeroAtStart() throws {
        let fleet = try Self.fleetAtTwentyPercentFailing()
        defer { fleet.stop() }
        let refused = try fleet.release()
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("reads canary weight 20% and no journal explains it"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--adopt"))
        #expect(try fleet.weight() == 20)
        let adopted = try fleet.release(extra: ["--adopt"])
        #expect(adopted.status == 3, "\(adopted.stdout)\n\(adopted.stderr)")
        #expect(adopted.stdout.contains(#""event":"rollback","from":20,"to":0"#), "\(adopted.stdout)")
        #expect(adopted.stdout.split(separator: "\n").last?.hasPrefix(#"{"verdict":"rolled_back","weight":0"#) == true)
        #expect(try fleet.weight() == 0)
    }

    @Test("a rollback the gateway refuses ends in exit 5 ('rollback_unconfirmed'); the next run, from another directory, finds the journal and sends 0 again")
    func unconfirmedRollback() throws {
        let fleet = try Self.fleetAtTwentyPercentFailing()
        defer { fleet.stop() }
        let state = fleet.folder.appendingPathComponent("state")
        let elsewhere = fleet.folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let arguments = ["release", "--headless", "--config", try fleet.config(), "--max-duration", "6", "--adopt"]
        let wrongToken = try fleet.grayctl(arguments, environment: ["GRAYCTL_ROUTER_TOKEN": "not-the-token", "XDG_STATE_HOME": state.path])
        #expect(wrongToken.status == 5, "\(wrongToken.stdout)\n\(wrongToken.stderr)")
        #expect(wrongToken.stdout.split(separator: "\n").last?.hasPrefix(#"{"verdict":"rollback_unconfirmed","weight":20"#) == true, "\(wrongToken.stdout)")
        #expect(wrongToken.stderr.components(separatedBy: "ROLLBACK NOT APPLIED").count == 2, "shouted once: \(wrongToken.stderr)")
        #expect(wrongToken.stdout.components(separatedBy: #""event":"rollback_refused""#).count == 2, "one JSON event: \(wrongToken.stdout)")
        #expect(!wrongToken.stdout.contains(#""event":"rollback_confirmed""#))
        #expect(!wrongToken.stderr.contains("not-the-token") && !wrongToken.stdout.contains("not-the-token"))
        #expect(try fleet.weight() == 20)
        let journals = try FileManager.default.contentsOfDirectory(atPath: state.appendingPathComponent("grayctl").path)
        #expect(journals.count == 1 && journals[0].hasPrefix("journal-http___127_0_0_1_"), "\(journals)")
        let retry = try fleet.grayctl(
            ["release", "--headless", "--config", try fleet.config(), "--max-duration", "6"], environment: ["XDG_STATE_HOME": state.path],
            directory: elsewhere)
        #expect(retry.stderr.contains("rollback was never confirmed by the router: sending 0% again"), "\(retry.stderr)")
        #expect(retry.status == 3, "\(retry.stdout)\n\(retry.stderr)")
        #expect(retry.stdout.contains(#""event":"rollback_confirmed""#), "\(retry.stdout)")
        #expect(try fleet.weight() == 0)
        let journal = try String(contentsOfFile: state.appendingPathComponent("grayctl/\(journals[0])").path, encoding: .utf8)
        #expect(journal.contains(#""action":"rollback_confirmed""#))
    }

    @Test("an unreadable journal line stops grayctl, naming the file and line, and nothing is changed; a torn last line is dropped with a warning")
    func unreadableJournal() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 5)
        let journal = fleet.folder.appendingPathComponent("journal.jsonl")
        let promote = #"{"t":3.0,"kind":"action","action":"promote","by":"ana","reason":"r","weight":10}"#
        try Data((promote + "\n{\"t\":4.0,\"kind\":\"act\n" + promote + "\n").utf8).write(to: journal)
        let run = try fleet.release()
        #expect(run.status == 2)
        #expect(run.stderr.contains("journal \(journal.path) line 2 is not a journal entry"), "\(run.stderr)")
        #expect(try fleet.weight() == 0)
        try Data((promote + "\n{\"t\":4.0,\"kind\":\"act").utf8).write(to: journal)
        let torn = try fleet.release()
        #expect(torn.stderr.contains("line 2 was cut short (no newline: a crash mid-write); ignored"), "\(torn.stderr)")
        #expect(torn.stderr.contains("was in flight at 10%") && torn.status == 2, "the entries before it still count: \(torn.stderr)")
    }

    @Test("a closed standard output (| head) does not stop the driver: the failing canary is still rolled back, exit 3")
    func closedStandardOutput() throws {
        let fleet = try FleetProcesses()
        defer { fleet.stop() }
        try fleet.startFleet(loadSeconds: 40)
        let process = Process()
        process.executableURL = FleetProcesses.binaries.appendingPathComponent("grayctl")
        process.arguments = ["release", "--headless", "--config", try fleet.config(), "--max-duration", "40",
                             "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path]
        process.environment = ["GRAYCTL_ROUTER_TOKEN": "e2e-token"]
        let output = Pipe()
        process.standardOutput = output
        let errors = fleet.folder.appendingPathComponent("stderr.txt")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        try output.fileHandleForReading.close()
        Thread.sleep(forTimeInterval: 3)
        try fleet.post("canary", "/admin/faults", #"{"error_ratio":0.5}"#)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 3)
        #expect(try fleet.weight() == 0)
        let said = try String(contentsOf: errors, encoding: .utf8)
        #expect(said.contains("standard output cannot be written"), "\(said)")
    }
}
