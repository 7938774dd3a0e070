/// Where the sequential tests of one version start counting, and what the version had served at
/// each start: the evidence a trip is judged on is what was served since a start.
///
/// Starts belong to the current step: the step's own start (index 0), then a start every
/// `spacing` seconds and one at each change of the version's behaviour (an instance's counters
/// reset — a restart —, or its instance set changed), numbered 1, 2, … in order. The regular
/// starts and the change starts keep old healthy traffic from masking a new fault (a fault ten
/// minutes into a step is judged on the traffic since the last start before it, not diluted by ten
/// minutes of successes), while the step's start keeps counting. Only the step's start and the last
/// three starts are kept: a test not computed cannot trip, so dropping a start never costs
/// validity. A switch of traffic source (the router's series or the instances') changes nothing of
/// the canary: every start carries what it counted so far and counts on from the new source's
/// totals, so its evidence continues exactly (the tests depend on the counts alone). Pure.
public struct EvidenceLedger: Sendable {
    /// Why a start exists.
    public enum Cause: Equatable, Sendable {
        /// grayctl's first observation of the version (no step set yet).
        case firstObservation
        /// A step began (a promotion confirmed, or a weight adopted).
        case step
        /// The regular start every `spacing` seconds.
        case spacing
        /// The version's behaviour changed; the words say how.
        case change(String)
    }

    /// One start: from here on, what the version serves is counted.
    public struct Start: Equatable, Sendable {
        /// Its number within the step (0 = the step's start): the share of the step's
        /// false-rollback budget it may spend follows from it (``SequentialTest/share(_:)``).
        public var index: Int
        /// When it began.
        public var at: Double
        /// Why it exists.
        public var cause: Cause
        /// The version's cumulative totals, in the current source, from which it counts.
        public var baseline: TrafficTotals
        /// The time of the record `baseline` was read at: the comparison with the stable counts
        /// the rounds after it.
        public var baselineAt: Double
        /// What it counted from earlier sources, before a switch of traffic source.
        public var carried = TrafficTotals()
        /// Against the stable version since `at`, round by round (the canary's ledger).
        public var comparison = Comparison()

        /// Creates a start counting from `baseline`, read at `baselineAt` (default: `at`).
        public init(index: Int, at: Double, cause: Cause, baseline: TrafficTotals, baselineAt: Double? = nil) {
            self.index = index
            self.at = at
            self.cause = cause
            self.baseline = baseline
            self.baselineAt = baselineAt ?? at
        }
    }

    /// The canary against the stable since a start, over whole poll rounds: both versions' traffic
    /// between the same two rounds, whatever order a round's scrapes arrived in (``TwoSampleTest``).
    public struct Comparison: Equatable, Sendable {
        /// What the canary served in those rounds.
        public var canary = TrafficTotals()
        /// What the stable served in those rounds (nothing, when it was not read).
        public var stable = TrafficTotals()
        /// The failures test's running log likelihood ratios, one per ``TwoSampleTest/grid`` entry.
        public var failures = TwoSampleTest.grid.map { _ in 0.0 }
        /// The slow-requests test's, likewise.
        public var slow = TwoSampleTest.grid.map { _ in 0.0 }

        /// Adds one round: the canary's and the stable's increases, slow meaning above `limit`.
        mutating func add(canary batch: TrafficTotals, stable other: TrafficTotals, limit: Double) {
            canary = canary.adding(batch)
            stable = stable.adding(other)
            let failed = TwoSampleTest.batch(
                canaryHits: batch.failures, canaryTotal: batch.requests, stableHits: other.failures, stableTotal: other.requests)
            failures = zip(failures, failed).map(+)
            if let canarySlow = HistogramQuantile.countAbove(bound: limit, batch.buckets),
                let stableSlow = HistogramQuantile.countAbove(bound: limit, other.buckets)
            {
                let slower = TwoSampleTest.batch(
                    canaryHits: canarySlow.above, canaryTotal: canarySlow.total, stableHits: stableSlow.above, stableTotal: stableSlow.total)
                slow = zip(slow, slower).map(+)
            }
        }
    }

    /// Both versions' cumulative totals at the end of one poll round.
    private struct Round: Sendable {
        var time: Double
        var canary: TrafficTotals?
        var stable: TrafficTotals?
    }

    /// Seconds between regular starts.
    public let spacing: Double
    /// The latency limit: a request slower than it counts as slow in the comparison with the stable.
    public let latencyLimit: Double
    /// The oldest start kept: the step's start.
    public private(set) var origin: Start?
    /// The regular and change starts after `origin`, oldest first (at most three).
    public private(set) var recent: [Start] = []
    /// The version's newest cumulative totals and when they were read.
    public private(set) var latest: (at: Double, totals: TrafficTotals)?
    /// The source `latest` comes from: totals of different sources are not comparable.
    private var source: Target?
    /// The stable's source at its last note.
    private var stableSource: Target?
    /// The round being read, and the last one closed (the comparison's batches run between them).
    private var round: Round?
    private var closed: Round?
    private var nextIndex = 0

