import ArgumentParser
import Foundation
import SignalActions
import OrderService

/// `order-service`: one instance of the reference order-service (docs/endpoints.md).
@main
struct OrderServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-service",
        abstract: "Run one instance of the reference order-service (gRPC + HTTP admin port).",
        discussion: """
            Prints one line when listening: "order-service <version> (<role>) grpc=HOST:PORT admin=HOST:PORT".
            SIGTERM or SIGINT drains: health NOT_SERVING, /readyz 503, open RPCs get --drain-timeout, exit 0.
            The admin token for POST /admin/faults is read from --admin-token-file or $ORDER_ADMIN_TOKEN.
            """
    )

    @Option(help: "stable or canary.")
    var role: String = "stable"

    @Option(help: "Version label reported in responses and /admin/info.")
    var version: String = "v1"

    @Option(help: "Address to bind (loopback by default).")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("grpc-port"), help: "gRPC port (0: any free port).")
    var grpcPort: Int = 0

    @Option(name: .customLong("admin-port"), help: "HTTP admin port (0: any free port).")
    var adminPort: Int = 0

    @Option(name: .customLong("drain-timeout"), help: "Seconds open RPCs get to finish when draining.")
    var drainTimeout: Double = 10

    @Option(name: .customLong("admin-token-file"), help: "File holding the admin bearer token.")
    var adminTokenFile: String?

    @Option(name: .customLong("tls-cert"), help: "Serve gRPC over TLS with this certificate chain (PEM).")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "Private key of --tls-cert (PEM).")
    var tlsKey: String?

    @Option(name: .customLong("tls-ca"), help: "Require client certificates signed by this CA (mutual TLS).")
    var tlsCA: String?

    @Option(name: .customLong("stock-file"), help: "JSON object of SKU to units; default: 1,000,000 units of sku-1...sku-100.")
    var stockFile: String?

    func validate() throws {
        guard role == "stable" || role == "canary" else { throw ValidationError("--role must be stable or canary, not \(role)") }
        guard (0...65535).contains(grpcPort), (0...65535).contains(adminPort) else { throw ValidationError("ports must be in 0...65535") }
        guard drainTimeout >= 0 else { throw ValidationError("--drain-timeout must be ≥ 0") }
        if let problem = TLSFiles(certificate: tlsCert, key: tlsKey, authority: tlsCA).problem { throw ValidationError(problem) }
    }

    func run() async throws {
        var configuration = OrderServiceApp.Configuration(role: role, version: version, stock: try loadStock())
        configuration.host = host
        configuration.grpcPort = grpcPort
        configuration.adminPort = adminPort
        configuration.drainTimeout = drainTimeout
        configuration.token = try loadToken()
        configuration.tls = TLSFiles(certificate: tlsCert, key: tlsKey, authority: tlsCA)
        let app = OrderServiceApp(configuration: configuration, log: Self.log)
        let signals = OnSignals { app.drain() }
        signals.install()
        let role = role
        let version = version
        let host = host
        try await app.run { ports in
            Self.emit("order-service \(version) (\(role)) grpc=\(host):\(ports.grpc) admin=\(host):\(ports.admin)\n")
        }
        Self.log("stopped")
    }

    private func loadStock() throws -> [String: Int] {
        guard let stockFile else {
            return Dictionary(uniqueKeysWithValues: (1...100).map { ("sku-\($0)", 1_000_000) })
        }
        guard let data = FileManager.default.contents(atPath: stockFile),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Int]
        else {
            throw ValidationError("--stock-file \(stockFile): expected a JSON object of SKU to integer units")
        }
        return object
    }

    private func loadToken() throws -> BearerToken? {
        if let adminTokenFile {
            guard let data = FileManager.default.contents(atPath: adminTokenFile), let token = BearerToken(String(decoding: data, as: UTF8.self)) else {
                throw ValidationError("--admin-token-file \(adminTokenFile): unreadable or empty")
            }
            return token
        }
        return ProcessInfo.processInfo.environment["ORDER_ADMIN_TOKEN"].flatMap(BearerToken.init)
    }

    /// Writes to stdout unbuffered (a parent process waits for the listening line).
    static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes a log line to stderr unbuffered.
    @Sendable static func log(_ text: String) {
        FileHandle.standardError.write(Data("order-service: \(text)\n".utf8))
    }
}
