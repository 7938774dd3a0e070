public import GrayCore

/// `grpc.health.v1.Health/Check` over HTTP/2 through libcurl: no gRPC library, no NIO.
///
/// The request is one length-prefixed protobuf message (1 flag byte, 4-byte big-endian length);
/// the answer's status is trusted from `grpc-status` (in the trailers, or in the only header block
/// for errors such as `UNIMPLEMENTED`), never from the payload alone. `NOT_FOUND` means the service
/// name is unknown (`SERVICE_UNKNOWN`); anything that keeps an answer from arriving is
/// `UNREACHABLE`, with the reason.
public struct GRPCHealthClient: Sendable {
    /// One health check's outcome.
    public struct Result: Sendable, Equatable {
        /// The status, `UNREACHABLE` when no answer came.
        public var status: HealthStatus
        /// Seconds the check took.
        public var seconds: Double
        /// Why the check failed, if it did.
        public var error: ProbeError?
    }

    let http: CurlHTTPClient
    let baseURL: String

    /// A client for the gRPC server at `address` (`host:port`), cleartext h2c or TLS with `tls`.
    public init(address: String, tls: ProbeTLS? = nil) {
        let secure = tls != nil
        baseURL = (secure ? "https://" : "http://") + address
        http = CurlHTTPClient(version: .http2, tls: tls ?? ProbeTLS(), label: "grayctl.health.\(address)")
    }

    /// Checks `service` (`""`: the whole server) with a deadline in seconds.
    public func check(service: String = "", deadline: Double = 1) async -> Result {
        let url = baseURL + "/grpc.health.v1.Health/Check"
        let request = HTTPRequest(
            method: "POST", url: url,
            headers: [
                ("content-type", "application/grpc"), ("te", "trailers"),
                ("grpc-timeout", "\(Int(deadline * 1000))m"),
            ],
            body: GRPCFraming.frame(HealthProtobuf.request(service: service)),
            connectTimeout: deadline, timeout: deadline)
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch {
            return Result(status: .unreachable, seconds: deadline, error: error)
        }
        return Self.interpret(response, url: url)
    }

    /// What a `Check` answer (`response`, from `url`) says: the status, or why it cannot be read.
    public static func interpret(_ response: HTTPResponse, url: String) -> Result {
        guard response.status == 200 else {
            return Result(status: .unreachable, seconds: response.seconds, error: .httpStatus(url: url, status: response.status, body: response.text))
        }
        guard let statusText = response.header("grpc-status"), let code = Int(statusText) else {
            return Result(status: .unreachable, seconds: response.seconds, error: .badResponse(url: url, reason: "no grpc-status in the answer"))
        }
        guard code == 0 else {
            let message = GRPCFraming.percentDecoded(response.header("grpc-message") ?? "")
            let error = ProbeError.grpcStatus(url: url, code: code, message: message)
            return Result(status: code == 5 ? .serviceUnknown : .unknown, seconds: response.seconds, error: error)
        }
        guard let message = GRPCFraming.firstMessage(response.body), let status = HealthProtobuf.status(message) else {
            return Result(status: .unknown, seconds: response.seconds, error: .badResponse(url: url, reason: "unreadable HealthCheckResponse"))
        }
        return Result(status: status, seconds: response.seconds, error: nil)
    }
}
