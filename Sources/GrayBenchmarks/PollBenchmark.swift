import Foundation
import GrayCore
import GrayProbe
import GrayRuntime

/// One poll round of a configured fleet, timed: `grayctl-bench poll CONFIG [rounds]`.
///
/// Builds the same `FleetPoller` a live run does (health, metrics and breakers of every instance,
/// or Prometheus's answers when `metrics.source: prometheus`; no router), polls once a second, and
/// feeds each round to a release engine. Prints one JSON line with the median round's wall time of
/// polling (the reads and the parse of what they answered) and of judging (apply and evaluate), the
/// CPU time (user + system, this process) of the polling alone and of the whole round and so the
/// share of one core at a 1 s interval, and how many entries a round gave.
enum PollBenchmark {
    static func run(configPath: String, rounds: Int) async {
        let config = Benchmarks.config(at: configPath)
        let prometheus = config.prometheus.map { settings in
            PrometheusSource(
                reader: PrometheusReader(baseURL: settings.url, token: nil, timeout: 1, api: settings.api), settings: settings, names: config.metrics)
        }
        let poller = FleetPoller(
            targets: config.targets, router: nil, tls: nil, timeout: 1, prometheus: config.metricsSource == .prometheus ? prometheus : nil)
        var engine = ReleaseEngine(
            plan: config.plan, gates: config.gates, metrics: config.metrics, failureCodes: config.failureCodes, autoAdvance: false,
            readOnly: true)
        var polls: [Double] = []
        var judges: [Double] = []
        var cpus: [Double] = []
        var readCPUs: [Double] = []
        var entries = 0
        var failures = 0
        let clock = ContinuousClock()
        let start = clock.now
        for round in 0..<max(1, rounds) {
            let cpuBefore = cpuSeconds()
            let began = clock.now
            let polled = await poller.poll()
            let observations = polled.compactMap { $0.observation() }
            let pollEnded = clock.now
            readCPUs.append(cpuSeconds() - cpuBefore)
            let time = seconds(pollEnded - start)
            _ = engine.handle(.observed(observations, at: time))
            let judged = clock.now
            cpus.append(cpuSeconds() - cpuBefore)
            polls.append(seconds(pollEnded - began))
            judges.append(seconds(judged - pollEnded))
            entries = polled.count
            failures = polled.filter { $0.failureMessage != nil }.count
            if failures > 0, round == rounds - 1 {
                FileHandle.standardError.write(Data("last round's first failure: \(polled.compactMap(\.failureMessage).first ?? "")\n".utf8))
            }
            try? await Task.sleep(until: began + .seconds(1), clock: clock)
        }
        let instances = Version.allCases.map { engine.state.fleet.instances(of: $0).count }.reduce(0, +)
        let cpu = median(cpus)
        print(#"{"benchmark":"poll","source":"\#(config.metricsSource.rawValue)","instances":\#(instances),"entries_per_round":\#(entries),"failed_entries":\#(failures),"rounds":\#(rounds),"poll_ms":\#(Format.fixed(median(polls) * 1000, 1)),"poll_cpu_ms":\#(Format.fixed(median(readCPUs) * 1000, 1)),"judge_ms":\#(Format.fixed(median(judges) * 1000, 2)),"cpu_ms_per_round":\#(Format.fixed(cpu * 1000, 1)),"cpu_share_at_1s":"\#(Format.fixed(cpu * 100, 1))%"}"#)
    }

    /// The two instant queries a round sends for a version's `selector` (default metric names), one a line.
    static func queries(selector: String) -> String {
        let queries = PrometheusReader.queries(selector: selector, names: PrometheusSource.versionFamilies(MetricNames()))
        return queries.values + "\n" + queries.ages
    }

    /// A saved read of Prometheus taken apart as a round does: decoded into series, split by
    /// instance, each instance's text parsed and applied to a fleet state. The file holds either the
    /// pair of query answers (`/api/v1/query`, as ``queries(selector:)`` asks, one a line) or a
    /// `/federate` answer (`prometheus.api: federate`). `grayctl-bench prometheus-answer FILE
    /// [iterations]`: median milliseconds of each stage (`json_parse_ms`, for query answers: a
    /// generic JSON tree of the same answer, for comparison: the decoder builds none).
    static func answer(_ data: Data, iterations: Int) {
        let whole = String(decoding: data, as: UTF8.self)
        let federated = !whole.hasPrefix("{")
        let answers = federated ? [(text: whole, status: 200)] : whole.split(separator: "\n").map { (text: String($0), status: 200) }
        guard federated || answers.count == 2 else { Benchmarks.fail("expected two query answers, one a line, or a federation answer") }
        let decode = { () throws(ProbeError) -> [PrometheusReader.Series] in
            federated
                ? try PrometheusReader.decodeFederated(answers[0], clock: (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}}"#, 200), url: "bench")
                : try PrometheusReader.decode(answers, url: "bench")
        }
        let text = answers[0].text
        var jsons: [Double] = []
        var decodes: [Double] = []
        var parses: [Double] = []
        var applies: [Double] = []
        var series = 0
        var instances = 0
        let clock = ContinuousClock()
        for _ in 0..<(federated ? 0 : max(1, iterations)) {
            let jsonStart = clock.now
            guard (try? JSONParser.parse(text)) != nil else { Benchmarks.fail("not JSON") }
            jsons.append(seconds(clock.now - jsonStart))
        }
        for iteration in 0..<max(1, iterations) {
            let start = clock.now
            guard let decoded = try? decode() else { Benchmarks.fail("not a Prometheus answer") }
            let decodedAt = clock.now
            var bodies: [String: String] = [:]
            for item in decoded { bodies[item.instance ?? "", default: ""] += item.line }
            var expositions: [(String, Exposition)] = []
            for (instance, body) in bodies {
                guard let exposition = try? ExpositionParser.parse(body) else { Benchmarks.fail("unparsable rebuilt exposition") }
                expositions.append((instance, exposition))
            }
            let parsedAt = clock.now
            var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
            for (instance, exposition) in expositions { fleet.apply(.metrics(.instance(.canary, instance), exposition), at: Double(iteration)) }
            let appliedAt = clock.now
            decodes.append(seconds(decodedAt - start))
            parses.append(seconds(parsedAt - decodedAt))
            applies.append(seconds(appliedAt - parsedAt))
            series = decoded.count
            instances = bodies.count
        }
        print(#"{"benchmark":"prometheus_answer","bytes":\#(data.count),"series":\#(series),"instances":\#(instances),"api":"\#(federated ? "federate" : "query")","json_parse_ms":\#(jsons.isEmpty ? "null" : Format.fixed(median(jsons) * 1000, 1)),"decode_ms":\#(Format.fixed(median(decodes) * 1000, 1)),"parse_ms":\#(Format.fixed(median(parses) * 1000, 1)),"apply_ms":\#(Format.fixed(median(applies) * 1000, 1))}"#)
    }

    private static func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// User plus system CPU time of this process so far.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}