    /// Creates an empty ledger with a regular start every `spacing` seconds (0 for none), comparing
    /// requests slower than `latencyLimit` with the stable's.
    public init(spacing: Double, latencyLimit: Double = 0.5) {
        self.spacing = spacing
        self.latencyLimit = latencyLimit
    }

    /// Every start kept, oldest first.
    public var starts: [Start] { (origin.map { [$0] } ?? []) + recent }

    /// What the version served since `start`: what it carried from earlier sources plus the
    /// increase in the current one.
    public func counted(since start: Start) -> TrafficTotals {
        guard let latest else { return start.carried }
        return start.carried.adding(latest.totals.increase(since: start.baseline))
    }

    /// Records the version's cumulative totals read from `source` at `time`; `change` says how its
    /// behaviour changed since the last record, if it did.
    public mutating func record(_ totals: TrafficTotals, from source: Target, at time: Double, change: String? = nil) {
        advanceRound(to: time)
        round?.canary = totals
        defer {
            latest = (time, totals)
            self.source = source
        }
        guard let previous = latest, let origin else {
            begin(Start(index: 0, at: time, cause: .firstObservation, baseline: totals))
            return
        }
        if self.source != source {
            // Every start carries what it counted in the old source and counts on from the new one's
            // totals (what the old source served after its last read is not seen by either).
            self.origin = rebased(origin, from: previous.totals, to: totals)
            recent = recent.map { rebased($0, from: previous.totals, to: totals) }
            closed?.canary = nil
            if let change { add(Start(index: nextIndex, at: time, cause: .change(change), baseline: totals)) }
            return
        }
        if let change {
            add(Start(index: nextIndex, at: time, cause: .change(change), baseline: previous.totals, baselineAt: previous.at))
            return
        }
        let last = recent.last ?? origin
        if spacing > 0, time - last.at >= spacing {
            add(Start(index: nextIndex, at: time, cause: .spacing, baseline: totals))
        }
    }

    /// Notes the stable's cumulative totals read from `source` at `time`, for the comparison.
    public mutating func noteStable(_ totals: TrafficTotals, from source: Target, at time: Double) {
        advanceRound(to: time)
        if stableSource != source {
            closed?.stable = nil
            stableSource = source
        }
        round?.stable = totals
    }

    /// A new step begins at `time`: its evidence starts from the newest totals.
    public mutating func beginStep(at time: Double) {
        nextIndex = 0
        guard let latest else { return }
        begin(Start(index: 0, at: time, cause: .step, baseline: latest.totals, baselineAt: latest.at))
    }

    private func rebased(_ start: Start, from old: TrafficTotals, to new: TrafficTotals) -> Start {
        var moved = start
        moved.carried = start.carried.adding(old.increase(since: start.baseline))
        moved.baseline = new
        return moved
    }

    /// Closes the round being read when a later one begins: the canary's increase since the last
    /// closed round, and the stable's over the same rounds (nothing when it was not read), go to
    /// every start whose baseline was read by then. A round without a canary read closes nothing
    /// (the next batch spans both rounds for both versions); a round without a stable read adds the
    /// canary's traffic against none and forgets the stable's last totals, so no later batch pairs
    /// two rounds of the stable with one of the canary.
    private mutating func advanceRound(to time: Double) {
        guard let current = round else {
            round = Round(time: time)
            return
        }
        guard time > current.time else { return }
        round = Round(time: time)
        guard let canary = current.canary else { return }
        if let before = closed, let canaryBefore = before.canary {
            let stable = current.stable.flatMap { now in before.stable.map { now.increase(since: $0) } } ?? TrafficTotals()
            let batch = canary.increase(since: canaryBefore)
            if origin.map({ $0.baselineAt <= before.time }) == true {
                origin?.comparison.add(canary: batch, stable: stable, limit: latencyLimit)
            }
            for index in recent.indices where recent[index].baselineAt <= before.time {
                recent[index].comparison.add(canary: batch, stable: stable, limit: latencyLimit)
            }
        }
        closed = Round(time: current.time, canary: canary, stable: current.stable)
    }

    private mutating func add(_ start: Start) {
        recent.append(start)
        nextIndex = start.index + 1
        if recent.count > 3 { recent.removeFirst() }
    }

    private mutating func begin(_ start: Start) {
        origin = start
        recent = []
        nextIndex = start.index + 1
    }
}
