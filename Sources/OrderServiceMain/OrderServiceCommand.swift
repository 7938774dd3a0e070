import ArgumentParser
import Foundation
import SignalActions
import FleetCommandLine
import OrderService

/// `order-service`: one instance of the reference order-service (docs/endpoints.md).
@main
struct OrderServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-service",
        abstract: "Run one instance of the reference order-service (gRPC + HTTP admin port).",
        discussion: """
            Prints one line when listening: "order-service <version> (<role>) grpc=HOST:PORT admin=HOST:PORT". \
            SIGTERM, SIGINT or SIGHUP drains: health NOT_SERVING, /readyz 503, open RPCs get --drain-timeout, exit 0. \
            The admin token for POST /admin/faults is read from --admin-token-file or $ORDER_ADMIN_TOKEN.
            """
    )

    @Option(help: "stable or canary.")
    var role: String = "stable"

    @Option(help: "Version label reported in responses and /admin/info.")
    var version: String = "v1"

    @OptionGroup var server: ServerOptions

    @Option(name: .customLong("stock-file"), help: "JSON object of SKU to units; default: 1,000,000 units of sku-1...sku-100.")
    var stockFile: String?

    func validate() throws {
        guard role == "stable" || role == "canary" else { throw ValidationError("--role must be stable or canary, not \(role)") }
    }

    func run() async throws {
        var configuration = OrderServiceApp.Configuration(role: role, version: version, stock: try loadStock())
        configuration.host = server.host
        configuration.grpcPort = server.grpcPort
        configuration.adminPort = server.adminPort
        configuration.drainTimeout = server.drainTimeout
        configuration.token = try server.token(environment: "ORDER_ADMIN_TOKEN")
        configuration.tls = server.tls
        let log = ServerOptions.logger("order-service")
        let app = OrderServiceApp(configuration: configuration, log: log)
        let signals = OnSignals { app.drain() }
        signals.install()
        let role = role
        let version = version
        let host = server.host
        try await app.run { ports in
            ServerOptions.announce("order-service \(version) (\(role)) grpc=\(host):\(ports.grpc) admin=\(host):\(ports.admin)")
        }
        log("stopped")
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
}
