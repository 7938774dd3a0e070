import Foundation
import GrayCore
import Testing

@Suite("Counter resets and windows")
struct CounterTrackerTests {
    let requests = SeriesKey(name: "grpc_server_handled_total", labels: [Label("grpc_code", "OK")])
    let failures = SeriesKey(name: "grpc_server_handled_total", labels: [Label("grpc_code", "Unavailable")])

    @Test("a counter that goes down was reset: the new value is all increase, never negative")
    func reset() {
        var tracker = CounterTracker()
        #expect(tracker.adjusted(requests, raw: 100) == 0)
        tracker.finishScrape()
        #expect(tracker.adjusted(requests, raw: 150) == 50)
        #expect(tracker.adjusted(requests, raw: 20) == 70)
        #expect(tracker.adjusted(requests, raw: 25) == 75)
    }

    @Test("a series first seen after the first scrape counts from zero; vanished series keep their value")
    func newAndVanishedSeries() {
        var tracker = CounterTracker()
        _ = tracker.adjusted(requests, raw: 10)
        tracker.finishScrape()
        #expect(tracker.adjusted(failures, raw: 3) == 3)
        var total = 0.0
        tracker.forEachSeries { _, value in total += value }
        #expect(total == 3)
        _ = tracker.adjusted(requests, raw: 12)
        total = 0
        tracker.forEachSeries { _, value in total += value }
        #expect(total == 5)
    }

    @Test("NaN readings are ignored")
    func nanIgnored() {
        var tracker = CounterTracker()
        _ = tracker.adjusted(requests, raw: 10)
        tracker.finishScrape()
        #expect(tracker.adjusted(requests, raw: .nan) == 0)
        #expect(tracker.adjusted(requests, raw: 15) == 5)
    }

    @Test("a window's increase is newest minus the newest entry at least w older; span says what it covers")
    func window() throws {
        var window = TrafficWindow(keep: 30)
        for second in 0...40 {
            window.append(TrafficTotals(requests: Double(second * 10), failures: Double(second), buckets: []), at: Double(second))
        }
        let slow = try #require(window.stats(over: 30))
        #expect(slow.requests == 300 && slow.failures == 30 && slow.span == 30)
        let fast = try #require(window.stats(over: 10))
        #expect(fast.requests == 100 && fast.span == 10)
        var young = TrafficWindow(keep: 30)
        young.append(TrafficTotals(requests: 5, failures: 0, buckets: []), at: 0)
        young.append(TrafficTotals(requests: 25, failures: 1, buckets: []), at: 4)
        let partial = try #require(young.stats(over: 30))
        #expect(partial.requests == 20 && partial.span == 4)
    }

    @Test("router metrics split by upstream; instance metrics belong to their version; failure codes configurable")
    func trafficMeter() throws {
        let text = """
            grpc_client_handled_total{grpc_code="OK",upstream="canary"} 90
            grpc_client_handled_total{grpc_code="Unavailable",upstream="canary"} 6
            grpc_client_handled_total{grpc_code="InvalidArgument",upstream="canary"} 4
            grpc_client_handled_total{grpc_code="OK",upstream="stable"} 1000
            grpc_client_handled_total{grpc_code="OK",upstream="mirror"} 7

            """
        var meter = TrafficMeter(source: .router, names: MetricNames(), failureCodes: .defaults)
        let exposition = try ExpositionParser.parse(text)
        _ = meter.ingest(exposition)
        #expect(meter.versionsWithTraffic.isEmpty, "the first scrape is the baseline")
        #expect(meter.unmatchedUpstreams == ["mirror"])
        let later = try ExpositionParser.parse(text.replacingOccurrences(of: "} 90", with: "} 190"))
        let totals = meter.ingest(later)
        #expect(totals[.canary]?.requests == 100 && totals[.canary]?.failures == 0)
        #expect(meter.versionsWithTraffic == [.canary], "only the canary's requests grew")
        var strict = TrafficMeter(source: .instance(.canary), names: MetricNames(), failureCodes: FailureCodes(codes: [.invalidArgument]))
        var serverText = text.replacingOccurrences(of: "grpc_client_", with: "grpc_server_")
        serverText = serverText.replacingOccurrences(of: ",upstream=\"stable\"", with: "")
        let first = strict.ingest(try ExpositionParser.parse(serverText))
        #expect(first[.canary]?.requests == 0)
        #expect(strict.versionsWithTraffic.isEmpty)
    }

    @Test("a series that reads NaN in the first scrape is still a baseline when it first reads a number")
    func nanInFirstScrape() {
        var tracker = CounterTracker()
        let key = SeriesKey(name: "grpc_server_handled_total", labels: [Label("grpc_code", "OK")])
        #expect(tracker.adjusted(key, raw: .nan) == 0)
        tracker.finishScrape()
        #expect(tracker.adjusted(key, raw: 5000) == 0, "its history is not new traffic")
        #expect(tracker.adjusted(key, raw: 5010) == 10)
        let late = SeriesKey(name: "grpc_server_handled_total", labels: [Label("grpc_code", "Unavailable")])
        #expect(tracker.adjusted(late, raw: 3) == 3, "a series born after the first scrape counts from zero")
    }
}
