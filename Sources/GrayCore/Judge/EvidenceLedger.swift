/// Where the sequential tests of one version start counting, and what the version had served at
/// each start: the evidence a trip is judged on is what was served since a start.
///
/// Starts belong to the current step: the step's own start (index 0), then a start every
/// `spacing` seconds and one at each change of the version's behaviour (an instance's counters
/// reset — a restart —, its instance set changed, or its traffic source switched between the router
/// and the instances), numbered 1, 2, … in order. A change drops the starts before it: evidence from
/// before a restart says nothing of the process now serving. The regular starts keep old healthy
/// traffic from masking a new fault (a fault ten minutes into a step is judged on the traffic since
/// the last start before it, not diluted by ten minutes of successes). Only the step's start and the
/// last three starts are kept: a test not computed cannot trip, so dropping a start never costs
/// validity. Pure.
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
        /// Its number within the step (0 = the step's start): the share of the false-rollback
        /// budget it may spend follows from it (``GateSettings/startWeight(_:)``).
        public var index: Int
        /// When it began.
        public var at: Double
        /// Why it exists.
        public var cause: Cause
        /// The version's cumulative totals at `at`, from `source`.
        public var baseline: TrafficTotals
        /// Against the stable version since `at` (the canary's ledger, when records carry the
        /// stable's totals).
        public var comparison = Comparison()

        /// Creates a start.
        public init(index: Int, at: Double, cause: Cause, baseline: TrafficTotals) {
            self.index = index
            self.at = at
            self.cause = cause
            self.baseline = baseline
        }
    }

    /// The canary against the stable since a start, over the batches in which both served
    /// (``TwoSampleTest``).
    public struct Comparison: Equatable, Sendable {
        /// What the canary served in those batches.
        public var canary = TrafficTotals()
        /// What the stable served in those batches.
        public var stable = TrafficTotals()
        /// The failures test's running log likelihood ratios, one per ``TwoSampleTest/grid`` entry.
        public var failures = TwoSampleTest.grid.map { _ in 0.0 }
        /// The slow-requests test's, likewise.
        public var slow = TwoSampleTest.grid.map { _ in 0.0 }

        /// Adds one batch: the canary's and the stable's increases, slow meaning above `limit`.
        mutating func add(canary batch: TrafficTotals, stable other: TrafficTotals, limit: Double) {
            canary = canary.adding(batch)
            stable = stable.adding(other)
            let failed = TwoSampleTest.batch(
                canaryHits: batch.failures, canaryTotal: batch.requests, stableHits: other.failures, stableTotal: other.requests)
            failures = zip(failures, failed).map(+)
            if let canarySlow = HistogramQuantile.countAbove(limit, batch.buckets),
                let stableSlow = HistogramQuantile.countAbove(limit, other.buckets)
            {
                let slower = TwoSampleTest.batch(
                    canaryHits: canarySlow.above, canaryTotal: canarySlow.total, stableHits: stableSlow.above, stableTotal: stableSlow.total)
                slow = zip(slow, slower).map(+)
            }
        }
    }

    /// Seconds between regular starts.
    public let spacing: Double
    /// The latency limit: a request slower than it counts as slow in the comparison with the stable.
    public let latencyLimit: Double
    /// The oldest start kept: the step's start, or the last change's.
    public private(set) var origin: Start?
    /// The regular starts after `origin`, oldest first (at most three).
    public private(set) var recent: [Start] = []
    /// The version's newest cumulative totals and when they were read.
    public private(set) var latest: (at: Double, totals: TrafficTotals)?
    /// The source `latest` comes from: totals of different sources are not comparable.
    private var source: Target?
    /// The stable's totals at the last record that carried them.
    private var latestStable: TrafficTotals?
    private var nextIndex = 0

    /// Creates an empty ledger with a regular start every `spacing` seconds (0 for none), comparing
    /// requests slower than `latencyLimit` with the stable's.
    public init(spacing: Double, latencyLimit: Double = 0.5) {
        self.spacing = spacing
        self.latencyLimit = latencyLimit
    }

    /// Every start kept, oldest first.
    public var starts: [Start] { (origin.map { [$0] } ?? []) + recent }

    /// Records the version's cumulative totals read from `source` at `time`; `change` says how its
    /// behaviour changed since the last record, if it did; `stable` is the stable's cumulative totals
    /// now, for the canary's comparison with it.
    public mutating func record(_ totals: TrafficTotals, from source: Target, at time: Double, change: String? = nil, stable: TrafficTotals? = nil) {
        defer {
            latest = (time, totals)
            self.source = source
            latestStable = stable
        }
        if let previous = latest, self.source == source, let stable, let before = latestStable {
            let batch = totals.increase(since: previous.totals)
            let other = stable.increase(since: before)
            origin?.comparison.add(canary: batch, stable: other, limit: latencyLimit)
            for index in recent.indices { recent[index].comparison.add(canary: batch, stable: other, limit: latencyLimit) }
        }
        guard let previous = latest, let origin, self.source == source else {
            let cause: Cause = latest == nil ? .firstObservation : .change("the traffic source switched to the \(source == .router ? "router" : "instances")")
            begin(Start(index: latest == nil ? 0 : nextIndex, at: time, cause: cause, baseline: totals))
            return
        }
        if let change {
            begin(Start(index: nextIndex, at: time, cause: .change(change), baseline: previous.totals))
            return
        }
        let last = recent.last ?? origin
        if spacing > 0, time - last.at >= spacing {
            recent.append(Start(index: nextIndex, at: time, cause: .spacing, baseline: totals))
            nextIndex += 1
            if recent.count > 3 { recent.removeFirst() }
        }
    }

    /// A new step begins at `time`: its evidence starts from the newest totals.
    public mutating func beginStep(at time: Double) {
        nextIndex = 0
        guard let latest else { return }
        begin(Start(index: 0, at: time, cause: .step, baseline: latest.totals))
    }

    private mutating func begin(_ start: Start) {
        origin = start
        recent = []
        nextIndex = start.index + 1
    }
}
