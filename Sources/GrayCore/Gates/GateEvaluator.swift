/// Judges the canary's gates from a ``FleetState`` at one moment. Pure.
public struct GateEvaluator: Sendable {
    private let settings: GateSettings
    private let slowBound: ClopperPearsonBound
    private let errorTest: SequentialTest
    private let latencyTest: SequentialTest

    /// Creates an evaluator for `settings` over a plan of `steps` steps: each step's error and
    /// latency tests share `settings.falseRollback` evenly.
    public init(settings: GateSettings, steps: Int = 5) {
        self.settings = settings
        self.slowBound = ClopperPearsonBound(confidence: settings.confidence)
        // Under `compare: stable` every trip still needs the canary's own test at its threshold, so
        // the comparison spends no budget of its own.
        let alpha = settings.falseRollback / Double(2 * max(steps, 1))
        self.errorTest = SequentialTest(limit: settings.maxErrorRatio, alpha: alpha)
        self.latencyTest = SequentialTest(limit: 1 - settings.latencyQuantile, alpha: alpha)
    }

    /// Every gate's verdict at `now`.
    ///
    /// The error and latency gates trip on the sequential tests over the canary's evidence ledger
    /// (anytime-valid: judging at every observation spends no extra budget), and pass only on
    /// traffic since `stepStartedAt` within the window: each step earns its own evidence before the
    /// next promotion.
    public func evaluate(_ fleet: FleetState, now: Double, stepStartedAt: Double? = nil) -> GateReport {
        let judged = min(settings.window, stepStartedAt.map { max(now - $0, 0) } ?? settings.window)
        var measurements: [Version: VersionMeasurement] = [:]
        for version in Version.allCases {
            if let stats = fleet.traffic(of: version, over: settings.window) {
                measurements[version] = measure(stats)
            }
        }
        let ledger = fleet.evidence(of: .canary)
        let errorFinding = ledger.flatMap { errorTest.strongest($0, counts: Self.failures) }
        let latencyFinding = ledger.flatMap { latencyTest.strongest($0, counts: slower) }
        var sequential: [Gate: SequentialTest.Finding] = [:]
        sequential[.errors] = errorFinding
        sequential[.latency] = latencyFinding
        return GateReport(
            results: [
                health(fleet, now: now), breakers(fleet, now: now), freshness(fleet, now: now),
                naming(errors(fleet, judged: judged, finding: errorFinding), worstErrors(fleet, now: now)),
                naming(latency(fleet, judged: judged, finding: latencyFinding), worstLatency(fleet, now: now)),
            ],
            measurements: measurements, sequential: sequential)
    }

    private func measure(_ stats: WindowStats) -> VersionMeasurement {
        VersionMeasurement(
            requests: stats.requests, failureRatio: stats.failureRatio,
            failureLowerBound: slowBound.lower(stats.failures, of: stats.requests),
            latency: stats.latencyQuantile(settings.latencyQuantile), span: stats.span)
    }

    private var quantileName: String {
        "P" + Format.trimmed(settings.latencyQuantile * 100, digits: 2)
    }

    // MARK: Health, breakers, freshness

