/// What one poll round showed of one version, as preflight checks: its instances, their health,
/// its metrics under the configured names (with near misses when they are missing) and its
/// breakers. The canary's gaps fail; the stable version's only warn (it is the comparison, not
/// the judged).
struct VersionFindings {
    let version: Version
    let configuration: GrayConfig
    let entries: [RecordEntry]
    /// The router's series carry both versions' traffic: the version's own metrics are then not
    /// what the error and latency gates judge.
    let routerCarries: Bool
    /// The other version's metrics: a family missing here but present there is a version that has
    /// counted no request yet (a canary at 0%), not a name to fix.
    let peer: [Exposition]

    private var names: MetricNames { configuration.metrics }
    private var isCanary: Bool { version == .canary }
    /// The verdict of a gap that would make a release hold.
    private var gap: PreflightVerdict { isCanary ? .fail : .warn }

    func checks() -> [PreflightCheck] {
        guard configuration.targets[version.target] != nil else {
            return [PreflightCheck(
                "\(version.rawValue)", isCanary ? .critical : .warn, "targets.\(version.rawValue) is not configured",
                fix: "add targets.\(version.rawValue) (admin and grpc, instances, dns or a Prometheus selector)")]
        }
        let found = instances()
        guard found.verdict == .pass else { return [found] }
        return [found, health(), metrics(), breakers()].compactMap { $0 }
    }

    private func mine(_ subject: Subject) -> Bool { subject.version == version }

    /// Discovery's list, else the instances the round reached.
    private var known: [String] {
        for entry in entries {
            if case .instances(let listed, let ids) = entry, listed == version { return ids }
        }
        return Set(entries.compactMap { $0.subject }.filter(mine).map(\.instance)).sorted()
    }

    private func instances() -> PreflightCheck {
        let failure = entries.first { entry in
            if case .error(let subject, "discovery", _) = entry { return mine(subject) }
            return false
        }
        let area = "\(version.rawValue) instances"
        if let message = failure?.failureMessage {
            return PreflightCheck(area, isCanary ? .critical : .warn, "discovery failed: \(message)", fix: "check targets.\(version.rawValue).dns or the Prometheus selector")
        }
        guard !known.isEmpty else {
            let endpoints = configuration.targets[version.target]
            let why = if let dns = endpoints?.dns {
                "none found: \(dns.name) resolves to no address"
            } else if endpoints?.prometheusInstances != nil {
                "none found: Prometheus names no instance for \(configuration.prometheus?.selectors[version.target] ?? "the selector")"
            } else {
                "none found"
            }
            return PreflightCheck(
                area, isCanary ? .critical : .warn, why, fix: "check targets.\(version.rawValue): no instance is listed, resolved or named by Prometheus")
        }
        return PreflightCheck(area, .pass, "\(known.count): \(Self.listed(known))")
    }

    private func health() -> PreflightCheck? {
        var serving: [String] = []
        var others: [String] = []
        for entry in entries {
            switch entry {
            case .health(let subject, let status, _) where mine(subject):
                if status == .serving { serving.append(subject.instance) } else { others.append("\(subject.instance) \(status.rawValue)") }
            case .error(let subject, "health", let message) where mine(subject):
                others.append("\(subject.instance) unreachable (\(message))")
            default: continue
            }
        }
        let total = serving.count + others.count
        guard total > 0 else {
            return PreflightCheck(
                "\(version.rawValue) health", isCanary ? .critical : .warn, "no gRPC health address",
                fix: "set grpc (or grpc_port) for targets.\(version.rawValue): the health gate checks every canary instance")
        }
        let area = "\(version.rawValue) health"
        if others.isEmpty { return PreflightCheck(area, .pass, "\(serving.count)/\(total) SERVING") }
        let verdict: PreflightVerdict = isCanary ? (serving.isEmpty ? .critical : .fail) : .warn
        return PreflightCheck(
            area, verdict, "\(serving.count)/\(total) SERVING; \(others.prefix(3).joined(separator: "; "))\(others.count > 3 ? "; and \(others.count - 3) more" : "")",
            fix: "start or fix those instances (a canary instance unhealthy longer than gates.health_limit rolls back)")
    }

