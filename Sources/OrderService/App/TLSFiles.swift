public import GRPCNIOTransportHTTP2Posix

/// PEM files for TLS and mutual TLS (`--tls-cert --tls-key --tls-ca`), as in the seed's ghz command.
///
/// A server with a certificate and key speaks TLS; with a CA as well it requires client
/// certificates signed by that CA (mTLS). A client with a CA verifies the server against it; with
/// a certificate and key as well it presents them (mTLS). Without any file: plaintext (h2c).
public struct TLSFiles: Sendable, Equatable {
    /// Certificate chain (PEM).
    public var certificate: String?
    /// Private key of the certificate (PEM).
    public var key: String?
    /// CA that signs the peer's certificate (PEM).
    public var authority: String?

    /// Creates a set of files.
    public init(certificate: String? = nil, key: String? = nil, authority: String? = nil) {
        self.certificate = certificate
        self.key = key
        self.authority = authority
    }

    /// Why the files do not make a usable configuration.
    public var problem: String? {
        if (certificate == nil) != (key == nil) { return "--tls-cert and --tls-key go together" }
        return nil
    }

    /// The server side.
    public var server: HTTP2ServerTransport.Posix.TransportSecurity {
        guard let certificate, let key else { return .plaintext }
        let chain: [TLSConfig.CertificateSource] = [.file(path: certificate, format: .pem)]
        let privateKey = TLSConfig.PrivateKeySource.file(path: key, format: .pem)
        guard let authority else { return .tls(certificateChain: chain, privateKey: privateKey) }
        return .mTLS(certificateChain: chain, privateKey: privateKey) { config in
            config.trustRoots = .certificates([.file(path: authority, format: .pem)])
        }
    }

    /// The client side.
    public var client: HTTP2ClientTransport.Posix.TransportSecurity {
        guard certificate != nil || authority != nil else { return .plaintext }
        let roots: TLSConfig.TrustRootsSource = authority.map { .certificates([.file(path: $0, format: .pem)]) } ?? .systemDefault
        if let certificate, let key {
            return .mTLS(certificateChain: [.file(path: certificate, format: .pem)], privateKey: .file(path: key, format: .pem)) { config in
                config.trustRoots = roots
            }
        }
        return .tls { config in config.trustRoots = roots }
    }
}
