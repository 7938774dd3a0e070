import Foundation
import HTTPTypes
public import Hummingbird
public import OrderService
public import Prometheus

/// The gateway's HTTP admin port: `/healthz`, `/readyz`, `/metrics` and `GET`/`PUT /admin/canary`
/// exactly per docs/endpoints.md (token, 400/401/409, `ETag`/`If-Match`, atomic and logged).
public struct GatewayRoutes: Sendable {
    /// Whether the gateway is ready.
    public let ready = ReadyFlag()
    private let weight: CanaryWeight
    private let upstreams: [Upstream: String]
    private let registry: PrometheusCollectorRegistry
    private let token: BearerToken?
    private let now: @Sendable () -> Double
    private let log: @Sendable (String) -> Void

    /// Creates the routes; `upstreams` are the addresses shown in `GET /admin/canary`.
    public init(
        weight: CanaryWeight, upstreams: [Upstream: String], registry: PrometheusCollectorRegistry, token: BearerToken?,
        now: @escaping @Sendable () -> Double, log: @escaping @Sendable (String) -> Void
    ) {
        self.weight = weight
        self.upstreams = upstreams
        self.registry = registry
        self.token = token
        self.now = now
        self.log = log
        publish(weight.current)
    }

    /// A router with every route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        HTTPAnswer.addProbeRoutes(to: router, ready: ready, registry: registry)
        router.get("/admin/canary") { _, _ -> Response in self.answer(self.weight.current) }
        router.put("/admin/canary") { request, _ -> Response in
            guard let token = self.token, token.accepts(authorization: request.headers[.authorization]) else {
                return HTTPAnswer.text(.unauthorized, "missing or wrong bearer token")
            }
            let body = try await request.body.collect(upTo: 16 * 1024)
            return self.change(body: Data(body.readableBytesView), ifMatch: request.headers[.ifMatch], by: request.headers[HTTPField.Name("X-Updated-By")!])
        }
        return router
    }

    private func change(body: Data, ifMatch: String?, by: String?) -> Response {
        struct WeightChange: Decodable {
            let weight: Int
        }
        guard (try? JSONSerialization.jsonObject(with: body)) is [String: Any] else {
            return HTTPAnswer.text(.badRequest, "body must be a JSON object {\"weight\":N}")
        }
        guard let change = try? JSONDecoder().decode(WeightChange.self, from: body), (0...100).contains(change.weight) else {
            return HTTPAnswer.text(.badRequest, "weight must be an integer in 0...100")
        }
        var expected: UInt64?
        if let ifMatch {
            guard let generation = UInt64(ifMatch.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) else {
                return HTTPAnswer.text(.badRequest, "If-Match must be a generation such as \"7\"")
            }
            expected = generation
        }
        let actor = by.map { String($0.prefix(64)) } ?? "admin"
        do {
            let state = try weight.set(change.weight, ifMatch: expected, by: actor, now: now())
            publish(state)
            log("canary weight set to \(state.weight)% by \(actor) (generation \(state.generation))")
            return answer(state)
        } catch {
            switch error {
            case .generationMismatch(let wanted, let current):
                return HTTPAnswer.text(.conflict, "generation mismatch: If-Match \(wanted), current \(current)")
            case .outOfRange:
                return HTTPAnswer.text(.badRequest, "weight must be an integer in 0...100")
            }
        }
    }

    private func publish(_ state: CanaryWeight.State) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: "gateway_canary", unitName: "weight", helpText: "Canary weight in percent.")
        ).set(to: Double(state.weight))
    }

    private func answer(_ state: CanaryWeight.State) -> Response {
        let document: [String: Any] = [
            "weight": state.weight, "generation": state.generation, "stable": upstreams[.stable] ?? "",
            "canary": upstreams[.canary] ?? "", "updated_at": HTTPAnswer.timestamp(state.updatedAt), "updated_by": state.updatedBy,
        ]
        var response = HTTPAnswer.json(.ok, (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
        response.headers[.eTag] = "\"\(state.generation)\""
        return response
    }
}
