import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into a graceful drain (the default handlers are replaced).
public final class DrainOnSignals: Sendable {
    private let drain: @Sendable () -> Void
    private let sources = SignalSources()

    /// Creates a handler that calls `drain` on either signal.
    public init(drain: @escaping @Sendable () -> Void) {
        self.drain = drain
    }

    /// Installs the handlers.
    public func install() {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            let drain = self.drain
            source.setEventHandler { @Sendable in drain() }
            source.resume()
            sources.keep(source)
        }
    }
}

/// Keeps signal sources alive for the life of the process.
private final class SignalSources: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []

    func keep(_ source: any DispatchSourceSignal) {
        lock.withLock { sources.append(source) }
    }
}
