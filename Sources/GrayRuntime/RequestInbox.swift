import Foundation
import GrayCore

/// Operator requests waiting for the release loop, in the order they were made (any thread).
final class RequestInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [(action: OperatorAction, by: String)] = []

    /// Adds a request at the end.
    func put(_ action: OperatorAction, by operatorName: String) {
        lock.withLock { waiting.append((action, operatorName)) }
    }

    /// The oldest request, removed; nil when none waits.
    func take() -> (action: OperatorAction, by: String)? {
        lock.withLock { waiting.isEmpty ? nil : waiting.removeFirst() }
    }

    /// Whether no request waits.
    var isEmpty: Bool { lock.withLock { waiting.isEmpty } }
}
