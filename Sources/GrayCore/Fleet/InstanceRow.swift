/// One instance as the instances view lists it: health, check latency, error ratio, latency
/// quantile and breakers, from a ``FleetState`` at one moment. Pure.
public struct InstanceRow: Equatable, Sendable {
    /// The instance.
    public var subject: Subject
    /// Its health, nil when not checked yet.
    public var health: HealthStatus?
    /// Seconds in that health status.
    public var healthFor: Double?
    /// How long its last health check took (seconds).
    public var checkLatency: Double?
    /// Failures / requests of its own metrics over the window (NaN without requests).
    public var failureRatio: Double
    /// Requests over the window.
    public var requests: Double
    /// Its latency quantile over the window (seconds, NaN without observations).
    public var latency: Double
    /// Breakers: how many are open, and a short text (`2 closed`, `OPEN db`, `not observed`).
    public var openBreakers: Int
    /// The breakers in a few words.
    public var breakers: String

    /// Every current instance of both versions, worst first: unhealthy (longest first), then open
    /// breakers, then the highest failure ratio, then the slowest; canary before stable on ties.
    public static func rows(_ fleet: FleetState, now: Double, window: Double, quantile: Double) -> [InstanceRow] {
        var rows: [InstanceRow] = []
        for version in [Version.canary, .stable] {
            let traffic = Dictionary(fleet.instanceTraffic(of: version, over: window).map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
            for subject in fleet.instances(of: version) {
                let health = fleet.health[subject]
                let stats = traffic[subject]
                let view = fleet.breakers[subject]
                let gauges = fleet.breakerGauges(of: subject)
                let openNames = (view?.breakers.filter { $0.state == .open }.map(\.name) ?? [])
                    + gauges.filter { $0.value == .state(.open) }.map(\.key).sorted()
                let breakers: String
                if let first = openNames.first {
                    breakers = "OPEN " + first + (openNames.count > 1 ? " +\(openNames.count - 1)" : "")
                } else if let view, view.notObserved == nil {
                    breakers = "\(view.breakers.count) closed"
                } else if !gauges.isEmpty {
                    breakers = "\(gauges.count) closed"
                } else {
                    breakers = view?.notObserved != nil ? "not observed" : "-"
                }
                rows.append(InstanceRow(
                    subject: subject, health: health?.status, healthFor: health.map { max(0, now - $0.since) },
                    checkLatency: health?.latency, failureRatio: stats?.failureRatio ?? .nan, requests: stats?.requests ?? 0,
                    latency: stats?.latencyQuantile(quantile) ?? .nan, openBreakers: openNames.count, breakers: breakers))
            }
        }
        return rows.enumerated().sorted { $0.element.rank(order: $0.offset).lexicographicallyPrecedes($1.element.rank(order: $1.offset)) }.map(\.element)
    }

    /// Sort key: smaller is worse. Ratios count in steps of 0.1 % and latencies of 1 ms, so that
    /// instances alike stay in name order.
    private func rank(order: Int) -> [Double] {
        let unhealthy = health.map { $0 != .serving } ?? false
        let ratio = failureRatio.isNaN ? -1 : (failureRatio * 1000).rounded()
        let slowness = latency.isNaN ? -1 : (latency * 1000).rounded()
        return [unhealthy ? 0 : 1, unhealthy ? -(healthFor ?? 0) : 0, openBreakers > 0 ? 0 : 1, -ratio, -slowness, Double(order)]
    }
}
