import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import GrayCore
import GrayProbe
import GrayRuntime
import OrderAPI
import OrderGateway
import OrderLoad
import OrderService
import SwiftProtobuf
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Stable, canary and gateway in this process on loopback, with steady load through the gateway.
struct LiveFleet {
    let stable: OrderServiceApp
    let canary: OrderServiceApp
    let gateway: GatewayApp
    let ports: [String: (grpc: Int, admin: Int)]
    let tasks: [Task<Void, any Error>]
    static let token = "fleet-token"

    static func start() async throws -> LiveFleet {
        func service(_ role: String) async throws -> (OrderServiceApp, OrderServiceApp.Ports, Task<Void, any Error>) {
            var configuration = OrderServiceApp.Configuration(role: role, version: role == "canary" ? "v2" : "v1", stock: ["sku-1": 10_000_000])
            configuration.token = BearerToken(token)
            configuration.drainTimeout = 1
            let app = OrderServiceApp(configuration: configuration, log: { _ in })
            let (stream, continuation) = AsyncStream<OrderServiceApp.Ports>.makeStream()
            let task = Task { try await app.run { continuation.yield($0); continuation.finish() } }
            var ports: OrderServiceApp.Ports?
            for await bound in stream { ports = bound }
            return (app, ports!, task)
        }
        let (stable, stablePorts, stableTask) = try await service("stable")
        let (canary, canaryPorts, canaryTask) = try await service("canary")
        var configuration = GatewayApp.Configuration(stable: "127.0.0.1:\(stablePorts.grpc)", canary: "127.0.0.1:\(canaryPorts.grpc)")
        configuration.token = BearerToken(token)
        configuration.drainTimeout = 1
        let gateway = GatewayApp(configuration: configuration, log: { _ in })
        let (stream, continuation) = AsyncStream<(Int, Int)>.makeStream()
        let gatewayTask = Task { try await gateway.run { continuation.yield(($0, $1)); continuation.finish() } }
        var gatewayPorts = (0, 0)
        for await bound in stream { gatewayPorts = bound }
        return LiveFleet(
            stable: stable, canary: canary, gateway: gateway,
            ports: ["stable": (stablePorts.grpc, stablePorts.admin), "canary": (canaryPorts.grpc, canaryPorts.admin), "gateway": gatewayPorts],
            tasks: [stableTask, canaryTask, gatewayTask])
    }

    /// Steady unary load through the gateway for at most `seconds`.
    func load(seconds: Double) -> Task<Void, any Error> {
        let port = ports["gateway"]!.grpc
        return Task {
            try await withGRPCClient(transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)) { client in
                let plan = LoadPlan(
                    call: .unary, concurrency: 4, total: nil, duration: seconds, rps: 300,
                    template: try Order_V1_CreateOrderRequest(jsonString: #"{"user_id":"u","items":[{"sku_id":"sku-1","count":1}]}"#))
                _ = try await LoadRunner.run(plan, client: Order_V1_OrderService.Client(wrapping: client)) { _, _, _ in }
            }
        }
    }

    var targets: [Target: TargetEndpoints] {
        [
            .stable: TargetEndpoints(admin: "http://127.0.0.1:\(ports["stable"]!.admin)", grpc: "127.0.0.1:\(ports["stable"]!.grpc)"),
            .canary: TargetEndpoints(admin: "http://127.0.0.1:\(ports["canary"]!.admin)", grpc: "127.0.0.1:\(ports["canary"]!.grpc)"),
            .router: TargetEndpoints(admin: "http://127.0.0.1:\(ports["gateway"]!.admin)", kind: "gateway"),
        ]
    }

    func stop() async {
        gateway.drain()
        stable.drain()
        canary.drain()
        for task in tasks { _ = try? await task.value }
    }
}

/// Collects what the runner reports: decisions, messages and recorded lines.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var decisionsStore: [Decision] = []
    private var messagesStore: [String] = []
    private var linesStore: [RecordLine] = []

    var decisions: [Decision] { lock.withLock { decisionsStore } }
    var messages: [String] { lock.withLock { messagesStore } }
    var lines: [RecordLine] { lock.withLock { linesStore } }

    var outputs: ReleaseRunner.Outputs {
        .init(
            decision: { decision in self.lock.withLock { self.decisionsStore.append(decision) } },
            message: { message in self.lock.withLock { self.messagesStore.append(message) } },
            record: { line in self.lock.withLock { self.linesStore.append(line) } })
    }
}

