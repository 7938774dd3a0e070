public import Foundation
public import Hummingbird
public import Prometheus

/// Small builders for the admin ports' responses, shared by the order-service and the gateway.
public enum HTTPAnswer {
    /// A plain-text answer (a line).
    public static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    /// A JSON answer.
    public static func json(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The registry in the Prometheus text format 0.0.4.
    public static func metrics(_ registry: PrometheusCollectorRegistry) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    /// Adds the routes every admin port has: `/healthz` (200 while the process runs), `/readyz`
    /// (200 when ready, 503 while starting or draining) and `/metrics`.
    public static func addProbeRoutes(to router: Router<BasicRequestContext>, ready: ReadyFlag, registry: PrometheusCollectorRegistry) {
        router.get("/healthz") { _, _ in "ok" }
        router.get("/readyz") { _, _ -> Response in
            ready.isReady ? text(.ok, "ready") : text(.serviceUnavailable, "not ready")
        }
        router.get("/metrics") { _, _ -> Response in metrics(registry) }
    }

    /// RFC 3339 UTC with milliseconds.
    public static func timestamp(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