    private func metrics() -> PreflightCheck? {
        var expositions: [Exposition] = []
        var failures: [String] = []
        for entry in entries {
            switch entry {
            case .metrics(let subject, let body, _) where mine(subject):
                do {
                    expositions.append(try ExpositionParser.parse(body))
                } catch {
                    failures.append("\(subject.instance): \(error)")
                }
            case .error(let subject, "metrics", let message) where mine(subject):
                failures.append("\(subject.isSole ? "" : "\(subject.instance): ")\(message)")
            default: continue
            }
        }
        let area = "\(version.rawValue) metrics"
        let source = configuration.metricsSource == .prometheus ? configuration.prometheus?.selectors[version.target] : nil
        let from = source.map { "Prometheus \($0)" } ?? "/metrics"
        let severity: PreflightVerdict = routerCarries ? .warn : gap
        guard !expositions.isEmpty else {
            let why = failures.first ?? "nothing was read"
            return PreflightCheck(area, severity, "none read from \(from): \(why)", fix: "check the admin ports or the selector")
        }
        let series = expositions.reduce(0) { $0 + $1.samples.count }
        var found = "\(expositions.count) of \(max(known.count, expositions.count)) read from \(from), \(series) series"
        if !failures.isEmpty { found += "; \(failures.count) unread (\(failures[0]))" }
        var missing: [String] = []
        var fixes: [String] = []
        var idle: [String] = []
        for (family, key) in [(names.serverHandled, "server_handled"), (names.serverLatency + "_bucket", "server_latency")] {
            guard !expositions.contains(where: { $0.samples.contains { $0.name == family } }) else { continue }
            if peer.contains(where: { $0.samples.contains { $0.name == family } }) {
                idle.append(family)
                continue
            }
            let near = Set(expositions.flatMap { Preflight.nearMisses(family, in: $0) }).sorted()
            missing.append(family + (near.isEmpty ? "" : " (near: \(near.prefix(3).joined(separator: ", ")))"))
            fixes.append(near.isEmpty ? "expose \(family)" : "set metrics.\(key)")
        }
        let codes = codeFindings(expositions)
        if let wrong = codes.wrong { missing.append(wrong) }
        if let fix = codes.fix { fixes.append(fix) }
        if !missing.isEmpty {
            return PreflightCheck(area, severity, "\(found); missing: \(missing.joined(separator: "; "))", fix: fixes.joined(separator: ", "))
        }
        if let note = codes.note { found += "; \(note)" }
        if !routerCarries, let bounds = latencyBounds(expositions) {
            return PreflightCheck(area, bounds.verdict, "\(found); \(bounds.summary)", fix: bounds.fix)
        }
        if !idle.isEmpty {
            found += "; no \(idle.joined(separator: " or ")) yet (no request counted: the \(version.rawValue) version's names are those of the \(version == .canary ? "stable" : "canary") version, which has them)"
        }
        return PreflightCheck(area, failures.isEmpty ? .pass : .warn, found, fix: failures.isEmpty ? nil : "check the unread instances")
    }

    /// When `gates.latency` is no bound of the latency histogram: the latency gate counts only
    /// requests above the next bound up (a warning), or with none above it can never trip (a gap).
    private func latencyBounds(_ expositions: [Exposition]) -> (verdict: PreflightVerdict, summary: String, fix: String)? {
        let family = names.serverLatency + "_bucket"
        let bounds = Set(expositions.flatMap { $0.samples.filter { $0.name == family } }.compactMap { $0.label("le").flatMap(Double.init) })
            .filter(\.isFinite)
        let limit = configuration.gates.maxLatency
        guard !bounds.isEmpty, !bounds.contains(limit) else { return nil }
        let shown = Format.milliseconds(limit)
        let fix = "add a bucket bound at \(shown) to \(names.serverLatency), or set gates.latency to one of its bounds (\(bounds.sorted().prefix(8).map { Format.milliseconds($0) }.joined(separator: ", ")))"
        guard let next = bounds.filter({ $0 > limit }).min() else {
            return (gap, "no \(names.serverLatency) bucket bound at or above gates.latency \(shown): the latency gate cannot trip", fix)
        }
        return (.warn, "no \(names.serverLatency) bucket bound at gates.latency \(shown): the latency gate counts only requests slower than \(Format.milliseconds(next))", fix)
    }

