import Synchronization

/// The send time of the request in flight on one stream, and whether the worker ran out of work.
final class PendingStart: Sendable {
    private let state = Mutex<(start: ContinuousClock.Instant?, finished: Bool)>((nil, false))

    func set(_ instant: ContinuousClock.Instant) {
        state.withLock { $0.start = instant }
    }

    /// The in-flight request's send time, now answered.
    func take() -> ContinuousClock.Instant? {
        state.withLock { state in
            defer { state.start = nil }
            return state.start
        }
    }

    func finish() {
        state.withLock { $0.finished = true }
    }

    var isFinished: Bool { state.withLock { $0.finished } }
}

/// One stream worker's measurements, written from the response handler.
final class ResultBox: Sendable {
    private let state = Mutex(LoadRunner.WorkerResult())

    func record(_ code: String, since start: ContinuousClock.Instant) {
        state.withLock { $0.record(code, since: start) }
    }

    var result: LoadRunner.WorkerResult { state.withLock { $0 } }
}