@Suite("Live release, headless, against the reference fleet on 127.0.0.1", .serialized)
struct LiveReleaseTests {
    static func runner(_ fleet: LiveFleet, journal: Journal?, collected: Collected) -> ReleaseRunner {
        var plan = ReleasePlan()
        plan.steps = [50, 100]
        plan.bake = 2
        plan.interval = 0.25
        var gates = GateSettings()
        gates.window = 4
        gates.fastWindow = 2
        gates.minRequests = 20
        let engine = ReleaseEngine(plan: plan, gates: gates, metrics: MetricNames(), failureCodes: .defaults, autoAdvance: true)
        let router = GatewayRouter(baseURL: fleet.targets[.router]!.admin!, token: LiveFleet.token)
        let poller = FleetPoller(targets: fleet.targets, router: router, tls: nil, timeout: 1)
        return ReleaseRunner(engine: engine, fleet: poller, router: router, journal: journal, outputs: collected.outputs, interval: plan.interval, actor: "test")
    }

    @Test("a healthy canary is promoted to 100%: the gateway's weight moves, the journal has every step")
    func healthy() async throws {
        let fleet = try await LiveFleet.start()
        let load = fleet.load(seconds: 20)
        let journalPath = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UInt32.random(in: 0...UInt32.max)).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: journalPath) }
        let collected = Collected()
        let outcome = await Self.runner(fleet, journal: try Journal(path: journalPath), collected: collected).run(maxDuration: 18)
        load.cancel()
        #expect(outcome.verdict == .promoted, "\(outcome.reason)")
        #expect(fleet.gateway.weight.current.weight == 100)
        let steps = collected.decisions.compactMap { decision -> Int? in
            if case .step(_, let to) = decision.kind { return to } else { return nil }
        }
        #expect(steps == [50, 100])
        #expect(try Journal.read(at: journalPath).entries.map(\.action) == ["promote", "promote", "complete"])
        #expect(collected.lines.contains { if case .metrics(.router, _, _) = $0.entry { return true } else { return false } })
        await fleet.stop()
    }

    @Test("a canary that starts failing is rolled back: weight 0 at the gateway, verdict rolled_back")
    func failing() async throws {
        let fleet = try await LiveFleet.start()
        let load = fleet.load(seconds: 20)
        let collected = Collected()
        let runner = Self.runner(fleet, journal: nil, collected: collected)
        let faults = Task {
            try await Task.sleep(for: .seconds(1.5))
            fleet.canary.faults.set(.init(errorRatio: 0.6))
        }
        let outcome = await runner.run(maxDuration: 18)
        load.cancel()
        _ = try? await faults.value
        #expect(outcome.verdict == .rolledBack, "\(outcome.reason)")
        #expect(fleet.gateway.weight.current.weight == 0)
        #expect(collected.decisions.contains { if case .rollback = $0.kind { return true } else { return false } })
        await fleet.stop()
    }
}

@Suite("Router lock")
struct RouterLockTests {
    @Test("a second driver of the same router is refused, naming the holder; another router is free")
    func exclusive() throws {
        let url = "http://127.0.0.1:1/lock-test-\(UInt32.random(in: 0...UInt32.max))"
        let first = try RouterLock(routerURL: url)
        #expect(throws: RouterLock.Busy.self) { try RouterLock(routerURL: url) }
        do {
            _ = try RouterLock(routerURL: url)
        } catch {
            #expect("\(error)".contains("is driving \(url)"))
        }
        _ = try RouterLock(routerURL: url + "-other")
        withExtendedLifetime(first) {}
    }
}

@Suite("Files kept per router")
struct RouterPathsTests {
    @Test("the default journal is one per router URL, under XDG_STATE_HOME or ~/.local/state, whatever the spelling of the URL")
    func journal() {
        let state = ["XDG_STATE_HOME": "/var/lib/ops"]
        #expect(RouterPaths.journal("http://gw:9090", environment: state) == "/var/lib/ops/grayctl/journal-http___gw_9090.jsonl")
        #expect(RouterPaths.journal("HTTP://GW:9090/", environment: state) == RouterPaths.journal("http://gw:9090", environment: state))
        #expect(RouterPaths.journal("http://gw:9090", environment: ["HOME": "/home/ana"]) == "/home/ana/.local/state/grayctl/journal-http___gw_9090.jsonl")
        #expect(RouterPaths.journal("http://gw:9091", environment: state) != RouterPaths.journal("http://gw:9090", environment: state))
    }
}
