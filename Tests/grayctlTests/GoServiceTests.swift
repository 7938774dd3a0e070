import Foundation
import Testing

/// A gRPC service we did not write: grpc-go (Debian's) with go-grpc-prometheus metrics, grpc-go's
/// health server and no `/admin/breakers` (`Tests/interop/go-order-service`), as stable and canary
/// behind the reference gateway, released by `grayctl release --headless` with the default
/// `breakers: auto`.
@Suite("grpc-go order-services: no breakers, go-grpc-prometheus metrics", .serialized)
struct GoServiceTests {
    /// Builds the Go service (GOPATH mode against Debian's packages) into `folder`.
    static func build(into folder: URL) throws -> URL {
        let binary = folder.appendingPathComponent("go-order-service")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["go", "build", "-o", binary.path, CommandLineTests.root.appendingPathComponent("Tests/interop/go-order-service/main.go").path]
        process.environment = ProcessInfo.processInfo.environment.merging(["GO111MODULE": "off", "GOPATH": "/usr/share/gocode"]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "go build failed (scripts/setup.sh installs Go and the packages): \(message)")
        return binary
    }

    /// Two Go services (the canary failing `canaryFailure` of its calls), the gateway and load.
    static func start(canaryFailure: Double) throws -> FleetProcesses {
        let fleet = try FleetProcesses()
        let binary = try build(into: fleet.folder)
        try fleet.start("stable", binary.path, ["-seconds", "60"], absolute: true)
        try fleet.start("canary", binary.path, ["-seconds", "60", "-fail", "\(canaryFailure)"], absolute: true)
        try fleet.startGateway(stable: ["stable"], canary: ["canary"])
        fleet.startLoad(seconds: 40)
        return fleet
    }

    @Test("healthy: released on the other gates, the breakers gate saying they are not observed; exit 0")
    func healthy() throws {
        let fleet = try Self.start(canaryFailure: 0)
        defer { fleet.stop() }
        let run = try fleet.release()
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("canary breakers not observed (http://"), "\(run.stdout)")
        #expect(run.stdout.contains("/admin/breakers answers 404)"), "\(run.stdout)")
        #expect(!run.stdout.contains("no breaker data from the canary yet"))
        #expect(try fleet.weight() == 100)
    }

    @Test("a canary failing 30% of its calls is rolled back on go-grpc-prometheus's counters (grayctl's health checks not counted); exit 3")
    func failing() throws {
        let fleet = try Self.start(canaryFailure: 0.3)
        defer { fleet.stop() }
        // No router series: the Go services' own server counters are the source.
        let config = try String(contentsOfFile: try fleet.config(), encoding: .utf8) + "\nmetrics: {client_handled: no_router_series_total}\n"
        let path = fleet.folder.appendingPathComponent("go-grayctl.yaml")
        try Data(config.utf8).write(to: path)
        let run = try fleet.grayctl(["release", "--headless", "--config", path.path, "--max-duration", "40",
                                     "--journal", fleet.folder.appendingPathComponent("journal.jsonl").path])
        #expect(run.stdout.contains("canary metrics fresh (from canary)"), "the instance was the source: \(run.stdout)")
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        let rollback = run.stdout.split(separator: "\n").first { $0.contains(#""event":"rollback""#) }
        #expect(rollback?.contains("canary failures") == true, "\(run.stdout)")
        #expect(try fleet.weight() == 0)
    }
}
