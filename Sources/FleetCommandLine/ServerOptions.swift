public import ArgumentParser
import Foundation
public import OrderService

/// The flags every fleet server takes: where to listen, how long to drain, the admin token, TLS.
public struct ServerOptions: ParsableArguments {
    @Option(help: "Address to bind (loopback by default).")
    public var host: String = "127.0.0.1"

    @Option(name: .customLong("grpc-port"), help: "gRPC port (0: any free port).")
    public var grpcPort: Int = 0

    @Option(name: .customLong("admin-port"), help: "HTTP admin port (0: any free port).")
    public var adminPort: Int = 0

    @Option(name: .customLong("drain-timeout"), help: "Seconds open RPCs get to finish when draining.")
    public var drainTimeout: Double = 10

    @Option(name: .customLong("admin-token-file"), help: "File holding the admin bearer token.")
    public var adminTokenFile: String?

    @Option(name: .customLong("tls-cert"), help: "Serve gRPC over TLS with this certificate chain (PEM).")
    public var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "Private key of --tls-cert (PEM).")
    public var tlsKey: String?

    @Option(name: .customLong("tls-ca"), help: "Require client certificates signed by this CA (mutual TLS).")
    public var tlsCA: String?

    /// Creates the defaults (ArgumentParser fills in the flags).
    public init() {}

    public func validate() throws {
        guard (0...65535).contains(grpcPort), (0...65535).contains(adminPort) else { throw ValidationError("ports must be in 0...65535") }
        guard drainTimeout >= 0 else { throw ValidationError("--drain-timeout must be ≥ 0") }
        if let problem = tls.problem { throw ValidationError(problem) }
    }

    /// The TLS files of the gRPC port.
    public var tls: TLSFiles { TLSFiles(certificate: tlsCert, key: tlsKey, authority: tlsCA) }

    /// The admin token from `--admin-token-file`, else from the environment variable `variable`.
    public func token(environment variable: String) throws -> BearerToken? {
        guard let adminTokenFile else { return ProcessInfo.processInfo.environment[variable].flatMap(BearerToken.init) }
        guard let data = FileManager.default.contents(atPath: adminTokenFile), let token = BearerToken(String(decoding: data, as: UTF8.self)) else {
            throw ValidationError("--admin-token-file \(adminTokenFile): unreadable or empty")
        }
        return token
    }

    /// Writes the listening line to stdout unbuffered (a parent process waits for it).
    public static func announce(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// A logger writing `prefix: text` lines to stderr unbuffered.
    public static func logger(_ prefix: String) -> @Sendable (String) -> Void {
        { text in FileHandle.standardError.write(Data("\(prefix): \(text)\n".utf8)) }
    }
}
