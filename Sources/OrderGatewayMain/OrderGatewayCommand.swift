import ArgumentParser
import Foundation
import SignalActions
import OrderGateway
import OrderService

/// `order-gateway`: the weighted gRPC front of the reference fleet.
@main
struct OrderGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-gateway",
        abstract: "Split order-service traffic between a stable and a canary upstream by weight.",
        discussion: """
            Each unary call and each new stream goes to the canary with probability weight/100; streams stay
            pinned. GET/PUT /admin/canary on the admin port read and set the weight (PUT needs the token from
            --admin-token-file or $GATEWAY_ADMIN_TOKEN). Prints "order-gateway grpc=HOST:PORT admin=HOST:PORT"
            when listening; SIGTERM or SIGINT drains.
            """
    )

    @Option(help: "host:port of the stable upstream's gRPC port.")
    var stable: String

    @Option(help: "host:port of the canary upstream's gRPC port.")
    var canary: String

    @Option(help: "Initial canary weight, 0...100.")
    var weight: Int = 0

    @Option(help: "Address to bind (loopback by default).")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("grpc-port"), help: "gRPC port (0: any free port).")
    var grpcPort: Int = 0

    @Option(name: .customLong("admin-port"), help: "HTTP admin port (0: any free port).")
    var adminPort: Int = 0

    @Option(name: .customLong("drain-timeout"), help: "Seconds open calls get to finish when draining.")
    var drainTimeout: Double = 10

    @Option(name: .customLong("admin-token-file"), help: "File holding the admin bearer token.")
    var adminTokenFile: String?

    @Option(name: .customLong("tls-cert"), help: "Serve gRPC over TLS with this certificate chain (PEM).")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "Private key of --tls-cert (PEM).")
    var tlsKey: String?

    @Option(name: .customLong("tls-ca"), help: "Require client certificates signed by this CA (mutual TLS).")
    var tlsCA: String?

    @Option(name: .customLong("upstream-tls-ca"), help: "Call the upstreams over TLS, verified against this CA.")
    var upstreamTLSCA: String?

    @Option(name: .customLong("upstream-tls-cert"), help: "Client certificate for the upstreams (mutual TLS).")
    var upstreamTLSCert: String?

    @Option(name: .customLong("upstream-tls-key"), help: "Private key of --upstream-tls-cert.")
    var upstreamTLSKey: String?

    func validate() throws {
        if let problem = TLSFiles(certificate: tlsCert, key: tlsKey, authority: tlsCA).problem { throw ValidationError(problem) }
        if let problem = TLSFiles(certificate: upstreamTLSCert, key: upstreamTLSKey, authority: upstreamTLSCA).problem {
            throw ValidationError("upstream: \(problem)")
        }
        guard (0...100).contains(weight) else { throw ValidationError("--weight must be in 0...100") }
    }

    func run() async throws {
        var configuration = GatewayApp.Configuration(stable: stable, canary: canary)
        configuration.weight = weight
        configuration.host = host
        configuration.grpcPort = grpcPort
        configuration.adminPort = adminPort
        configuration.drainTimeout = drainTimeout
        configuration.tls = TLSFiles(certificate: tlsCert, key: tlsKey, authority: tlsCA)
        configuration.upstreamTLS = TLSFiles(certificate: upstreamTLSCert, key: upstreamTLSKey, authority: upstreamTLSCA)
        if let adminTokenFile {
            guard let data = FileManager.default.contents(atPath: adminTokenFile), let token = BearerToken(String(decoding: data, as: UTF8.self)) else {
                throw ValidationError("--admin-token-file \(adminTokenFile): unreadable or empty")
            }
            configuration.token = token
        } else {
            configuration.token = ProcessInfo.processInfo.environment["GATEWAY_ADMIN_TOKEN"].flatMap(BearerToken.init)
        }
        let app = GatewayApp(configuration: configuration) { line in
            FileHandle.standardError.write(Data("order-gateway: \(line)\n".utf8))
        }
        let signals = OnSignals { app.drain() }
        signals.install()
        let host = host
        try await app.run { grpc, admin in
            FileHandle.standardOutput.write(Data("order-gateway grpc=\(host):\(grpc) admin=\(host):\(admin)\n".utf8))
        }
    }
}
