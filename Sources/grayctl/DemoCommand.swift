import ArgumentParser
import Foundation
import GrayProbe
import GrayRender

/// `grayctl demo`: a whole gray release on this machine, in one command.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a gray release of a local fleet in the dashboard: the quickest way to see grayctl work.",
        discussion: """
            Starts the reference fleet on free loopback ports (order-service v1 as stable, v2 as canary, the \
            gateway splitting traffic between them, and steady load from order-load), then opens \
            `grayctl release` against it with auto-advance on and a 15 s bake, so the canary steps \
            5 → 10 → 25 → 50 → 100 by itself. Press f to make the canary fail half its calls, or F to make it \
            slow, and watch the gates trip and grayctl roll it back within seconds; r rolls back by hand; \
            ? lists every key. q quits and stops every process of the fleet.

            The fleet's binaries must sit beside grayctl: run `swift build` once first (about 7 minutes).
            """
    )

    @OptionGroup var live: LiveOptions

    func run() async throws {
        let fleet: DemoFleet
        do {
            fleet = try DemoFleet()
        } catch {
            throw InputError("\(error)")
        }
        defer { fleet.stop() }
        do {
            try fleet.start { step in InputFiles.writeError("grayctl demo: \(step)…\n") }
        } catch {
            throw InputError("\(error)")
        }
        let configuration = try LiveOptions.loadConfig(try fleet.config(), needsRouter: true)
        let session = try await ReleaseSetup.session(
            configuration: configuration, live: live, mode: .demo, journalPath: fleet.folder.appendingPathComponent("journal.jsonl").path,
            newRelease: true, token: fleet.token, autoAdvance: true, operatorName: ProcessInfo.processInfo.environment["USER"] ?? "demo",
            faults: FaultClient(baseURL: "http://\(fleet.addresses["canary"]!.admin)", token: fleet.token))
        try await session.run()
    }
}
