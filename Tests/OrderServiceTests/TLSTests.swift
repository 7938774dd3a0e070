import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import OrderAPI
import OrderService
import SwiftProtobuf
import Testing

@Suite("TLS and mutual TLS on the gRPC port (throwaway certificates from scripts/make-test-certs.sh)", .serialized)
struct TLSTests {
    static func certificates() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-certs-\(UInt32.random(in: 0...UInt32.max))")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/make-test-certs.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, folder.path]
        try process.run()
        process.waitUntilExit()
        return folder
    }

    static func start(_ tls: TLSFiles) async throws -> (OrderServiceApp, Int, Task<Void, any Error>) {
        var configuration = OrderServiceApp.Configuration(role: "canary", version: "v2", stock: ["sku-1": 100])
        configuration.tls = tls
        let app = OrderServiceApp(configuration: configuration, log: { _ in })
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task { try await app.run { continuation.yield($0.grpc); continuation.finish() } }
        var port = 0
        for await bound in ports { port = bound }
        return (app, port, task)
    }

    static func order(port: Int, tls: TLSFiles) async throws -> String {
        try await withGRPCClient(
            transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: tls.client)
        ) { client in
            var options = CallOptions.defaults
            options.timeout = .seconds(5)
            return try await Order_V1_OrderService.Client(wrapping: client).createOrder(orderRequest(), options: options).servedBy
        }
    }

    @Test("TLS: a client that trusts the CA is served; a plaintext client is not")
    func tls() async throws {
        let folder = try Self.certificates()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (app, port, task) = try await Self.start(TLSFiles(
            certificate: folder.appendingPathComponent("server.pem").path, key: folder.appendingPathComponent("server.key").path))
        #expect(try await Self.order(port: port, tls: TLSFiles(authority: folder.appendingPathComponent("ca.pem").path)) == "v2")
        await #expect(throws: RPCError.self) { _ = try await Self.order(port: port, tls: TLSFiles()) }
        app.drain()
        try await task.value
    }

    @Test("mTLS: a client without a certificate is refused, one with a CA-signed certificate is served")
    func mutualTLS() async throws {
        let folder = try Self.certificates()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        let (app, port, task) = try await Self.start(TLSFiles(certificate: path("server.pem"), key: path("server.key"), authority: path("ca.pem")))
        await #expect(throws: RPCError.self) { _ = try await Self.order(port: port, tls: TLSFiles(authority: path("ca.pem"))) }
        let client = TLSFiles(certificate: path("client.pem"), key: path("client.key"), authority: path("ca.pem"))
        #expect(try await Self.order(port: port, tls: client) == "v2")
        app.drain()
        try await task.value
    }
}
