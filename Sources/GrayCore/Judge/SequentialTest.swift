import Foundation

/// One gate's anytime-valid trip rule over a version's ``EvidenceLedger``: the mixture SPRT on the
/// counts since each start, each start with its share of the step's false-rollback budget.
///
/// A step's budget `α` is split over its starts: the step's start (index 0) may spend 0.8 α, the
/// k-th start after it 0.2 α / (k (k + 1)) — shares that add up to α however long the step lasts.
/// A start trips when its e-value reaches 1 / (its share), so by Ville's inequality and the union
/// bound a canary within the limit trips during a step with probability at most `α`, however often
/// it is judged. Pure.
public struct SequentialTest: Sendable {
    /// What a start's counts show.
    public struct Finding: Equatable, Sendable {
        /// The start the counts run from.
        public var start: EvidenceLedger.Start
        /// The counts since it: the failures (or slow requests) and all requests.
        public var hits: Double
        /// All requests (or latency observations) since the start.
        public var total: Double
        /// What the version served since the start.
        public var increase: TrafficTotals
        /// Seconds from the start to the newest totals.
        public var span: Double
        /// The natural log of the e-value.
        public var logEvidence: Double
        /// The natural log of the e-value at which this start trips.
        public var logThreshold: Double

        /// Whether the start's evidence has reached its threshold.
        public var trips: Bool { logEvidence >= logThreshold }
        /// The e-value.
        public var evidence: Double { exp(logEvidence) }
        /// The e-value at which it trips.
        public var threshold: Double { exp(logThreshold) }

        /// What the counts cover: `over the 12 s since the step began`, `over the last 20 s`.
        public var period: String {
            let seconds = Format.seconds(span)
            switch start.cause {
            case .firstObservation: return "over the \(seconds) since the first scrape"
            case .step: return "over the \(seconds) since the step began"
            case .spacing: return "over the last \(seconds)"
            case .change(let what): return "over the \(seconds) since \(what)"
            }
        }
    }

    /// The mixture test against the gate's limit.
    public let test: MixtureSPRT
    /// The step's false-rollback budget for this gate.
    public let alpha: Double

    /// A test of "ratio > `limit`" with a step budget of `alpha`.
    public init(limit: Double, alpha: Double) {
        self.test = MixtureSPRT(limit: limit)
        self.alpha = alpha
    }

    /// The share of the step's budget the start numbered `index` may spend.
    public static func share(_ index: Int) -> Double {
        index == 0 ? 0.8 : 0.2 / Double(index * (index + 1))
    }

    /// Each kept start's finding, `counts` reading (hits, total) from an increase; starts with no
    /// requests since them are left out.
    public func findings(_ ledger: EvidenceLedger, counts: (TrafficTotals) -> (hits: Double, total: Double)?) -> [Finding] {
        guard let latest = ledger.latest else { return [] }
        return ledger.starts.compactMap { start in
            finding(start, served: ledger.counted(since: start), until: latest.at, counts: counts)
        }
    }

    /// The finding that trips, else the one closest to tripping (nil without counts).
    public func strongest(_ ledger: EvidenceLedger, counts: (TrafficTotals) -> (hits: Double, total: Double)?) -> Finding? {
        findings(ledger, counts: counts).max { $0.logEvidence - $0.logThreshold < $1.logEvidence - $1.logThreshold }
    }

    /// One start's comparison with the stable over the same poll rounds (`gates.compare: stable`):
    /// the canary's own test and the two-sample test that it is worse, at the start's threshold, and
    /// the stable's own test against the same limit at ``holdEvidence``. Every trip still needs the
    /// canary's own test at its threshold, so the comparison never adds a false rollback; a hold only
    /// blocks promotion, so the stable needs less to cover the canary — a full threshold would make
    /// the hold a race the canary wins whenever the stable serves no more than it does.
    public struct Compared: Equatable, Sendable {
        /// The canary's test over the compared rounds.
        public var canary: Finding
        /// The stable's failures (or slow requests) and requests over the same rounds.
        public var stableHits: Double
        /// All the stable's requests (or latency observations) over the same rounds.
        public var stableTotal: Double
        /// The stable's own test against the limit: the natural log of its e-value.
        public var stableLogEvidence: Double
        /// The two-sample test (the canary worse than the stable): the natural log of its e-value.
        public var worseLogEvidence: Double

        /// The two-sample e-value.
        public var worseEvidence: Double { exp(worseLogEvidence) }
        /// The stable is shown above the limit too: its evidence ≥ ``SequentialTest/holdEvidence``
        /// since this start or any other kept one (a start a few seconds old may hold too few of
        /// its requests to show anything, and the canary must not win that race). A healthy stable
        /// gets there by chance with probability ≤ 1/20 a start (Ville) — and then only delays a
        /// rollback until the two-sample test shows the canary worse than it.
        public var stableFailing: Bool
        /// The canary is proven worse than the stable.
        public var worse: Bool { worseLogEvidence >= canary.logThreshold }
        /// Roll back: the canary is proven above the limit, and the stable is not, or the canary is
        /// worse than it.
        public var trips: Bool { canary.trips && (!stableFailing || worse) }
        /// Hold: both are proven above the limit and the canary is not worse (a shared dependency).
        public var holds: Bool { canary.trips && stableFailing && !worse }
    }

    /// The e-value at which the stable's own test shows it failing too, for a hold.
    public static let holdEvidence = 20.0

    /// Each kept start's comparison with the stable; `slow` picks the slow-requests two-sample test.
    public func compared(_ ledger: EvidenceLedger, slow: Bool, counts: (TrafficTotals) -> (hits: Double, total: Double)?) -> [Compared] {
        guard let latest = ledger.latest else { return [] }
        let all = ledger.starts.compactMap { start -> Compared? in
            let comparison = start.comparison
            guard let canary = finding(start, served: comparison.canary, until: latest.at, counts: counts) else { return nil }
            let (hits, total) = counts(comparison.stable) ?? (0, 0)
            return Compared(
                canary: canary, stableHits: hits, stableTotal: total,
                stableLogEvidence: test.logEvidence(failures: hits, requests: total),
                worseLogEvidence: TwoSampleTest.logEvidence(slow ? comparison.slow : comparison.failures), stableFailing: false)
        }
        let failing = all.contains { $0.stableLogEvidence >= log(Self.holdEvidence) }
        return all.map { var one = $0; one.stableFailing = failing; return one }
    }

    private func finding(
        _ start: EvidenceLedger.Start, served: TrafficTotals, until time: Double, counts: (TrafficTotals) -> (hits: Double, total: Double)?
    ) -> Finding? {
        guard let (hits, total) = counts(served), total > 0 else { return nil }
        return Finding(
            start: start, hits: hits, total: total, increase: served, span: time - start.at,
            logEvidence: test.logEvidence(failures: hits, requests: total),
            logThreshold: log(1 / (alpha * Self.share(start.index))))
    }
}