    /// The canary's health over its instances (`gates.max_unhealthy`): more instances unhealthy for
    /// longer than `health_limit` than allowed trips; any unhealthy instance beyond the allowance
    /// holds; an instance not checked within `stale_hold` holds; one never checked is insufficient.
    func health(_ fleet: FleetState, now: Double) -> GateResult {
        let instances = fleet.instances(of: .canary)
        let views = instances.compactMap { subject in fleet.health[subject].map { (subject, $0) } }
        guard !views.isEmpty else {
            if instances.isEmpty, fleet.members[.canary] != nil {
                let why = fleet.failures[.canary]?["discovery"].map { " (\($0.message))" } ?? ""
                return GateResult(.health, .insufficient, "no canary instances: discovery lists none\(why)")
            }
            return GateResult(.health, .insufficient, "no health check of the canary yet")
        }
        // A version's sole instance keeps the words of one-instance releases; a named instance,
        // even the last one of a list, is named.
        let sole = instances.count == 1 && instances[0].isSole
        let checked = views.filter { now - $0.1.checkedAt <= settings.staleHold }
        let unhealthy = checked.filter { $0.1.status != .serving }.sorted { $0.1.since < $1.1.since }
        let long = unhealthy.filter { now - $0.1.since > settings.healthLimit }
        let allowed = settings.maxUnhealthy.allowed(of: instances.count)
        let allowance = "max_unhealthy \(settings.maxUnhealthy)"
        func state(_ entry: (Subject, FleetState.HealthView)) -> String {
            "\(sole ? "canary" : entry.0.description) \(entry.1.status.rawValue) for \(Format.seconds(now - entry.1.since))"
        }
        if long.count > allowed, let worst = long.first {
            return GateResult(
                .health, .trip,
                sole
                    ? "\(state(worst)) > \(Format.seconds(settings.healthLimit))"
                    : "canary \(long.count)/\(instances.count) instances not SERVING for > \(Format.seconds(settings.healthLimit)) (\(allowance)): worst \(state(worst))")
        }
        if let unchecked = instances.first(where: { fleet.health[$0] == nil }) {
            return GateResult(.health, .insufficient, "no health check of \(unchecked.description) yet")
        }
        if let stale = views.filter({ now - $0.1.checkedAt > settings.staleHold }).min(by: { $0.1.checkedAt < $1.1.checkedAt }) {
            return GateResult(.health, .hold, "\(stale.0.description) health not checked for \(Format.seconds(now - stale.1.checkedAt))")
        }
        let rollbackAfter = "rollback after \(Format.seconds(settings.healthLimit))"
        if unhealthy.count > allowed, let worst = unhealthy.first {
            return GateResult(
                .health, .hold,
                sole
                    ? "\(state(worst)) (\(rollbackAfter))"
                    : "canary \(unhealthy.count)/\(instances.count) instances not SERVING: worst \(state(worst)) (\(rollbackAfter) beyond \(allowance))")
        }
        if sole { return GateResult(.health, .pass, "canary SERVING") }
        let tolerated = unhealthy.isEmpty ? "" : " (\(unhealthy.count) not SERVING ≤ \(allowance): worst \(state(unhealthy[0])))"
        return GateResult(.health, .pass, "canary \(instances.count - unhealthy.count)/\(instances.count) SERVING\(tolerated)")
    }

    /// The canary's breakers over its instances: any open breaker trips, naming the instance;
    /// otherwise the worst instance's verdict stands.
    func breakers(_ fleet: FleetState, now: Double) -> GateResult {
        let instances = fleet.instances(of: .canary)
        guard instances.count > 1 else {
            let only = instances.first ?? .canary
            return breakers(of: only, name: only.isSole ? "canary" : only.description, fleet, now: now)
        }
        let results = instances.map { breakers(of: $0, name: $0.description, fleet, now: now) }
        for verdict in [GateVerdict.trip, .hold, .insufficient] {
            if let first = results.first(where: { $0.verdict == verdict }) { return first }
        }
        let observed = instances.compactMap { fleet.breakers[$0] }.filter { $0.notObserved == nil }
        guard !observed.isEmpty else {
            return GateResult(.breakers, .pass, "canary breakers not observed on \(instances.count) instances: the other gates judge")
        }
        return GateResult(.breakers, .pass, "canary breakers closed on \(instances.count) instances")
    }

    /// One instance's breakers, `name` being how reasons call it.
    private func breakers(of subject: Subject, name: String, _ fleet: FleetState, now: Double) -> GateResult {
        let view = fleet.breakers[subject]
        if let open = view?.breakers.first(where: { $0.state == .open }) {
            return GateResult(.breakers, .trip, "\(name) breaker \(open.name) (\(open.method)) open")
        }
        let gauges = fleet.breakerGauges(of: subject).sorted { $0.key < $1.key }
        if let open = gauges.first(where: { $0.value == .state(.open) }) {
            return GateResult(.breakers, .trip, "\(name) breaker \(open.key) open (\(fleet.names.breakerState))")
        }
        if let odd = gauges.first(where: { if case .unrecognised = $0.value { return true } else { return false } }),
            case .unrecognised(let what) = odd.value
        {
            return GateResult(.breakers, .hold, "\(name) breaker \(odd.key): \(fleet.names.breakerState) has \(what), not a breaker state")
        }
        let freshGauges = !gauges.isEmpty && fleet.lastGoodScrape(subject).map { now - $0 <= settings.staleHold } == true
        if freshGauges, view == nil || view?.notObserved != nil {
            return breakerSummary(name, halfOpen: gauges.filter { $0.value == .state(.halfOpen) }.map(\.key), count: gauges.count)
        }
        guard let view else {
            let lastError = fleet.failures[subject]?["breakers"].map { " (last error: \($0.message))" } ?? ""
            return GateResult(.breakers, .insufficient, "no breaker data from \(subject.isSole ? "the canary" : name) yet\(lastError)")
        }
        let age = now - view.readAt
        if age > settings.staleHold {
            return GateResult(.breakers, .hold, "\(name) breakers not read for \(Format.seconds(age))")
        }
        if let reason = view.notObserved {
            // A 404 says nothing of a breaker gauge: it counts as "none" only while the instance's own
            // metrics, where a gauge would be, are read and carry none.
            let scrapeAge = fleet.lastGoodScrape(subject).map { now - $0 }
            guard view.notObservedByConfig || scrapeAge.map({ $0 <= settings.staleHold }) == true else {
                let why = scrapeAge.map { "not read for \(Format.seconds($0))" } ?? "not read yet"
                return GateResult(
                    .breakers, .hold,
                    "\(name) breakers unknown: \(reason), and the \(subject.isSole ? "canary" : "instance")'s metrics (where a breaker gauge would be) \(why)")
            }
            return GateResult(.breakers, .pass, "\(name) breakers not observed (\(reason)): the other gates judge")
        }
        return breakerSummary(
            name, halfOpen: view.breakers.filter { $0.state == .halfOpen }.map(\.name), count: view.breakers.count)
    }

