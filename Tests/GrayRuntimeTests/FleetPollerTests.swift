import Foundation
import GrayCore
@testable import GrayRuntime
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
        #expect(first.first == .instances(.canary, ["orders-canary-1", "orders-canary-2", "orders-canary-3"]), "a sole instance is never announced")
        let kinds = first.dropFirst(1).map { entry -> String in
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

    @Test("Prometheus's answer: a listed member it has no series of is an error naming its labels; with Prometheus discovery the instances it names are announced")
    func prometheusAnswers() async throws {
        let members = ["orders-canary-1", "orders-canary-2"].map { ScriptedInstance(.instance(.canary, $0)).member }
        let answer = PrometheusSource.VersionQuery { _, oneInstance, subjectOf in
            #expect(!oneInstance)
            return [.metrics(subjectOf("orders-canary-1"), body: "grpc_server_handled_total{grpc_code=\"OK\"} 1\n")]
        }
        let listed = InstanceDirectory(version: .canary, members: members)
        let entries = await answer.read(members, of: listed)
        #expect(entries.count == 2)
        #expect(entries.last == .error(
            .instance(.canary, "orders-canary-2"), endpoint: "metrics",
            message: "Prometheus has no series of orders-canary-2 in the selector's answer (its instance label is \"orders-canary-2\")"))
        let discovered = InstanceDirectory(version: .stable, endpoints: nil, hasSelector: true) { subject, _ in ScriptedInstance(subject).member }
        let named = PrometheusSource.VersionQuery { _, _, subjectOf in
            [.metrics(subjectOf("10.0.0.2:9191"), body: "x 1\n"), .metrics(subjectOf("10.0.0.1:9191"), body: "x 1\n")]
        }
        let announced = await named.read([], of: discovered)
        #expect(announced.first == .instances(.stable, ["10.0.0.1:9191", "10.0.0.2:9191"]))
        #expect(await named.read([], of: discovered).count == 2, "announced once, not every round")
    }

    @Test("with prometheus_instances, each instance Prometheus names (one it cannot scrape too) is reached at its host's ports from the next round")
    func prometheusNamesMembers() async throws {
        var endpoints = TargetEndpoints()
        endpoints.prometheusInstances = InstancePorts(adminPort: 9191, grpcPort: 50051)
        let made = Made()
        let directory = InstanceDirectory(version: .canary, endpoints: endpoints, hasSelector: true) { subject, endpoints in
            made.append("\(subject.instance) grpc \(endpoints.grpc ?? "-") admin \(endpoints.admin ?? "-")")
            return ScriptedInstance(subject).member
        }
        #expect(await directory.round().members.isEmpty, "nothing is known before Prometheus answers")
        let answer = PrometheusSource.VersionQuery { _, _, subjectOf in
            [
                .metrics(subjectOf("10.0.0.1:9191"), body: "x 1\n"),
                .error(subjectOf("10.0.0.2:9191"), endpoint: "metrics", message: "Prometheus cannot scrape 10.0.0.2:9191 (up is 0)"),
            ]
        }
        let entries = await answer.read([], of: directory)
        #expect(entries.first == .instances(.canary, ["10.0.0.1:9191", "10.0.0.2:9191"]), "an instance Prometheus cannot scrape stays one, failing")
        #expect(made.lines == ["10.0.0.1:9191 grpc 10.0.0.1:50051 admin http://10.0.0.1:9191", "10.0.0.2:9191 grpc 10.0.0.2:50051 admin http://10.0.0.2:9191"])
        let members = await directory.round().members
        #expect(members.map(\.subject) == [.instance(.canary, "10.0.0.1:9191"), .instance(.canary, "10.0.0.2:9191")])
        #expect(members.allSatisfy { $0.health != nil })
        let gone = PrometheusSource.VersionQuery { _, _, subjectOf in [.metrics(subjectOf("10.0.0.1:9191"), body: "x 1\n")] }
        #expect(await gone.read(members, of: directory).first == .instances(.canary, ["10.0.0.1:9191"]), "one Prometheus no longer names has left")
        #expect(await directory.round().members.count == 1 && made.lines.count == 2, "a known instance keeps its probes")
    }

    /// What a member maker was asked to make, in order.
    final class Made: @unchecked Sendable {
        private let lock = NSLock()
        private var made: [String] = []
        var lines: [String] { lock.withLock { made } }
        func append(_ line: String) { lock.withLock { made.append(line) } }
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
