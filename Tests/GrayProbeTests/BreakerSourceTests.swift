import Foundation
import GrayCore
import GrayRuntime
import Testing

/// A service without breakers (an admin port with only /metrics, as grpc-go with go-grpc-prometheus
/// has) must not hold a release forever; a breaker source the config names must not be missing.
@Suite("Breaker sources against an admin port without /admin/breakers (Tests/interop/metrics_only.py)", .serialized)
struct BreakerSourceTests {
    static func poll(_ source: BreakerSource) async throws -> [RecordEntry] {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/metrics_only.py").path])
        defer { child.stop() }
        let targets: [Target: TargetEndpoints] = [.canary: TargetEndpoints(admin: "http://127.0.0.1:\(port)", breakers: source)]
        return await FleetPoller(targets: targets, router: nil, tls: nil, timeout: 1).poll()
    }

    static func breakerEntries(_ entries: [RecordEntry]) -> [Observation] {
        entries.compactMap { entry in
            switch entry.observation() {
            case .breakers?, .breakersNotObserved?: return entry.observation()
            case .failed(_, "breakers", _)?: return entry.observation()
            default: return nil
            }
        }
    }

    @Test("auto: a 404 at /admin/breakers is noted as 'not observed', naming the URL (the gate then checks for a gauge)")
    func auto() async throws {
        let entries = Self.breakerEntries(try await Self.poll(.auto))
        guard case .breakersNotObserved(.canary, let reason, configured: false)? = entries.first, entries.count == 1 else {
            Issue.record("expected one 'not observed' entry, got \(entries)")
            return
        }
        #expect(reason.hasSuffix("/admin/breakers answers 404"), "\(reason)")
    }

    @Test("admin: the configured source answering 404 is an error (the gate holds)")
    func admin() async throws {
        let entries = Self.breakerEntries(try await Self.poll(.admin))
        guard case .failed(.canary, "breakers", let message)? = entries.first, entries.count == 1 else {
            Issue.record("expected one breakers error, got \(entries)")
            return
        }
        #expect(message.contains("HTTP 404"), "\(message)")
    }

    @Test("none: not observed without asking; gauge: /admin/breakers is not read at all", arguments: [BreakerSource.none, .gauge])
    func noneAndGauge(source: BreakerSource) async throws {
        let entries = Self.breakerEntries(try await Self.poll(source))
        if source == .none {
            #expect(entries == [.breakersNotObserved(.canary, reason: "targets.canary.breakers: none", configured: true)])
        } else {
            #expect(entries.isEmpty)
        }
    }
}