    private func breakerSummary(_ name: String, halfOpen: [String], count: Int) -> GateResult {
        if let first = halfOpen.first {
            return GateResult(.breakers, .hold, "\(name) breaker \(first) half-open")
        }
        return GateResult(.breakers, .pass, "\(name) breakers closed (\(count))")
    }

    /// The canary's metrics are as fresh as its stalest source (the router, or every instance).
    func freshness(_ fleet: FleetState, now: Double) -> GateResult {
        let subjects = fleet.metricsSubjects(of: .canary)
        let stalest = fleet.stalestMetrics(of: .canary)
        let lastGood = stalest?.time
        let age = now - (lastGood ?? fleet.firstObservationAt ?? now)
        let failing = stalest?.subject ?? subjects.first { fleet.failures[$0]?["metrics"] != nil }
        let lastError = failing.flatMap { fleet.failures[$0]?["metrics"] }.map { " (last error: \($0.message))" } ?? ""
        let named = subjects.count > 1 || subjects.first.map { !$0.isSole } == true
        let which = named ? stalest.map { " (stalest \($0.subject.instance))" } ?? "" : ""
        let note = routerNote(fleet)
        if age > settings.staleRollback {
            return GateResult(
                .metrics, .trip,
                "canary metrics stale for \(Format.seconds(age)) > \(Format.seconds(settings.staleRollback))\(which)\(lastError)\(note)")
        }
        guard lastGood != nil else {
            return GateResult(.metrics, .insufficient, "no canary metrics yet\(lastError)\(note)")
        }
        if age > settings.staleHold {
            return GateResult(.metrics, .hold, "canary metrics stale for \(Format.seconds(age))\(which)\(lastError)\(note)")
        }
        let source = named && subjects.count > 1
            ? "\(subjects.count) canary instances"
            : named ? "canary \(subjects[0].instance)" : fleet.trafficSource(of: .canary).rawValue
        let unlisted = fleet.unlistedInstances(of: .canary, now: now, within: settings.staleHold)
        let also = unlisted.isEmpty
            ? ""
            : "; also counted, not listed: \(unlisted.prefix(3).joined(separator: ", "))\(unlisted.count > 3 ? " and \(unlisted.count - 3) more" : "") (the selector matches instances discovery does not list)"
        return GateResult(.metrics, .pass, "canary metrics fresh (from \(source))\(also)\(ownFailing(fleet))\(note)")
    }

    /// While the router's series are the source: the canary instances whose own metrics fail,
    /// named with the first one's error (the gates judge without them; the operator should know).
    private func ownFailing(_ fleet: FleetState) -> String {
        guard fleet.trafficSource(of: .canary) == .router else { return "" }
        let failing = fleet.failingOwnMetrics(of: .canary)
        guard let first = failing.first else { return "" }
        let who = failing.count == 1 ? (first.subject.isSole ? "the canary's" : "\(first.subject.instance)'s") : "\(failing.count) canary instances'"
        return "; \(who) own metrics failing (\(first.message)), judged on the router's"
    }

