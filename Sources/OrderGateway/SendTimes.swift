import Synchronization

/// Send times of the messages of one stream still waiting for their answer (answers come in order).
final class SendTimes: Sendable {
    private let times = Mutex<[ContinuousClock.Instant]>([])

    /// Records a send.
    func push(_ instant: ContinuousClock.Instant) {
        times.withLock { $0.append(instant) }
    }

    /// How many sends are unanswered.
    var pending: Int { times.withLock { $0.count } }

    /// Time since the oldest unanswered send, which is now answered.
    func popElapsed() -> Duration {
        let start = times.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        return start.map { ContinuousClock.now - $0 } ?? .zero
    }
}
