import Foundation
public import GrayCore
public import GrayRuntime

/// An in-memory instance behind the poller's ports (``HealthProbe``, ``MetricsProbe``,
/// ``BreakerProbe``): its counters grow by `requestsPerScrape` at each scrape, with the health and
/// failure ratio the test sets at any moment, or it is unreachable.
public final class ScriptedInstance: HealthProbe, MetricsProbe, BreakerProbe, @unchecked Sendable {
    /// The instance.
    public let subject: Subject
    private let lock = NSLock()
    private var status = HealthStatus.serving
    private var reachable = true
    private var failureRatio = 0.0
    private var ok = 0.0
    private var failed = 0.0
    private let requestsPerScrape: Double

    /// A healthy instance `subject` serving `requestsPerScrape` requests between scrapes.
    public init(_ subject: Subject, requestsPerScrape: Double = 20) {
        self.subject = subject
        self.requestsPerScrape = requestsPerScrape
    }

    /// The member of a directory this instance is.
    public var member: InstanceDirectory.Member {
        InstanceDirectory.Member(subject: subject, health: self, metrics: self, breakers: self, labels: [subject.instance])
    }

    /// From now on, health answers `status`.
    public func answer(_ status: HealthStatus) { lock.withLock { self.status = status } }
    /// From now on, every probe fails to connect (or connects again).
    public func unreachable(_ down: Bool) { lock.withLock { reachable = !down } }
    /// From the next scrape on, `ratio` of the requests fail.
    public func fail(_ ratio: Double) { lock.withLock { failureRatio = ratio } }

    public func check() async -> RecordEntry {
        lock.withLock { reachable ? .health(subject, status) : refused("health") }
    }

    public func scrape() async -> RecordEntry {
        lock.withLock {
            guard reachable else { return refused("metrics") }
            let failing = (requestsPerScrape * failureRatio).rounded()
            ok += requestsPerScrape - failing
            failed += failing
            return .metrics(subject, body: """
                grpc_server_handled_total{grpc_code="OK",grpc_method="CreateOrder"} \(Int(ok))
                grpc_server_handled_total{grpc_code="Unavailable",grpc_method="CreateOrder"} \(Int(failed))
                grpc_server_handling_seconds_bucket{grpc_method="CreateOrder",le="0.1"} \(Int(ok + failed))
                grpc_server_handling_seconds_bucket{grpc_method="CreateOrder",le="+Inf"} \(Int(ok + failed))

                """)
        }
    }

    public func read() async -> RecordEntry {
        lock.withLock { reachable ? .breakersNotObserved(subject, reason: "scripted: none", configured: true) : refused("breakers") }
    }

    private func refused(_ endpoint: String) -> RecordEntry {
        .error(subject, endpoint: endpoint, message: "scripted \(subject.instance): connection refused")
    }
}