    /// The code label of the handled counter: missing (and which label holds codes instead),
    /// values that are no gRPC code, or codes spelled another way (read all the same).
    private func codeFindings(_ expositions: [Exposition]) -> (wrong: String?, fix: String?, note: String?) {
        let handled = expositions.flatMap { $0.samples.filter { $0.name == names.serverHandled } }
        guard !handled.isEmpty else { return (nil, nil, nil) }
        let values = Set(handled.compactMap { $0.label(names.codeLabel) })
        guard !values.isEmpty else {
            let holders = Set(handled.flatMap(\.labels).map(\.name)).sorted().filter { label in
                let seen = Set(handled.compactMap { $0.label(label) })
                return !seen.isEmpty && seen.allSatisfy { GRPCStatusCode(label: $0) != nil }
            }
            return (
                "label \(names.codeLabel) on \(names.serverHandled)" + (holders.isEmpty ? "" : " (codes are in \(holders.joined(separator: ", ")))"),
                holders.first.map { "set metrics.code_label: \($0)" } ?? "label the handled counter with the gRPC code", nil
            )
        }
        let unknown = values.filter { GRPCStatusCode(label: $0) == nil }.sorted()
        if !unknown.isEmpty {
            return ("\(names.codeLabel) values that are no gRPC code: \(unknown.prefix(5).joined(separator: ", "))", "count requests by gRPC status code", nil)
        }
        let respelled = values.filter { GRPCStatusCode(label: $0)?.name != $0 }.sorted()
        guard !respelled.isEmpty else { return (nil, nil, nil) }
        let shown = respelled.prefix(3).map { "\($0) as \(GRPCStatusCode(label: $0)!.name)" }
        return (nil, nil, "\(names.codeLabel) spelled another way, read all the same: \(shown.joined(separator: ", "))")
    }

    private func breakers() -> PreflightCheck? {
        let area = "\(version.rawValue) breakers"
        var observed: [String] = []
        var failures: [String] = []
        var absent: (reason: String, configured: Bool)?
        for entry in entries {
            switch entry {
            case .breakers(let subject, let body) where mine(subject):
                do {
                    observed += try BreakersDecoder.decode(body).map { "\($0.name) \($0.state.rawValue)" }
                } catch {
                    failures.append("\(subject.instance): \(error)")
                }
            case .breakersNotObserved(let subject, let reason, let configured) where mine(subject):
                absent = (reason, configured)
            case .error(let subject, "breakers", let message) where mine(subject):
                failures.append("\(subject.isSole ? "" : "\(subject.instance): ")\(message)")
            default: continue
            }
        }
        let source = configuration.targets[version.target]?.breakers ?? .auto
        if source == .gauge || (source == .auto && observed.isEmpty) {
            let gauges = entries.contains { entry in
                guard case .metrics(let subject, let body, _) = entry, mine(subject) else { return false }
                return body.contains(names.breakerState)
            }
            if gauges { return PreflightCheck(area, .pass, "read from the \(names.breakerState) gauge") }
            if source == .gauge {
                return PreflightCheck(
                    area, gap, "breakers: gauge, but no \(names.breakerState) in the metrics",
                    fix: "set metrics.breaker_state to the breaker gauge's name, or breakers: none")
            }
        }
        if !failures.isEmpty {
            return PreflightCheck(
                area, gap, "configured but unreadable: \(failures[0])",
                fix: "fix /admin/breakers, or set targets.\(version.rawValue).breakers: none if the service has no breakers")
        }
        if !observed.isEmpty {
            let distinct = Set(observed).sorted()
            return PreflightCheck(area, .pass, "\(observed.count) observed: \(distinct.prefix(4).joined(separator: ", "))\(distinct.count > 4 ? ", …" : "")")
        }
        if let absent {
            return absent.configured
                ? PreflightCheck(area, .pass, "not observed (breakers: none): the other gates judge")
                : PreflightCheck(
                    area, .warn, "not observed: \(absent.reason)",
                    fix: "set targets.\(version.rawValue).breakers: none to say the service has none (or gauge)")
        }
        return nil
    }

    /// Up to five IDs, then how many more.
    private static func listed(_ ids: [String]) -> String {
        ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", and \(ids.count - 5) more" : "")
    }
}
