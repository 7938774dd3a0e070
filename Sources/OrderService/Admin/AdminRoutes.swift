import Foundation
public import Hummingbird
public import Prometheus

/// The HTTP admin port of an instance (docs/endpoints.md): `/healthz`, `/readyz`, `/metrics`,
/// `/admin/info`, `/admin/breakers` and the token-protected `POST /admin/faults`.
public struct AdminRoutes: Sendable {
    /// What `/admin/info` reports.
    public struct Info: Sendable, Codable {
        /// Always `order-service`.
        public var service: String
        /// e.g. `v2`.
        public var version: String
        /// `stable` or `canary`.
        public var role: String
        /// RFC 3339 start time.
        public var startedAt: String

        enum CodingKeys: String, CodingKey {
            case service, version, role
            case startedAt = "started_at"
        }

        /// Creates info.
        public init(service: String, version: String, role: String, startedAt: String) {
            self.service = service
            self.version = version
            self.role = role
            self.startedAt = startedAt
        }
    }

    /// Whether the instance is ready (false while starting and draining).
    public let ready = ReadyFlag()
    private let info: Info
    private let registry: PrometheusCollectorRegistry
    private let breakers: BreakerBoard
    private let faults: FaultInjector
    private let token: BearerToken?
    private let log: @Sendable (String) -> Void
    private let now: @Sendable () -> Double

    /// Creates the routes; without a token, `POST /admin/faults` always answers 401.
    public init(
        info: Info, registry: PrometheusCollectorRegistry, breakers: BreakerBoard, faults: FaultInjector,
        token: BearerToken?, now: @escaping @Sendable () -> Double, log: @escaping @Sendable (String) -> Void
    ) {
        self.info = info
        self.registry = registry
        self.breakers = breakers
        self.faults = faults
        self.token = token
        self.now = now
        self.log = log
    }

    /// A router with every route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        HTTPAnswer.addProbeRoutes(to: router, ready: ready, registry: registry)
        router.get("/admin/info") { _, _ -> Response in
            HTTPAnswer.json(.ok, try JSONEncoder().encode(self.info))
        }
        router.get("/admin/breakers") { _, _ -> Response in
            HTTPAnswer.json(.ok, try JSONSerialization.data(withJSONObject: self.breakersDocument(), options: [.sortedKeys, .withoutEscapingSlashes]))
        }
        router.post("/admin/faults") { request, context -> Response in
            guard let token = self.token, token.accepts(authorization: request.headers[.authorization]) else {
                return HTTPAnswer.text(.unauthorized, "missing or wrong bearer token")
            }
            let body = try await request.body.collect(upTo: 64 * 1024)
            return self.applyFaults(Data(body.readableBytesView))
        }
        return router
    }

    private func applyFaults(_ body: Data) -> Response {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return HTTPAnswer.text(.badRequest, "body must be a JSON object such as {\"error_ratio\":0.5,\"latency_ms\":200,\"method\":\"CreateOrderStream\"}")
        }
        if object.isEmpty {
            faults.set(nil)
            log("faults cleared")
            return HTTPAnswer.json(.ok, Data("{}".utf8))
        }
        let ratio = (object["error_ratio"] as? NSNumber)?.doubleValue ?? 0
        let latency = (object["latency_ms"] as? NSNumber)?.intValue ?? 0
        guard (0...1).contains(ratio) else { return HTTPAnswer.text(.badRequest, "error_ratio must be a number in 0...1") }
        guard (0...60_000).contains(latency) else { return HTTPAnswer.text(.badRequest, "latency_ms must be an integer in 0...60000") }
        let method = object["method"] as? String
        faults.set(.init(errorRatio: ratio, latencyMilliseconds: latency, method: method))
        log("faults set: error_ratio \(ratio), latency_ms \(latency), method \(method ?? "all")")
        var answer: [String: Any] = ["error_ratio": ratio, "latency_ms": latency]
        if let method { answer["method"] = method }
        return HTTPAnswer.json(.ok, (try? JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }

    private func breakersDocument() -> [String: Any] {
        let paths = Dictionary(uniqueKeysWithValues: breakers.methods.map { ($0.value, $0.key) })
        let list: [[String: Any]] = breakers.snapshot(now: now()).map { breaker in
            [
                "name": breaker.name, "method": paths[breaker.name] ?? "", "state": breaker.state.rawValue,
                "since": HTTPAnswer.timestamp(breaker.since),
                "counts": [
                    "requests": breaker.counts.requests, "total_successes": breaker.counts.totalSuccesses,
                    "total_failures": breaker.counts.totalFailures,
                    "consecutive_successes": breaker.counts.consecutiveSuccesses,
                    "consecutive_failures": breaker.counts.consecutiveFailures,
                ],
                "settings": [
                    "error_threshold": breaker.settings.errorThreshold, "min_requests": breaker.settings.minRequests,
                    "interval_s": breaker.settings.interval, "timeout_s": breaker.settings.timeout,
                    "max_requests": breaker.settings.maxRequests,
                ],
                "transitions": breaker.transitions.map {
                    ["at": HTTPAnswer.timestamp($0.at), "from": $0.from.rawValue, "to": $0.to.rawValue]
                },
            ]
        }
        return ["breakers": list]
    }
}
