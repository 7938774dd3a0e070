/// The gates grayctl judges, in the order they are shown.
public enum Gate: String, Sendable, CaseIterable {
    /// Canary gRPC health.
    case health
    /// Canary circuit breakers.
    case breakers
    /// Freshness of the canary's metrics.
    case metrics
    /// Canary failure ratio.
    case errors
    /// Canary latency quantile.
    case latency
}

/// What one gate says now.
public enum GateVerdict: String, Sendable, CaseIterable {
    /// Green, with enough data.
    case pass
    /// Not enough data to judge: no promotion, no rollback.
    case insufficient
    /// Something is off but not (yet) bad enough to roll back: no promotion.
    case hold
    /// Roll back.
    case trip
}

/// One gate's verdict with the reason a person reads.
public struct GateResult: Equatable, Sendable {
    /// Which gate.
    public var gate: Gate
    /// Its verdict.
    public var verdict: GateVerdict
    /// A sentence with the numbers behind the verdict.
    public var reason: String
    /// What sets this result apart from the gate's other results of the same verdict, when it must
    /// be announced as a cause of its own (a hold because the stable fails too, not for want of
    /// significance).
    public var cause: String?

    /// Creates a result.
    public init(_ gate: Gate, _ verdict: GateVerdict, _ reason: String, cause: String? = nil) {
        self.gate = gate
        self.verdict = verdict
        self.reason = reason
        self.cause = cause
    }
}

/// One version's traffic over the gate window, for display beside the verdicts.
public struct VersionMeasurement: Equatable, Sendable {
    /// Requests in the window.
    public var requests: Double
    /// Failure ratio (NaN without requests).
    public var failureRatio: Double
    /// Lower confidence bound of the failure ratio.
    public var failureLowerBound: Double
    /// Latency quantile in seconds (NaN without observations).
    public var latency: Double
    /// Seconds the window really covers.
    public var span: Double

    /// Creates a measurement.
    public init(requests: Double, failureRatio: Double, failureLowerBound: Double, latency: Double, span: Double) {
        self.requests = requests
        self.failureRatio = failureRatio
        self.failureLowerBound = failureLowerBound
        self.latency = latency
        self.span = span
    }
}

/// Every gate's verdict at one moment, plus the measurements behind them.
public struct GateReport: Equatable, Sendable {
    /// One result per gate, in ``Gate`` order.
    public var results: [GateResult]
    /// Measurements per version (missing when that version has no metrics yet).
    public var measurements: [Version: VersionMeasurement]
    /// The error and latency gates' sequential evidence: the start that tripped, else the one
    /// closest to tripping (missing before the canary has traffic).
    public var sequential: [Gate: SequentialTest.Finding]

    /// Creates a report.
    public init(results: [GateResult], measurements: [Version: VersionMeasurement] = [:], sequential: [Gate: SequentialTest.Finding] = [:]) {
        self.results = results
        self.measurements = measurements
        self.sequential = sequential
    }

    /// An empty report (nothing observed yet).
    public static let empty = GateReport(results: [])

    /// The first tripped gate, if any.
    public var tripped: GateResult? { results.first { $0.verdict == .trip } }

    /// True when every gate passes with data.
    public var allPass: Bool { !results.isEmpty && results.allSatisfy { $0.verdict == .pass } }

    /// True when the release may start at weight 0: health, breakers and freshness pass; traffic
    /// gates may lack data (no canary traffic before the first step) but must not object.
    public var readyToStart: Bool {
        !results.isEmpty && results.allSatisfy { result in
            switch result.gate {
            case .health, .breakers, .metrics: return result.verdict == .pass
            case .errors, .latency: return result.verdict == .pass || result.verdict == .insufficient
            }
        }
    }

    /// The first result that blocks promotion (for a start when `starting`), if any.
    public func blocking(starting: Bool) -> GateResult? {
        results.first { result in
            if result.verdict == .pass { return false }
            if starting, result.verdict == .insufficient, result.gate == .errors || result.gate == .latency {
                return false
            }
            return true
        }
    }

    /// The result of one gate.
    public func result(_ gate: Gate) -> GateResult? {
        results.first { $0.gate == gate }
    }
}
