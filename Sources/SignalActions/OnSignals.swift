import Dispatch
import Foundation

/// Runs an action when the process gets SIGINT or SIGTERM, instead of dying: a graceful drain
/// for the fleet's servers, a clean stop for grayctl. The handlers live as long as this object.
public final class OnSignals: @unchecked Sendable {
    private let action: @Sendable () -> Void
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []

    /// Creates a handler that calls `action` on each SIGINT or SIGTERM.
    public init(_ action: @escaping @Sendable () -> Void) {
        self.action = action
    }

    /// Replaces the default handlers of SIGINT and SIGTERM.
    public func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            let action = self.action
            source.setEventHandler { @Sendable in action() }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }
}
