import ArgumentParser
import Foundation
import SignalActions
import FleetCommandLine
import OrderGateway
import OrderService

/// `order-gateway`: the weighted gRPC front of the reference fleet.
@main
struct OrderGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-gateway",
        abstract: "Split order-service traffic between a stable and a canary upstream by weight.",
        discussion: """
            Each unary call and each new stream goes to the canary with probability weight/100; streams stay \
            pinned. GET/PUT /admin/canary on the admin port read and set the weight (PUT needs the token from \
            --admin-token-file or $GATEWAY_ADMIN_TOKEN). Prints "order-gateway grpc=HOST:PORT admin=HOST:PORT" \
            when listening; SIGTERM, SIGINT or SIGHUP drains.
            """
    )

    @Option(help: "host:port of the stable upstream's gRPC port; several IPv4 host:port, comma-separated, are balanced round robin.")
    var stable: String

    @Option(help: "host:port of the canary upstream's gRPC port; several IPv4 host:port, comma-separated, are balanced round robin.")
    var canary: String

    @Option(help: "Initial canary weight, 0...100.")
    var weight: Int = 0

    @OptionGroup var server: ServerOptions

    @Option(name: .customLong("upstream-tls-ca"), help: "Call the upstreams over TLS, verified against this CA.")
    var upstreamTLSCA: String?

    @Option(name: .customLong("upstream-tls-cert"), help: "Client certificate for the upstreams (mutual TLS).")
    var upstreamTLSCert: String?

    @Option(name: .customLong("upstream-tls-key"), help: "Private key of --upstream-tls-cert.")
    var upstreamTLSKey: String?

    func validate() throws {
        if let problem = TLSFiles(certificate: upstreamTLSCert, key: upstreamTLSKey, authority: upstreamTLSCA).problem {
            throw ValidationError("upstream: \(problem)")
        }
        guard (0...100).contains(weight) else { throw ValidationError("--weight must be in 0...100") }
    }

    func run() async throws {
        var configuration = GatewayApp.Configuration(stable: stable, canary: canary)
        configuration.weight = weight
        configuration.host = server.host
        configuration.grpcPort = server.grpcPort
        configuration.adminPort = server.adminPort
        configuration.drainTimeout = server.drainTimeout
        configuration.tls = server.tls
        configuration.upstreamTLS = TLSFiles(certificate: upstreamTLSCert, key: upstreamTLSKey, authority: upstreamTLSCA)
        configuration.token = try server.token(environment: "GATEWAY_ADMIN_TOKEN")
        let app = GatewayApp(configuration: configuration, log: ServerOptions.logger("order-gateway"))
        let signals = OnSignals { app.drain() }
        signals.install()
        let host = server.host
        try await app.run { grpc, admin in
            ServerOptions.announce("order-gateway grpc=\(host):\(grpc) admin=\(host):\(admin)")
        }
    }
}
