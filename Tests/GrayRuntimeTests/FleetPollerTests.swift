import GrayCore
import GrayRuntime
import GrayTesting
import Testing

/// The poller composed of its ports, with in-memory twins (no sockets): what a round holds, in
/// which order, and what the core makes of it.
@Suite("FleetPoller composes discovery, health, metrics and breakers ports")
struct FleetPollerTests {
    static func fleet() -> (FleetPoller, [ScriptedInstance]) {
        let canaries = ["orders-canary-1", "orders-canary-2", "orders-canary-3"].map { ScriptedInstance(.instance(.canary, $0)) }
        let stable = ScriptedInstance(.stable, requestsPerScrape: 100)
        let poller = FleetPoller(
            versions: [
                .init(directory: InstanceDirectory(version: .stable, members: [stable.member]), metrics: DirectScrape()),
                .init(directory: InstanceDirectory(version: .canary, members: canaries.map(\.member)), metrics: DirectScrape()),
            ],
            routerMetrics: nil, router: nil)
        return (poller, canaries)
    }

    @Test("a round: discovery first (once, and when the list changes), then health, then each version's metrics and breakers")
    func roundOrder() async throws {
        let (poller, _) = Self.fleet()
        let first = await poller.poll()
        #expect(first.first == .instances(.stable, ["stable"]))
        #expect(first.dropFirst().first == .instances(.canary, ["orders-canary-1", "orders-canary-2", "orders-canary-3"]))
        let kinds = first.dropFirst(2).map { entry -> String in
            switch entry {
            case .health: return "health"
            case .metrics: return "metrics"
            case .breakersNotObserved: return "breakers"
            default: return "other"
            }
        }
        #expect(kinds == ["health", "health", "health", "health", "metrics", "breakers", "metrics", "metrics", "metrics", "breakers", "breakers", "breakers"])
        let second = await poller.poll()
        #expect(!second.contains { if case .instances = $0 { return true } else { return false } }, "announced only when it changes")
    }

    @Test("an unreachable instance becomes error entries of its own, and the core rolls back on the health rule naming it")
    func unreachableInstance() async throws {
        let (poller, canaries) = Self.fleet()
        var engine = ReleaseEngine(plan: ReleasePlan(), gates: GateSettings(), metrics: MetricNames(), failureCodes: .defaults, autoAdvance: true)
        var rollback: Decision?
        for second in 1...40 {
            if second == 20 { canaries[1].unreachable(true) }
            let entries = await poller.poll()
            if second == 20 {
                #expect(entries.filter { $0.failureMessage == "scripted orders-canary-2: connection refused" }.count == 3)
            }
            var queue = engine.handle(.observed(entries.compactMap { $0.observation() }, at: Double(second)))
            while !queue.isEmpty {
                switch queue.removeFirst() {
                case .setWeight(let weight): queue += engine.handle(.routerAcknowledged(weight: weight, at: Double(second)))
                case .announce(let decision): if case .rollback = decision.kind { rollback = decision }
                default: break
                }
            }
            if rollback != nil { break }
        }
        let reason = try #require(rollback?.reason)
        #expect(reason.hasPrefix("canary 1/3 instances not SERVING for > 5 s (max_unhealthy 0): worst canary orders-canary-2 UNREACHABLE for 6 s"), "\(reason)")
    }
}
