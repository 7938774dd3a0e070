import Foundation
import Testing

/// The reference gateway in front of gRPC servers we did not write: grpc-go (Debian's 1.33, default
/// server options, which sends a bandwidth-delay-product PING for nearly every call) and Python
/// grpcio. No call may be lost on the way, and an upstream's refusal must reach the caller as the
/// upstream sent it.
@Suite("order-gateway in front of grpc-go and grpcio upstreams", .serialized)
struct GatewayInteropTests {
    enum Upstream: String, CaseIterable, CustomStringConvertible {
        case grpcGo = "grpc-go"
        case grpcio

        var description: String { rawValue }
    }

    /// The upstream, and the gateway in front of it as both stable and canary (half the calls each).
    static func start(_ upstream: Upstream) throws -> FleetProcesses {
        let fleet = try FleetProcesses()
        switch upstream {
        case .grpcGo:
            try fleet.start("upstream", try GoServiceTests.build(into: fleet.folder).path, ["-seconds", "300"], absolute: true)
        case .grpcio:
            try fleet.start(
                "upstream", "/usr/bin/env",
                ["python3", CommandLineTests.root.appendingPathComponent("Tests/interop/python_order_service.py").path, "300"], absolute: true)
        }
        let address = fleet.addresses["upstream"]?.grpc ?? ""
        try #require(address.contains(":"), "the \(upstream) upstream did not start")
        try fleet.startGateway(stable: ["upstream"], canary: ["upstream"])
        try fleet.post("gateway", "/admin/canary", #"{"weight":50}"#, method: "PUT")
        return fleet
    }

    /// order-load's answer codes for `arguments` through the gateway.
    static func load(_ fleet: FleetProcesses, _ arguments: [String]) throws -> [String: Int] {
        let output = try EngineProcess.run(
            [FleetProcesses.binaries.appendingPathComponent("order-load").path, "--target", fleet.addresses["gateway"]!.grpc, "--json"]
                + arguments)
        let report = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        return try #require(report?["status_codes"] as? [String: Int], "order-load: \(output)")
    }

    @Test("20,000 unary calls and 200 streams at once, none failed", arguments: Upstream.allCases)
    func noCallLost(upstream: Upstream) throws {
        let fleet = try Self.start(upstream)
        defer { fleet.stop() }
        #expect(try fleet.weight() == 50)
        #expect(try Self.load(fleet, ["--total", "20000", "--concurrency", "20", "--duration", "300"]) == ["OK": 20_000])
        #expect(try Self.load(fleet, ["--call", "stream", "--total", "4000", "--concurrency", "200", "--duration", "300"]) == ["OK": 4_000])
    }

    @Test("an upstream's refusal passes through unchanged: code, message and the retry-after-ms trailer", arguments: Upstream.allCases)
    func refusalPassesThrough(upstream: Upstream) throws {
        let fleet = try Self.start(upstream)
        defer { fleet.stop() }
        let port = try #require(fleet.addresses["gateway"]?.grpc.split(separator: ":").last.map(String.init))
        let lines = try EngineProcess.run([
            "python3", CommandLineTests.root.appendingPathComponent("Tests/interop/gateway_passthrough.py").path, port,
        ]).split(separator: "\n").map(String.init)
        #expect(lines == [
            "unary RESOURCE_EXHAUSTED retry-after-ms=250 inventory busy: retry later",
            "stream RESOURCE_EXHAUSTED retry-after-ms=250 inventory busy: retry later",
        ])
    }
}
