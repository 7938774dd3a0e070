import GrayCore
import GrayProbe
import GrayRuntime
import GrayTesting
import Testing

/// Discovery through the system resolver: resolution beside the rounds, the first list announced
/// once it arrives, a failure said and the last list kept.
@Suite("InstanceDirectory: DNS discovery")
struct InstanceDirectoryTests {
    static func directory(
        _ name: String, resolve: @escaping @Sendable (String) async throws(ProbeError) -> [String] = DNSResolver.addresses(of:)
    ) -> InstanceDirectory {
        var dns = DNSDiscovery(name: name)
        dns.ports = InstancePorts(adminPort: 9191, grpcPort: 50051)
        dns.every = 1
        var endpoints = TargetEndpoints()
        endpoints.dns = dns
        return InstanceDirectory(version: .canary, endpoints: endpoints, hasSelector: false, resolve: resolve) { subject, _ in
            ScriptedInstance(subject).member
        }
    }

    /// Rounds every 50 ms until one says something, at most 5 s.
    static func firstSaying(_ directory: InstanceDirectory) async -> [RecordEntry] {
        for _ in 0..<100 {
            let (_, entries) = await directory.round()
            if !entries.isEmpty { return entries }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return []
    }

    @Test("a name is resolved beside the rounds: the first round has no instances, a later one announces them")
    func resolves() async throws {
        let directory = Self.directory("localhost")
        let (first, _) = await directory.round()
        #expect(first.isEmpty, "the first round does not wait for the resolver")
        let entries = await Self.firstSaying(directory)
        #expect(entries == [.instances(.canary, ["127.0.0.1:9191"])], "localhost is 127.0.0.1 (with a ::1 line too, the IPv4 address alone): \(entries)")
        let (members, _) = await directory.round()
        #expect(members.map(\.subject) == [.instance(.canary, "127.0.0.1:9191")])
    }

    @Test("a name that does not resolve: an empty list and the resolver's message, as endpoint discovery")
    func fails() async throws {
        let directory = Self.directory("orders-canary.example") { name throws(ProbeError) in
            throw .unresolved(name: name, reason: "Name or service not known")
        }
        let entries = await Self.firstSaying(directory)
        #expect(entries.first == .instances(.canary, []))
        let message = try #require(entries.dropFirst().first?.failureMessage)
        #expect(message == "cannot resolve orders-canary.example: Name or service not known", "\(message)")
        if case .error(let subject, let endpoint, _) = entries.dropFirst().first {
            #expect(subject == .canary && endpoint == "discovery")
        }
    }

    @Test("a resolver that never answers is said every round after 10 s, and the rounds go on meanwhile")
    func hungResolver() async throws {
        let directory = Self.directory("orders-canary.example") { _ throws(ProbeError) in
            try? await Task.sleep(for: .seconds(600))
            return []
        }
        let clock = ContinuousClock()
        let started = clock.now
        var said: String?
        while said == nil, clock.now - started < .seconds(15) {
            let roundStarted = clock.now
            let (members, entries) = await directory.round()
            #expect(clock.now - roundStarted < .seconds(1), "a round never waits for the resolver")
            #expect(members.isEmpty)
            said = entries.compactMap(\.failureMessage).first
            try await Task.sleep(for: .milliseconds(250))
        }
        let message = try #require(said)
        #expect(message.hasPrefix("resolving orders-canary.example has not answered for 1"), "\(message)")
        #expect(message.hasSuffix("; the last list stays in use"))
        #expect(clock.now - started >= .seconds(10))
    }
}
