import Foundation
import GrayCore
import Synchronization

/// grayctl's own metrics for `--metrics-listen`: taps a runner's outputs (decisions, states and
/// every observed entry) into a ``GrayCore/DriverMetrics`` that a ``MetricsListener`` serves at
/// each scrape.
public final class DriverMetricsTap: Sendable {
    /// The metrics, shared by the runner's outputs and the listener's thread.
    private final class Shared: Sendable {
        let metrics = Mutex(DriverMetrics())
    }

    private let shared = Shared()
    private let listener: MetricsListener

    /// Serves the metrics at `address` (`HOST:PORT`, port 0 for any free one).
    public init(address: String) throws(MetricsListener.StartError) {
        let shared = self.shared
        listener = try MetricsListener(address: address) { shared.metrics.withLock { $0.exposition } }
    }

    /// The port the metrics are served on.
    public var port: Int { listener.port }

    /// `outputs`, each also recorded here.
    public func tap(_ outputs: ReleaseRunner.Outputs) -> ReleaseRunner.Outputs {
        let shared = self.shared
        return ReleaseRunner.Outputs(
            decision: { decision in
                shared.metrics.withLock { $0.record(decision) }
                outputs.decision(decision)
            },
            message: outputs.message,
            record: { line in
                let now = Date().timeIntervalSince1970
                shared.metrics.withLock { $0.record(line.entry, at: now) }
                outputs.record(line)
            },
            state: { state in
                shared.metrics.withLock { $0.record(state) }
                outputs.state(state)
            })
    }
}