    /// Why the router's series are not used although it has some, naming the values it has.
    private func routerNote(_ fleet: FleetState) -> String {
        let unmatched = fleet.unmatchedUpstreams
        guard !unmatched.isEmpty, fleet.trafficSource(of: .canary) != .router else { return "" }
        let values = unmatched.prefix(4).map { "\"\($0)\"" }.joined(separator: ", ")
        let wanted = Version.allCases.map { "\($0.rawValue)=\"\(fleet.names.upstreamValues[$0] ?? "")\"" }.joined(separator: ", ")
        return "; router's \(fleet.names.upstreamLabel) values \(values) match no version (\(wanted)): router series not used,"
            + " set metrics.upstream_stable and metrics.upstream_canary"
    }

    /// A hold when the canary's requests carry code label values that name no gRPC status code.
    private func unrecognisedCodes(_ fleet: FleetState) -> GateResult? {
        let values = fleet.unrecognisedCodes(of: .canary)
        guard !values.isEmpty else { return nil }
        let family = fleet.trafficSource(of: .canary) == .router ? fleet.names.clientHandled : fleet.names.serverHandled
        let quoted = values.prefix(4).map { $0.hasPrefix("(") ? $0 : "\(fleet.names.codeLabel)=\"\($0)\"" }.joined(separator: ", ")
        return GateResult(
            .errors, .hold,
            "canary \(family) has \(quoted): not a gRPC status code, so those requests are neither successes nor failures; no error verdict until metrics.code_label or the service's labels are fixed")
    }

    // MARK: Traffic

    func errors(_ fleet: FleetState, judged: Double, finding: SequentialTest.Finding?) -> GateResult {
        guard let slow = fleet.traffic(of: .canary, over: judged) else {
            return GateResult(.errors, .insufficient, "no canary traffic metrics yet")
        }
        let failures = Measure(gate: .errors, test: errorTest, slow: false, counts: Self.failures)
        if let tripped = tripped(failures, finding, fleet, reason: { finding in
            "canary failures \(Format.percent(finding.hits / finding.total)) > \(Format.percent(self.settings.maxErrorRatio)) \(finding.period): "
                + "\(Format.count(finding.hits)) of \(Format.count(finding.total)) requests, \(Self.evidenceText(finding))"
        }) {
            return tripped
        }
        if let unrecognised = unrecognisedCodes(fleet) { return unrecognised }
        if slow.requests < settings.minRequests {
            return GateResult(
                .errors, .insufficient,
                "canary requests \(Format.count(slow.requests)) < \(Format.count(settings.minRequests)) over \(Format.seconds(slow.span)): no error verdict yet"
                    + waitEstimate(slow.requests, over: slow.span, of: "requests"))
        }
        if slow.failureRatio > settings.maxErrorRatio {
            return GateResult(
                .errors, .hold,
                "canary failures \(Format.percent(slow.failureRatio)) > \(Format.percent(settings.maxErrorRatio)) over \(Format.seconds(slow.span)), \(Format.count(slow.requests)) requests, not significant yet\(Self.progress(finding))")
        }
        return GateResult(
            .errors, .pass,
            "canary failures \(Format.percent(slow.failureRatio)) ≤ \(Format.percent(settings.maxErrorRatio)) over \(Format.seconds(slow.span)), \(Format.count(slow.requests)) requests")
    }

    func latency(_ fleet: FleetState, judged: Double, finding: SequentialTest.Finding?) -> GateResult {
        guard let slow = fleet.traffic(of: .canary, over: judged) else {
            return GateResult(.latency, .insufficient, "no canary latency metrics yet")
        }
        let limit = Format.milliseconds(settings.maxLatency)
        let slowness = Measure(gate: .latency, test: latencyTest, slow: true, counts: slower)
        if let tripped = tripped(slowness, finding, fleet, reason: { finding in
            let quantile = HistogramQuantile.quantile(self.settings.latencyQuantile, finding.increase.buckets)
            return "canary \(self.quantileName) \(Format.milliseconds(quantile)) > \(limit) \(finding.period): "
                + "\(Format.count(finding.hits)) of \(Format.count(finding.total)) requests slower than \(limit), \(Self.evidenceText(finding))"
        }) {
            return tripped
        }
        let total = HistogramQuantile.countAbove(settings.maxLatency, slow.increase.buckets)?.total ?? 0
        let bounds = bucketNote(slow.increase.buckets)
        if total < settings.minRequests {
            return GateResult(
                .latency, .insufficient,
                "canary latency observations \(Format.count(total)) < \(Format.count(settings.minRequests)) over \(Format.seconds(slow.span)): no latency verdict yet"
                    + waitEstimate(total, over: slow.span, of: "observations") + bounds)
        }
        let value = slow.latencyQuantile(settings.latencyQuantile)
        if value > settings.maxLatency {
            return GateResult(
                .latency, .hold,
                "canary \(quantileName) \(Format.milliseconds(value)) > \(limit) over \(Format.seconds(slow.span)), not significant yet\(Self.progress(finding))" + bounds)
        }
        return GateResult(
            .latency, .pass, "canary \(quantileName) \(Format.milliseconds(value)) ≤ \(limit) over \(Format.seconds(slow.span))" + bounds)
    }

