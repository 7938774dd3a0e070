import Foundation
import GrayCore
import GrayProbe
import OrderService
import Testing

/// A reference order-service in this process (gRPC health + admin on loopback).
struct ReferenceService {
    let app: OrderServiceApp
    let ports: OrderServiceApp.Ports
    let task: Task<Void, any Error>

    static func start(tls: TLSFiles = TLSFiles()) async throws -> ReferenceService {
        var configuration = OrderServiceApp.Configuration(role: "canary", version: "v2", stock: ["sku-1": 10])
        configuration.tls = tls
        configuration.drainTimeout = 1
        let app = OrderServiceApp(configuration: configuration, log: { _ in })
        let (stream, continuation) = AsyncStream<OrderServiceApp.Ports>.makeStream()
        let task = Task { try await app.run { continuation.yield($0); continuation.finish() } }
        var ports: OrderServiceApp.Ports?
        for await bound in stream { ports = bound }
        guard let ports else { throw ProbeError.badResponse(url: "order-service", reason: "did not start") }
        return ReferenceService(app: app, ports: ports, task: task)
    }

    func stop() async throws {
        app.drain()
        try await task.value
    }
}

/// A child process started for a test, killed at the end.
final class Child: @unchecked Sendable {
    let process = Process()
    let input = Pipe()
    let output = Pipe()

    /// Starts `arguments` and returns it with its first output line.
    static func start(_ arguments: [String]) throws -> (Child, String) {
        let child = Child()
        child.process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.process.arguments = arguments
        child.process.standardInput = child.input
        child.process.standardOutput = child.output
        try child.process.run()
        return (child, child.readLine())
    }

