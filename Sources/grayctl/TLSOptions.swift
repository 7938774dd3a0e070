import ArgumentParser
import GrayProbe

/// How grayctl verifies and authenticates to TLS endpoints (every command that contacts a fleet).
struct TLSOptions: ParsableArguments {
    @Option(help: "CA bundle to verify TLS endpoints (PEM).")
    var cacert: String?

    @Option(help: "Client certificate for mutual TLS (PEM).")
    var cert: String?

    @Option(help: "Private key of --cert (PEM).")
    var key: String?

    func validate() throws {
        guard (cert == nil) == (key == nil) else { throw ValidationError("--cert and --key go together") }
    }

    /// The TLS settings, nil for cleartext.
    var tls: ProbeTLS? {
        cacert == nil && cert == nil ? nil : ProbeTLS(caFile: cacert, certFile: cert, keyFile: key)
    }
}
