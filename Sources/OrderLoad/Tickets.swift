import Synchronization

/// Hands out request numbers to the workers until the plan's total or duration is reached, and
/// paces them to the rate cap. Thread-safe.
final class Tickets: Sendable {
    private let next = Atomic<Int>(0)
    private let answered = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)
    private let total: Int?
    private let deadline: ContinuousClock.Instant?
    private let interval: Duration?
    /// When the run started.
    let start: ContinuousClock.Instant

    init(plan: LoadPlan, start: ContinuousClock.Instant) {
        self.start = start
        total = plan.total
        deadline = plan.duration.map { start + .milliseconds(Int($0 * 1000)) }
        interval = plan.rps.map { .nanoseconds(Int64(1e9 / $0)) }
    }

    /// The next request number, after waiting for its slot under the rate cap; nil when done.
    func take() async -> Int? {
        let number = next.add(1, ordering: .relaxed).oldValue
        if let total, number >= total { return nil }
        if let interval {
            let due = start + interval * number
            if let deadline, due >= deadline { return nil }
            try? await Task.sleep(until: due, clock: .continuous)
        }
        if let deadline, ContinuousClock.now >= deadline { return nil }
        return number
    }

    /// Counts an answer for the progress line.
    func answer(ok: Bool) {
        answered.add(1, ordering: .relaxed)
        if !ok { failed.add(1, ordering: .relaxed) }
    }

    /// Answers and failures so far.
    var progress: (answered: Int, failed: Int) {
        (answered.load(ordering: .relaxed), failed.load(ordering: .relaxed))
    }
}