    /// What the latency test can see when `gates.latency` is no bucket bound of the canary's
    /// histogram: it counts only requests above the next bound up, or — with none — it cannot trip.
    private func bucketNote(_ buckets: [HistogramBucket]) -> String {
        let finite = buckets.map(\.upperBound).filter(\.isFinite)
        guard !finite.isEmpty, !finite.contains(settings.maxLatency) else { return "" }
        let limit = Format.milliseconds(settings.maxLatency)
        guard let next = finite.filter({ $0 > settings.maxLatency }).min() else {
            return "; no latency bucket bound at or above \(limit): the latency gate cannot trip (add one at the limit)"
        }
        return "; no latency bucket bound at \(limit): the latency gate counts requests slower than \(Format.milliseconds(next)) (add one at the limit)"
    }

    /// One traffic gate's measure: its test, and how its hits are counted from an increase.
    private struct Measure {
        let gate: Gate
        let test: SequentialTest
        let slow: Bool
        let counts: (TrafficTotals) -> (hits: Double, total: Double)?
    }

    /// A traffic gate's trip or hold, if any. Against the limit alone (`compare: absolute`) the
    /// sequential test's `finding` trips, said by `reason`. Under `compare: stable` each start is
    /// judged over the same poll rounds for both versions: the canary proven above the limit trips
    /// unless the stable is shown above it too (``SequentialTest/Compared``) — then it holds (a
    /// shared dependency failing, not the canary), until the canary is proven worse than the stable.
    /// A stable not read, or with too little traffic, shows nothing: the trip stands.
    private func tripped(
        _ measure: Measure, _ finding: SequentialTest.Finding?, _ fleet: FleetState, reason: (SequentialTest.Finding) -> String
    ) -> GateResult? {
        guard settings.compare == .stable else {
            guard let finding, finding.trips else { return nil }
            return GateResult(measure.gate, .trip, reason(finding))
        }
        let compared = fleet.evidence(of: .canary).map { measure.test.compared($0, slow: measure.slow, counts: measure.counts) } ?? []
        let margin = { (one: SequentialTest.Compared) in one.canary.logEvidence - one.canary.logThreshold }
        let slowText = "slower than \(Format.milliseconds(settings.maxLatency))"
        if let trip = compared.filter(\.trips).max(by: { margin($0) < margin($1) }) {
            guard trip.worse else { return GateResult(measure.gate, .trip, reason(trip.canary)) }
            let what = measure.slow ? "requests \(slowText)" : "failures"
            let stable = trip.stableTotal > 0 ? trip.stableHits / trip.stableTotal : .nan
            return GateResult(
                measure.gate, .trip,
                "canary \(what) \(Format.percent(trip.canary.hits / trip.canary.total)) vs stable \(Format.percent(stable)) \(trip.canary.period): "
                    + "worse than the stable, evidence \(Format.magnitude(trip.worseEvidence)) ≥ \(Format.magnitude(trip.canary.threshold))")
        }
        guard let hold = compared.filter(\.holds).max(by: { margin($0) < margin($1) }) else { return nil }
        let canary = Format.percent(hold.canary.hits / hold.canary.total)
        let both = measure.slow ? "slow: \(canary) of canary requests \(slowText)" : "failing \(canary)"
        return GateResult(
            measure.gate, .hold,
            "stable and canary both \(both) (stable \(Format.percent(hold.stableHits / hold.stableTotal)) \(hold.canary.period)): not the canary (holding)",
            cause: "stable")
    }

    /// Requests surely slower than the latency limit (above the first bucket bound at or above it)
    /// and all latency observations of an increase, for the latency test.
    private func slower(_ increase: TrafficTotals) -> (hits: Double, total: Double)? {
        HistogramQuantile.countAbove(bound: settings.maxLatency, increase.buckets).map { (hits: $0.above, total: $0.total) }
    }

