/// Judges the canary's gates from a ``FleetState`` at one moment. Pure.
public struct GateEvaluator: Sendable {
    private let settings: GateSettings
    private let slowBound: ClopperPearsonBound
    private let fastBound: ClopperPearsonBound

    /// Creates an evaluator for `settings`.
    public init(settings: GateSettings) {
        self.settings = settings
        self.slowBound = ClopperPearsonBound(confidence: settings.confidence)
        self.fastBound = ClopperPearsonBound(confidence: settings.fastConfidence)
    }

    /// Every gate's verdict at `now`.
    ///
    /// A gate trips on the whole window (more data, faster detection), but passes only on traffic
    /// since `stepStartedAt`: each step earns its own evidence before the next promotion.
    public func evaluate(_ fleet: FleetState, now: Double, stepStartedAt: Double? = nil) -> GateReport {
        let judged = min(settings.window, stepStartedAt.map { max(now - $0, 0) } ?? settings.window)
        var measurements: [Version: VersionMeasurement] = [:]
        for version in Version.allCases {
            if let stats = fleet.traffic(of: version, over: settings.window) {
                measurements[version] = measure(stats)
            }
        }
        return GateReport(
            results: [
                health(fleet, now: now), breakers(fleet, now: now), freshness(fleet, now: now),
                errors(fleet, judged: judged), latency(fleet, judged: judged),
            ],
            measurements: measurements)
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

    func health(_ fleet: FleetState, now: Double) -> GateResult {
        guard let view = fleet.health[.canary] else {
            return GateResult(.health, .insufficient, "no health check of the canary yet")
        }
        let checkAge = now - view.checkedAt
        if checkAge > settings.staleHold {
            return GateResult(.health, .hold, "canary health not checked for \(Format.seconds(checkAge))")
        }
        if view.status == .serving {
            return GateResult(.health, .pass, "canary SERVING")
        }
        let duration = now - view.since
        if duration > settings.healthLimit {
            return GateResult(
                .health, .trip,
                "canary \(view.status.rawValue) for \(Format.seconds(duration)) > \(Format.seconds(settings.healthLimit))")
        }
        return GateResult(
            .health, .hold,
            "canary \(view.status.rawValue) for \(Format.seconds(duration)) (rollback after \(Format.seconds(settings.healthLimit)))")
    }

    func breakers(_ fleet: FleetState, now: Double) -> GateResult {
        let view = fleet.breakers[.canary]
        if let open = view?.breakers.first(where: { $0.state == .open }) {
            return GateResult(.breakers, .trip, "canary breaker \(open.name) (\(open.method)) open")
        }
        let gauges = fleet.breakerGauges(of: .canary).sorted { $0.key < $1.key }
        if let open = gauges.first(where: { $0.value == .state(.open) }) {
            return GateResult(.breakers, .trip, "canary breaker \(open.key) open (\(fleet.names.breakerState))")
        }
        if let odd = gauges.first(where: { if case .unrecognised = $0.value { return true } else { return false } }),
            case .unrecognised(let what) = odd.value
        {
            return GateResult(.breakers, .hold, "canary breaker \(odd.key): \(fleet.names.breakerState) has \(what), not a breaker state")
        }
        let freshGauges = !gauges.isEmpty && fleet.lastGoodScrape(target: .canary).map { now - $0 <= settings.staleHold } == true
        if freshGauges, view == nil || view?.notObserved != nil {
            return breakerSummary(halfOpen: gauges.filter { $0.value == .state(.halfOpen) }.map(\.key), count: gauges.count)
        }
        guard let view else {
            let lastError = fleet.failures[.canary]?["breakers"].map { " (last error: \($0.message))" } ?? ""
            return GateResult(.breakers, .insufficient, "no breaker data from the canary yet\(lastError)")
        }
        let age = now - view.readAt
        if age > settings.staleHold {
            return GateResult(.breakers, .hold, "canary breakers not read for \(Format.seconds(age))")
        }
        if let reason = view.notObserved {
            // A 404 says nothing of a breaker gauge: it counts as "none" only while the canary's own
            // metrics, where a gauge would be, are read and carry none.
            let scrapeAge = fleet.lastGoodScrape(target: .canary).map { now - $0 }
            guard view.notObservedByConfig || scrapeAge.map({ $0 <= settings.staleHold }) == true else {
                let why = scrapeAge.map { "not read for \(Format.seconds($0))" } ?? "not read yet"
                return GateResult(
                    .breakers, .hold,
                    "canary breakers unknown: \(reason), and the canary's metrics (where a breaker gauge would be) \(why)")
            }
            return GateResult(.breakers, .pass, "canary breakers not observed (\(reason)): the other gates judge")
        }
        return breakerSummary(
            halfOpen: view.breakers.filter { $0.state == .halfOpen }.map(\.name), count: view.breakers.count)
    }

    private func breakerSummary(halfOpen: [String], count: Int) -> GateResult {
        if let first = halfOpen.first {
            return GateResult(.breakers, .hold, "canary breaker \(first) half-open")
        }
        return GateResult(.breakers, .pass, "canary breakers closed (\(count))")
    }

    func freshness(_ fleet: FleetState, now: Double) -> GateResult {
        let source = fleet.trafficSource(of: .canary)
        let lastGood = fleet.lastGoodScrape(of: .canary)
        let age = now - (lastGood ?? fleet.firstObservationAt ?? now)
        let lastError = fleet.failures[source]?["metrics"].map { " (last error: \($0.message))" } ?? ""
        let note = routerNote(fleet)
        if age > settings.staleRollback {
            return GateResult(
                .metrics, .trip,
                "canary metrics stale for \(Format.seconds(age)) > \(Format.seconds(settings.staleRollback))\(lastError)\(note)")
        }
        guard lastGood != nil else {
            return GateResult(.metrics, .insufficient, "no canary metrics yet\(lastError)\(note)")
        }
        if age > settings.staleHold {
            return GateResult(.metrics, .hold, "canary metrics stale for \(Format.seconds(age))\(lastError)\(note)")
        }
        return GateResult(.metrics, .pass, "canary metrics fresh (from \(source.rawValue))\(note)")
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

    func errors(_ fleet: FleetState, judged: Double) -> GateResult {
        guard let whole = fleet.traffic(of: .canary, over: settings.window),
            let slow = fleet.traffic(of: .canary, over: judged)
        else {
            return GateResult(.errors, .insufficient, "no canary traffic metrics yet")
        }
        for (stats, bound) in windows(fleet, slow: whole) where stats.requests >= settings.minRequests {
            if bound.exceeds(settings.maxErrorRatio, failures: stats.failures, of: stats.requests) {
                let lower = bound.lower(stats.failures, of: stats.requests)
                return GateResult(
                    .errors, .trip,
                    "canary failures \(Format.percent(stats.failureRatio)) (≥ \(Format.percent(lower)) at \(confidenceText(bound))) over \(Format.seconds(stats.span)), \(Format.count(stats.requests)) requests > \(Format.percent(settings.maxErrorRatio))")
            }
        }
        if let unrecognised = unrecognisedCodes(fleet) { return unrecognised }
        if slow.requests < settings.minRequests {
            return GateResult(
                .errors, .insufficient,
                "canary requests \(Format.count(slow.requests)) < \(Format.count(settings.minRequests)) over \(Format.seconds(slow.span)): no error verdict yet")
        }
        if slow.failureRatio > settings.maxErrorRatio {
            return GateResult(
                .errors, .hold,
                "canary failures \(Format.percent(slow.failureRatio)) > \(Format.percent(settings.maxErrorRatio)) over \(Format.seconds(slow.span)), \(Format.count(slow.requests)) requests, not significant yet (≥ \(Format.percent(slowBound.lower(slow.failures, of: slow.requests))) at \(confidenceText(slowBound)))")
        }
        return GateResult(
            .errors, .pass,
            "canary failures \(Format.percent(slow.failureRatio)) ≤ \(Format.percent(settings.maxErrorRatio)) over \(Format.seconds(slow.span)), \(Format.count(slow.requests)) requests")
    }

    func latency(_ fleet: FleetState, judged: Double) -> GateResult {
        guard let whole = fleet.traffic(of: .canary, over: settings.window),
            let slow = fleet.traffic(of: .canary, over: judged)
        else {
            return GateResult(.latency, .insufficient, "no canary latency metrics yet")
        }
        let allowed = 1 - settings.latencyQuantile
        let limit = Format.milliseconds(settings.maxLatency)
        for (stats, bound) in windows(fleet, slow: whole) {
            guard let (above, total) = HistogramQuantile.countAbove(settings.maxLatency, stats.increase.buckets),
                total >= settings.minRequests
            else { continue }
            if bound.exceeds(allowed, failures: above, of: total) {
                let lower = bound.lower(above, of: total)
                return GateResult(
                    .latency, .trip,
                    "canary \(quantileName) \(Format.milliseconds(stats.latencyQuantile(settings.latencyQuantile))) > \(limit) over \(Format.seconds(stats.span)) (≥ \(Format.percent(lower)) of \(Format.count(total)) requests slower than \(limit) at \(confidenceText(bound)))")
            }
        }
        let total = HistogramQuantile.countAbove(settings.maxLatency, slow.increase.buckets)?.total ?? 0
        if total < settings.minRequests {
            return GateResult(
                .latency, .insufficient,
                "canary latency observations \(Format.count(total)) < \(Format.count(settings.minRequests)) over \(Format.seconds(slow.span)): no latency verdict yet")
        }
        let value = slow.latencyQuantile(settings.latencyQuantile)
        if value > settings.maxLatency {
            return GateResult(
                .latency, .hold,
                "canary \(quantileName) \(Format.milliseconds(value)) > \(limit) over \(Format.seconds(slow.span)), not significant yet")
        }
        return GateResult(
            .latency, .pass, "canary \(quantileName) \(Format.milliseconds(value)) ≤ \(limit) over \(Format.seconds(slow.span))")
    }

    /// The fast window (if on) then the slow one, each with its bound.
    private func windows(_ fleet: FleetState, slow: WindowStats) -> [(WindowStats, ClopperPearsonBound)] {
        var result: [(WindowStats, ClopperPearsonBound)] = []
        if settings.fastWindow > 0, let fast = fleet.traffic(of: .canary, over: settings.fastWindow) {
            result.append((fast, fastBound))
        }
        result.append((slow, slowBound))
        return result
    }

    private func confidenceText(_ bound: ClopperPearsonBound) -> String {
        Format.trimmed(bound.confidence * 100, digits: 4) + "%"
    }
}