    /// The child's next output line (empty at its end).
    func readLine() -> String {
        var line: [UInt8] = []
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first, first != 0x0A else { break }
            line.append(first)
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// Writes `command` and a newline to the child's input and returns its answer line.
    func ask(_ command: String) -> String {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
        return readLine()
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("gRPC health over libcurl and HTTP/2 against real servers on 127.0.0.1", .serialized)
struct HealthProbeTests {
    /// The statuses of `checks` checks in a row with `client`.
    static func statuses(of client: GRPCHealthClient, checks: Int) async -> [HealthStatus] {
        var statuses: [HealthStatus] = []
        for _ in 0..<checks { statuses.append(await client.check().status) }
        return statuses
    }

    @Test("the reference service: SERVING for both names, SERVICE_UNKNOWN (NOT_FOUND) for others")
    func reference() async throws {
        let service = try await ReferenceService.start()
        let client = GRPCHealthClient(address: "127.0.0.1:\(service.ports.grpc)")
        #expect(await client.check().status == .serving)
        #expect(await client.check(service: "order.v1.OrderService").status == .serving)
        let unknown = await client.check(service: "nope")
        #expect(unknown.status == .serviceUnknown)
        #expect(unknown.error?.description == "http://127.0.0.1:\(service.ports.grpc)/grpc.health.v1.Health/Check: gRPC status NOT_FOUND: unknown service \"nope\"")
        try await service.stop()
    }

    @Test("fifty checks in a row over h2c all succeed (kept connections around curl#10634)")
    func repeated() async throws {
        let service = try await ReferenceService.start()
        let client = GRPCHealthClient(address: "127.0.0.1:\(service.ports.grpc)")
        #expect(await Self.statuses(of: client, checks: 50) == Array(repeating: .serving, count: 50))
        try await service.stop()
    }

    @Test("Python grpcio-health-checking: SERVING, NOT_SERVING, SERVICE_UNKNOWN")
    func python() async throws {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/health_server.py").path])
        defer { child.stop() }
        let client = GRPCHealthClient(address: "127.0.0.1:\(port)")
        #expect(await client.check().status == .serving)
        #expect(await client.check(service: "order.v1.OrderService").status == .notServing)
        #expect(await client.check(service: "other").status == .serviceUnknown)
    }

    @Test("h2c checks share one kept connection; when the server closes it, the next check opens another")
    func keptConnection() async throws {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/health_server.py").path])
        defer { child.stop() }
        let client = GRPCHealthClient(address: "127.0.0.1:\(port)")
        #expect(await Self.statuses(of: client, checks: 20) == Array(repeating: .serving, count: 20))
        #expect(child.ask("peers") == "1", "twenty sequential checks on one connection")
        #expect(child.ask("restart") == "restarted")
        #expect(await Self.statuses(of: client, checks: 10) == Array(repeating: .serving, count: 10), "the closed connection is replaced, no check fails")
        #expect(child.ask("peers") == "1", "one new connection after the restart")
    }

    @Test("eight checks at once to one address, five rounds: all pass (each round reuses the connections the last one kept)")
    func concurrentChecks() async throws {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/health_server.py").path])
        defer { child.stop() }
        for _ in 0..<5 {
            let statuses = await withTaskGroup(of: HealthStatus.self) { group in
                for _ in 0..<8 { group.addTask { await GRPCHealthClient(address: "127.0.0.1:\(port)").check().status } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .serving, count: 8))
        }
        #expect(Int(child.ask("peers")) ?? 99 <= 8, "connections are kept and reused, not opened per check")
    }

    @Test("a kept connection the server drops under a check: the check is sent again on a new one and passes (an emulated server)")
    func keptConnectionDropped() async throws {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/h2_one_answer_server.py").path])
        defer { child.stop() }
        let client = GRPCHealthClient(address: "127.0.0.1:\(port)")
        #expect(await Self.statuses(of: client, checks: 6) == Array(repeating: .serving, count: 6))
        #expect(child.ask("connections") == "6", "each check after the first tried the kept connection, then a new one")
    }

    @Test("a server that drops every request: each check fails after at most one more attempt (an emulated server)")
    func everyRequestDropped() async throws {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/h2_one_answer_server.py").path, "none"])
        defer { child.stop() }
        let client = GRPCHealthClient(address: "127.0.0.1:\(port)")
        #expect(await client.check(deadline: 2).status == .unreachable)
        #expect(await client.check(deadline: 2).status == .unreachable)
        #expect(child.ask("connections") == "2", "one new connection a check, no loop")
    }

    @Test("an h2c check never reuses a kept HTTP/1.1 connection to the same address, nor sends an HTTP upgrade")
    func keptHTTP1NotReused() async throws {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/counting_http.py").path])
        defer { child.stop() }
        let base = "http://127.0.0.1:\(port)"
        #expect(try await CurlHTTPClient().send(HTTPRequest(url: base + "/kept")).text == "/kept")
        #expect(await GRPCHealthClient(address: "127.0.0.1:\(port)").check(deadline: 2).status == .unreachable)
        #expect(try await CurlHTTPClient().send(HTTPRequest(url: base + "/upgrades")).text == "0")
        #expect(try await CurlHTTPClient().send(HTTPRequest(url: base + "/connections")).text == "2", "the check opened a connection of its own")
    }

    @Test("a closed port is UNREACHABLE with curl's reason")
    func refused() async throws {
        let result = await GRPCHealthClient(address: "127.0.0.1:1").check(deadline: 1)
        #expect(result.status == .unreachable)
        guard case .transport(_, let code, _) = result.error else {
            Issue.record("expected a transport error, got \(String(describing: result.error))")
            return
        }
        #expect(code == 7)
    }

    @Test("a server that never answers is UNREACHABLE at the deadline")
    func silent() async throws {
        let script = "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); print(s.getsockname()[1], flush=True); sys.stdin.read()"
        let (child, port) = try Child.start(["python3", "-c", script])
        defer { child.stop() }
        let clock = ContinuousClock()
        let start = clock.now
        let result = await GRPCHealthClient(address: "127.0.0.1:\(port)").check(deadline: 0.5)
        #expect(result.status == .unreachable)
        #expect(clock.now - start < .seconds(2))
        guard case .transport(_, let code, _) = result.error else {
            Issue.record("expected a transport error")
            return
        }
        #expect(code == 28)
    }

    @Test("TLS and mutual TLS with --cacert --cert --key")
    func tls() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-probe-certs-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/bin/bash")
        make.arguments = [repositoryRoot.appendingPathComponent("scripts/make-test-certs.sh").path, folder.path]
        try make.run()
        make.waitUntilExit()
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        let service = try await ReferenceService.start(tls: TLSFiles(certificate: path("server.pem"), key: path("server.key"), authority: path("ca.pem")))
        let address = "127.0.0.1:\(service.ports.grpc)"
        let withCert = GRPCHealthClient(address: address, tls: ProbeTLS(caFile: path("ca.pem"), certFile: path("client.pem"), keyFile: path("client.key")))
        #expect(await withCert.check().status == .serving)
        #expect(await withCert.check().status == .serving, "TLS connections are reused")
        let withoutCert = GRPCHealthClient(address: address, tls: ProbeTLS(caFile: path("ca.pem")))
        #expect(await withoutCert.check().status == .unreachable)
        try await service.stop()
    }

    @Test("HTTP/1.1 GET of /metrics and /admin/info; non-2xx answers come back with their status")
    func http() async throws {
        let service = try await ReferenceService.start()
        let client = CurlHTTPClient()
        let metrics = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(service.ports.admin)/metrics"))
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let exposition = try ExpositionParser.parse(metrics.text)
        #expect(exposition.samples.contains { $0.name == "circuit_breaker_state" })
        let info = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(service.ports.admin)/admin/info"))
        #expect(info.text.contains(#""role":"canary""#))
        let denied = try await client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(service.ports.admin)/admin/faults", body: Array("{}".utf8)))
        #expect(denied.status == 401)
        try await service.stop()
    }

    @Test("Watch against the reference service: SERVING, then NOT_SERVING when it drains, then the server ends the stream")
    func watchReference() async throws {
        let service = try await ReferenceService.start()
        let client = GRPCHealthClient(address: "127.0.0.1:\(service.ports.grpc)")
        let seen = Statuses()
        let watching = Task { await client.watch(onStatus: { seen.append($0) }) }
        try await seen.wait(for: 1)
        #expect(seen.all == [.serving])
        try await service.stop()
        let end = await watching.value
        #expect(seen.all == [.serving, .notServing])
        guard case .grpcStatus = end else {
            Issue.record("expected the server to end the stream with a grpc-status, got \(String(describing: end))")
            return
        }
    }

    @Test("Watch against Python grpcio-health-checking: NOT_SERVING, then SERVING on change; the caller stops it")
    func watchPython() async throws {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/health_server.py").path])
        defer { child.stop() }
        let client = GRPCHealthClient(address: "127.0.0.1:\(port)")
        let seen = Statuses()
        let watching = Task { await client.watch(service: "order.v1.OrderService", onStatus: { seen.append($0) && $0 != .serving }) }
        try await seen.wait(for: 1)
        child.input.fileHandleForWriting.write(Data("serving\n".utf8))
        let end = await watching.value
        #expect(seen.all == [.notServing, .serving])
        #expect(end == nil, "stopped by the caller, not an error")
    }

    @Test("a silent Watch stream still stops within about a second of isStopped turning true")
    func watchStops() async throws {
        let service = try await ReferenceService.start()
        let client = GRPCHealthClient(address: "127.0.0.1:\(service.ports.grpc)")
        let seen = Statuses()
        let stop = Statuses()
        let watching = Task { await client.watch(onStatus: { seen.append($0) }, isStopped: { !stop.all.isEmpty }) }
        try await seen.wait(for: 1)
        let clock = ContinuousClock()
        let asked = clock.now
        _ = stop.append(.unknown)
        #expect(await watching.value == nil)
        #expect(clock.now - asked < .seconds(3))
        try await service.stop()
    }
}

/// Statuses seen by a Watch callback (another thread), with a bounded wait.
final class Statuses: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [HealthStatus] = []

    var all: [HealthStatus] { lock.withLock { seen } }

    /// Records `status`; true (keep watching).
    func append(_ status: HealthStatus) -> Bool {
        lock.withLock { seen.append(status) }
        return true
    }

    /// Waits up to 5 s for `count` statuses.
    func wait(for count: Int) async throws {
        for _ in 0..<250 where all.count < count {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(all.count >= count, "statuses seen: \(all)")
    }
}