    /// Failures and requests of an increase, for the error test.
    private static func failures(_ increase: TrafficTotals) -> (hits: Double, total: Double)? {
        (increase.failures, increase.requests)
    }

    /// `evidence 31000 ≥ 12500`: the e-value against the one at which the start trips.
    private static func evidenceText(_ finding: SequentialTest.Finding) -> String {
        "evidence \(Format.magnitude(finding.evidence)) ≥ \(Format.magnitude(finding.threshold))"
    }

    /// How far the closest start is from tripping, for a hold: ` (evidence 40, trips at 12500)`.
    private static func progress(_ finding: SequentialTest.Finding?) -> String {
        guard let finding else { return "" }
        return " (evidence \(Format.magnitude(finding.evidence)), trips at \(Format.magnitude(finding.threshold)))"
    }

    /// How long a gate waiting for `gates.min_requests` will wait at the canary's traffic so far
    /// (`count` over `span` seconds): `; canary ~1.2 req/s so far: 41 more requests, ~35 s`, or — with
    /// half a window seen — that the window would never hold enough at that rate. Nothing before 5 s
    /// of the step have been seen, or without traffic: too little to go by.
    private func waitEstimate(_ count: Double, over span: Double, of what: String) -> String {
        guard span >= 5, count > 0 else { return "" }
        let rate = count / span
        let needed = settings.minRequests - count
        let rateText = Format.trimmed(rate, digits: rate < 10 ? 1 : 0)
        guard rate * settings.window >= settings.minRequests || span < settings.window / 2 else {
            return "; canary ~\(rateText) req/s so far: a \(Format.seconds(settings.window)) window would never hold \(Format.count(settings.minRequests)) \(what) at that rate"
        }
        return "; canary ~\(rateText) req/s so far: \(Format.count(needed.rounded(.up))) more \(what), ~\(Format.seconds((needed / rate).rounded(.up)))"
    }

    // MARK: Worst instance

    /// `result` with the worst instance named, when the canary has more than one and the gate judged.
    private func naming(_ result: GateResult, _ worst: String?) -> GateResult {
        guard let worst, result.verdict != .insufficient else { return result }
        return GateResult(result.gate, result.verdict, result.reason + "; worst " + worst, cause: result.cause)
    }

    /// The canary's instances whose metrics are fresh, with their traffic over the whole window
    /// (the window a gate trips on), when the canary has more than one instance.
    private func freshInstanceTraffic(_ fleet: FleetState, now: Double) -> [(Subject, WindowStats)]? {
        guard fleet.instances(of: .canary).count > 1 else { return nil }
        return fleet.instanceTraffic(of: .canary, over: settings.window).filter { subject, stats in
            stats.requests > 0 && fleet.lastGoodScrape(subject).map { now - $0 <= settings.staleHold } == true
        }
    }

    /// The canary instance most surely failing — the highest lower confidence bound of its failure
    /// ratio over the window, so 1 failure of 1 request does not outrank 30 of 200 — as
    /// `name: ratio of N`.
    private func worstErrors(_ fleet: FleetState, now: Double) -> String? {
        guard let traffic = freshInstanceTraffic(fleet, now: now) else { return nil }
        let ranked = traffic.map { ($0.0, $0.1, slowBound.lower($0.1.failures, of: $0.1.requests)) }
        guard let worst = ranked.max(by: { ($0.2, $0.1.failureRatio, $1.0.instance) < ($1.2, $1.1.failureRatio, $0.0.instance) }) else { return nil }
        return "\(worst.0.instance): \(Format.percent(worst.1.failureRatio)) of \(Format.count(worst.1.requests))"
    }

    /// The canary instance with the highest latency quantile over the window, as `name: P99 812 ms`.
    private func worstLatency(_ fleet: FleetState, now: Double) -> String? {
        guard let traffic = freshInstanceTraffic(fleet, now: now) else { return nil }
        let quantiles = traffic.compactMap { subject, stats in
            let value = stats.latencyQuantile(settings.latencyQuantile)
            return value.isNaN ? nil : (subject, value)
        }
        guard let worst = quantiles.max(by: { ($0.1, $1.0.instance) < ($1.1, $0.0.instance) }) else { return nil }
        return "\(worst.0.instance): \(quantileName) \(Format.milliseconds(worst.1))"
    }
}
