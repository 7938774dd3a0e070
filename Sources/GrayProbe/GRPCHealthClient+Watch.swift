import Foundation
public import GrayCore

extension GRPCHealthClient {
    /// `grpc.health.v1.Health/Watch` over HTTP/2: every status the server streams goes to
    /// `onStatus` (the current one first, then each change), until `onStatus` returns false,
    /// `isStopped` returns true (checked at least once a second, so a silent stream still stops),
    /// or the server ends the stream.
    ///
    /// - Parameters:
    ///   - service: The service name (`""`: the whole server).
    ///   - connectTimeout: Seconds to connect; the stream itself has no deadline.
    ///   - onStatus: Called on the client's queue for each status.
    ///   - isStopped: Asked from the client's queue.
    /// - Returns: nil when the caller stopped the stream; otherwise why it ended (the server's
    ///   `grpc-status`, an HTTP status, or a transport failure).
    public func watch(
        service: String = "", connectTimeout: Double = 1, onStatus: @escaping @Sendable (HealthStatus) -> Bool,
        isStopped: @escaping @Sendable () -> Bool = { false }
    ) async -> ProbeError? {
        let url = baseURL + "/grpc.health.v1.Health/Watch"
        let request = HTTPRequest(
            method: "POST", url: url, headers: [("content-type", "application/grpc"), ("te", "trailers")],
            body: GRPCFraming.frame(HealthProtobuf.request(service: service)), connectTimeout: connectTimeout, timeout: 0)
        let buffer = WatchBuffer()
        let response: HTTPResponse
        do {
            response = try await http.stream(request, onData: { bytes in buffer.take(bytes, onStatus) }, shouldStop: isStopped)
        } catch {
            return error
        }
        if buffer.stopped || isStopped() { return nil }
        guard response.status == 200 else { return .httpStatus(url: url, status: response.status, body: "") }
        let code = response.header("grpc-status").flatMap { Int($0) } ?? -1
        let message = GRPCFraming.percentDecoded(response.header("grpc-message") ?? "the server ended the stream")
        return .grpcStatus(url: url, code: code, message: message)
    }
}

/// The bytes of a Watch stream between curl's callbacks (used on the client's queue only).
private final class WatchBuffer: @unchecked Sendable {
    private var bytes: [UInt8] = []
    private(set) var stopped = false

    func take(_ data: UnsafeRawBufferPointer, _ onStatus: (HealthStatus) -> Bool) -> Bool {
        bytes.append(contentsOf: data)
        for message in GRPCFraming.takeMessages(from: &bytes) {
            guard let status = HealthProtobuf.status(message) else { continue }
            if !onStatus(status) {
                stopped = true
                return false
            }
        }
        return true
    }
}
