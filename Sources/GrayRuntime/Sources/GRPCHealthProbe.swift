public import GrayCore
public import GrayProbe

/// gRPC health `Check` of one instance over libcurl, as a ``HealthProbe``.
public struct GRPCHealthProbe: HealthProbe {
    private let client: GRPCHealthClient
    private let subject: Subject
    private let deadline: Double

    /// Checks `subject` at `address` (`host:port`) with `tls`, giving up after `deadline` seconds.
    public init(subject: Subject, address: String, tls: ProbeTLS?, deadline: Double) {
        self.client = GRPCHealthClient(address: address, tls: tls)
        self.subject = subject
        self.deadline = deadline
    }

    public func check() async -> RecordEntry {
        let result = await client.check(deadline: deadline)
        if result.status == .unreachable, let error = result.error {
            return .error(subject, endpoint: "health", message: error.description)
        }
        return .health(subject, result.status, latency: result.seconds)
    }
}
