import Dispatch
import Synchronization
import Foundation

/// Runs an action when the process gets SIGINT, SIGTERM or SIGHUP (its terminal closed: a dropped
/// SSH session, a killed tmux pane), instead of dying: a graceful drain for the fleet's servers, a
/// clean stop for grayctl (the journal kept, the demo's children stopped). The handlers live as
/// long as this object: keep it (a released source hears nothing more). Several objects may handle
/// the same signals, and each action runs.
public final class OnSignals: @unchecked Sendable {
    private let action: @Sendable () -> Void
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []

    /// The signals handled.
    public static let handled = [SIGINT, SIGTERM, SIGHUP]

    /// The signals this process already set to SIG_IGN.
    private static let ignoring = Mutex<Set<Int32>>([])

    /// Creates a handler that calls `action` on each SIGINT, SIGTERM or SIGHUP.
    public init(_ action: @escaping @Sendable () -> Void) {
        self.action = action
    }

    /// Replaces the default handlers of SIGINT, SIGTERM and SIGHUP.
    public func install() {
        for signalNumber in Self.handled {
            // Once per process: libdispatch's own handler, installed by the first source, would be
            // replaced by a second SIG_IGN, and every source of that signal would then stay silent.
            // The lock is held until the source is registered, so no other install slips in between.
            let source = Self.ignoring.withLock { ignored in
                if ignored.insert(signalNumber).inserted { signal(signalNumber, SIG_IGN) }
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                let action = self.action
                source.setEventHandler { @Sendable in action() }
                source.resume()
                return source
            }
            lock.withLock { sources.append(source) }
        }
    }
}
