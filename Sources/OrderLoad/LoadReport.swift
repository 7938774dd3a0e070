import Foundation
public import Histogram

/// The outcome of a load run: counts, latency distribution (microseconds) and status codes.
public struct LoadReport: Sendable {
    /// Requests answered (any code).
    public var count: Int
    /// Wall time of the run, seconds.
    public var duration: Double
    /// Per-request latency in microseconds.
    public var latency: Histogram<UInt64>
    /// Answers per gRPC code name (`OK`, `Unavailable`, ...).
    public var codes: [String: Int]

    /// Creates a report.
    public init(count: Int, duration: Double, latency: Histogram<UInt64>, codes: [String: Int]) {
        self.count = count
        self.duration = duration
        self.latency = latency
        self.codes = codes
    }

    /// Requests per second.
    public var rate: Double { duration > 0 ? Double(count) / duration : 0 }

    private func milliseconds(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }

    private var quantiles: [(String, Double)] {
        [("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9)].map { ($0.0, milliseconds(latency.valueAtPercentile($0.1))) }
    }

    /// A ghz-like summary.
    public var text: String {
        var out = "Summary:\n"
        out += "  Count:        \(count)\n"
        out += "  Total:        \(String(format: "%.2f", duration)) s\n"
        out += "  Slowest:      \(String(format: "%.2f", milliseconds(latency.max))) ms\n"
        out += "  Fastest:      \(String(format: "%.2f", milliseconds(latency.min))) ms\n"
        out += "  Average:      \(String(format: "%.2f", latency.mean / 1000)) ms\n"
        out += "  Requests/sec: \(String(format: "%.2f", rate))\n\nLatency distribution:\n"
        for (name, value) in quantiles { out += "  \(name.padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(format: "%.2f", value)) ms\n" }
        out += "\nStatus code distribution:\n"
        for (code, number) in codes.sorted(by: { $0.value > $1.value }) { out += "  [\(code)]   \(number) responses\n" }
        return out
    }

    /// The same as one JSON object (milliseconds for latencies).
    public var json: String {
        var object: [String: Any] = [
            "count": count, "total_s": duration, "rps": rate, "fastest_ms": milliseconds(latency.min),
            "slowest_ms": milliseconds(latency.max), "average_ms": latency.mean / 1000, "status_codes": codes,
        ]
        for (name, value) in quantiles { object[name + "_ms"] = value }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
