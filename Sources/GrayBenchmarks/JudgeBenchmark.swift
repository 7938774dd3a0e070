import Foundation
import GrayCore
import GraySimulation
import Synchronization

/// The judge's figures over many simulated releases (``SimulatedRelease``, the real engine at the
/// default plan and gates): false rollbacks of healthy canaries, and detection delays of faulty
/// ones beside Wald's SPRT, the oracle that knows the fault.
///
///     grayctl-bench judge healthy N   N releases per traffic rate and shape (constant, bursty):
///                                     false rollbacks, promotions, releases still running at the horizon
///     grayctl-bench judge detect N    N releases per rate and fault: caught, median, 90th percentile
///                                     and worst delay from onset, beside the oracle's (Wald's SPRT
///                                     knowing the fault, at α = false_rollback): its mean, and its
///                                     median, 90th percentile and worst over N runs of the same traffic
///
/// One JSON line per row; seeds are fixed, so a run repeats exactly. Runs on every core.
enum JudgeBenchmark {
    static let healthyRates = [0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500]

    static func main(_ arguments: [String]) {
        guard arguments.count == 2, let count = Int(arguments[1]), count > 0 else {
            Benchmarks.fail("usage: grayctl-bench judge healthy|detect N")
        }
        switch arguments[0] {
        case "healthy": healthy(count)
        case "detect": detect(count)
        default: Benchmarks.fail("judge: expected healthy or detect, not \(arguments[0])")
        }
    }

    /// Runs `count` releases in parallel, the `index`-th of `scenario(index)` with seed `base` + index.
    static func results(count: Int, base: UInt64, _ scenario: @Sendable (Int) -> SimulatedRelease.Scenario) -> [SimulatedRelease.Result] {
        let results = Mutex<[SimulatedRelease.Result?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = SimulatedRelease.run(scenario(index), seed: base &+ UInt64(index))
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    static func healthy(_ count: Int) {
        var total = 0
        var falseRollbacks = 0
        for (shapeIndex, bursty) in [false, true].enumerated() {
            for (rateIndex, rate) in healthyRates.enumerated() {
                let started = Date()
                let runs = results(count: count, base: UInt64(1_000_000 * (shapeIndex * 100 + rateIndex + 1))) { _ in .init(rate: rate, bursty: bursty) }
                let rolled = runs.filter(\.falseRollback)
                let promoted = runs.filter { if case .promoted = $0.outcome { true } else { false } }.count
                total += runs.count
                falseRollbacks += rolled.count
                let reasons = rolled.prefix(3).map { result -> String in
                    if case .rolledBack(_, _, let reason) = result.outcome { return "\"\(reason.replacingOccurrences(of: "\"", with: "'"))\"" }
                    return ""
                }
                print(#"{"judge":"healthy","rate":\#(rate),"bursty":\#(bursty),"releases":\#(runs.count),"false_rollbacks":\#(rolled.count),"promoted":\#(promoted),"running_at_horizon":\#(runs.count - promoted - rolled.count),"seconds":\#(Format.fixed(Date().timeIntervalSince(started), 1)),"reasons":[\#(reasons.joined(separator: ","))]}"#)
            }
        }
        print(#"{"judge":"healthy","total_releases":\#(total),"false_rollbacks":\#(falseRollbacks)}"#)
    }

    static func detect(_ count: Int) {
        let alpha = GateSettings().falseRollback
        for rate in [1.0, 10, 20, 50] {
            for ratio in [0.05, 0.08, 0.2, 0.5] {
                for (name, onset) in [("step", nil as Double?), ("mid-step", 45)] {
                    let base = UInt64(rate * 1_000_000 + ratio * 10_000) &+ (onset == nil ? 0 : 7)
                    let runs = results(count: count, base: base) { index in
                        // The fault begins at a random step (or 45 s after the first one), as in the issue's corpus.
                        var scenario = SimulatedRelease.Scenario(
                            rate: rate, fault: SimulatedRelease.Fault(failureRatio: ratio, onset: onset.map { .after($0) } ?? .step(index % 5)))
                        scenario.horizon = 1_200
                        return scenario
                    }
                    let faulty = runs.filter { $0.onset != nil }.count
                    let delays = runs.compactMap(\.detectionDelay).sorted()
                    let early = runs.filter(\.falseRollback).count
                    let oracle = MixtureSPRT.waldExpectedRequests(limit: 0.01, faulty: ratio, alpha: alpha) / rate
                    let oracleDelays = (0..<count).map { oracleDelay(rate: rate, faulty: ratio, alpha: alpha, seed: base &+ UInt64($0)) }.sorted()
                    let median = delays.isEmpty ? Double.nan : delays[delays.count / 2]
                    let p90 = delays.isEmpty ? Double.nan : delays[min(delays.count - 1, delays.count * 9 / 10)]
                    print(#"{"judge":"detect","rate":\#(rate),"fault":\#(ratio),"onset":"\#(name)","releases":\#(runs.count),"fault_began":\#(faulty),"caught":\#(delays.count),"before_onset":\#(early),"median_s":\#(Format.fixed(median, 1)),"p90_s":\#(Format.fixed(p90, 1)),"worst_s":\#(Format.fixed(delays.last ?? .nan, 1)),"within_10s":\#(delays.filter { $0 <= 10 }.count),"oracle_mean_s":\#(Format.fixed(oracle, 1)),"oracle_median_s":\#(Format.fixed(oracleDelays[count / 2], 1)),"oracle_p90_s":\#(Format.fixed(oracleDelays[count * 9 / 10], 1)),"oracle_worst_s":\#(Format.fixed(oracleDelays[count - 1], 1)),"median_over_oracle":\#(Format.fixed(median / oracle, 2))}"#)
                }
            }
        }
    }

    /// Seconds until Wald's one-sided SPRT of `faulty` against the 1% limit at error `alpha` — the
    /// oracle that knows the fault's ratio — crosses log(1/α), on the same Poisson traffic judged
    /// once a second.
    static func oracleDelay(rate: Double, faulty: Double, alpha: Double, seed: UInt64) -> Double {
        var rng = SplitMix64(seed: seed ^ 0x5EED)
        let (up, down) = (log(faulty / 0.01), log((1 - faulty) / 0.99))
        var statistic = 0.0
        var second = 0.0
        while statistic < log(1 / alpha), second < 100_000 {
            second += 1
            let requests = rng.poisson(rate)
            let failures = rng.binomial(requests, faulty)
            statistic += Double(failures) * up + Double(requests - failures) * down
        }
        return second
    }
}
