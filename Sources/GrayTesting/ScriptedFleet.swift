import Foundation
public import GrayCore
public import GrayRuntime

/// An in-memory ``FleetObserver``: each poll round returns the canary's entries as the test's
/// ``ScriptedCanary`` says, then the router's reading.
public struct ScriptedFleet: FleetObserver {
    private let canary: ScriptedCanary
    private let router: (any TrafficRouter)?

    /// A fleet of `canary` behind `router`.
    public init(canary: ScriptedCanary, router: (any TrafficRouter)?) {
        self.canary = canary
        self.router = router
    }

    public func poll() async -> [RecordEntry] {
        var entries = canary.round()
        if let router { entries.append(await router.read()) }
        return entries
    }
}

/// A canary instance whose counters grow by `requestsPerRound` each poll round, with the health,
/// breaker state and failure ratio the test sets at any moment.
public final class ScriptedCanary: @unchecked Sendable {
    private let lock = NSLock()
    private var ok = 0.0
    private var failed = 0.0
    private var failureRatio = 0.0
    private var breakerOpen = false
    private let requestsPerRound: Double

    /// A healthy canary serving `requestsPerRound` requests per poll round.
    public init(requestsPerRound: Double = 40) {
        self.requestsPerRound = requestsPerRound
    }

    /// From the next round on, `ratio` of the requests fail.
    public func fail(_ ratio: Double) { lock.withLock { failureRatio = ratio } }
    /// From the next round on, the canary's breaker is open (or closed again).
    public func openBreaker(_ open: Bool) { lock.withLock { breakerOpen = open } }

    /// One round: SERVING, the breaker, and the counters as an exposition.
    func round() -> [RecordEntry] {
        lock.withLock {
            let failing = (requestsPerRound * failureRatio).rounded()
            ok += requestsPerRound - failing
            failed += failing
            let body = """
                grpc_server_handled_total{grpc_code="OK",grpc_method="CreateOrder"} \(Int(ok))
                grpc_server_handled_total{grpc_code="Unavailable",grpc_method="CreateOrder"} \(Int(failed))
                grpc_server_handling_seconds_bucket{grpc_method="CreateOrder",le="0.1"} \(Int(ok + failed))
                grpc_server_handling_seconds_bucket{grpc_method="CreateOrder",le="+Inf"} \(Int(ok + failed))

                """
            let breaker: JSONValue = .object([
                "breakers": .array([.object([
                    "name": .string("order-create"), "method": .string("/order.v1.OrderService/CreateOrder"),
                    "state": .string(breakerOpen ? "open" : "closed"),
                ])]),
            ])
            return [.health(.canary, .serving), .breakers(.canary, body: breaker), .metrics(.canary, body: body)]
        }
    }
}
