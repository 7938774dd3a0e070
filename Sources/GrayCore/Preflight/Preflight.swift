/// `grayctl check`'s judgement: one poll round of everything the config names (read-only), and
/// whether the router takes grayctl's writes, turned into one line a check with a verdict and the
/// fix. Pure: the round is read by the caller.
///
/// What is critical (a release never starts): the router's weight unreadable, its writes refused,
/// a canary none of whose instances is known or answers health checks. What fails (a release would
/// hold on it; `--force` starts anyway): a canary instance not SERVING, the traffic metrics missing
/// or named otherwise, breakers configured but unreadable, a selector that returns nothing.
public enum Preflight {
    /// The report of one round `entries` (a ``FleetObserver`` poll) under `configuration`, with the
    /// router's `writes` (nil: not asked, as when no router is configured).
    public static func report(configuration: GrayConfig, entries: [RecordEntry], writes: WriteAccess?) -> PreflightReport {
        var checks = routerChecks(configuration, entries, writes)
        let routerCarries = routerCarriesVersions(configuration.metrics, entries)
        for version in [Version.canary, .stable] {
            let peer = entries.compactMap { entry -> Exposition? in
                guard case .metrics(let subject, let body, _) = entry, subject.version != nil, subject.version != version else { return nil }
                return try? ExpositionParser.parse(body)
            }
            checks += VersionFindings(version: version, configuration: configuration, entries: entries, routerCarries: routerCarries, peer: peer)
                .checks()
        }
        checks.append(PreflightCheck("plan", .pass, configuration.plan.summary))
        checks.append(PreflightCheck("gates", .pass, configuration.gates.summary))
        return PreflightReport(checks: checks)
    }

    // MARK: - Router

    private static func routerChecks(_ configuration: GrayConfig, _ entries: [RecordEntry], _ writes: WriteAccess?) -> [PreflightCheck] {
        guard let engine = configuration.targets[.router]?.engine else {
            return [PreflightCheck(
                "router", .warn, "no targets.router: `grayctl watch` works, `grayctl release` needs one",
                fix: "add targets.router (kind gateway, envoy, haproxy, istio or httproute; docs/endpoints.md)")]
        }
        var checks: [PreflightCheck] = []
        let title = engineTitle(engine)
        let reading = entries.first { entry in
            if case .weight = entry { return true }
            if case .error(let subject, "weight", _) = entry { return subject == .router }
            return false
        }
        switch reading {
        case .weight(let weight, _):
            checks.append(PreflightCheck("router", .pass, "\(title) reads canary weight \(weight)%"))
        case .error(_, _, let message):
            checks.append(PreflightCheck(
                "router", .critical, "\(title): weight unreadable: \(message)",
                fix: "check targets.router (address, names of the two sides) and that grayctl can reach it"))
        default:
            checks.append(PreflightCheck("router", .critical, "\(title): not read", fix: "check targets.router"))
        }
        switch writes {
        case .granted(let how): checks.append(PreflightCheck("router writes", .pass, how))
        case .refused(let said):
            checks.append(PreflightCheck(
                "router writes", .critical, "refused: \(said)",
                fix: "give grayctl the router's credentials (--router-token-file, $GRAYCTL_ROUTER_TOKEN, the kubeconfig's user) or the permission to change the weight"))
        case .unknown(let why):
            checks.append(PreflightCheck("router writes", .fail, "not tested: \(why)", fix: "make the router reachable, then check again"))
        case .untestable(let why): checks.append(PreflightCheck("router writes", .pass, why))
        case nil: break
        }
        if let metrics = routerMetricsCheck(configuration.metrics, entries) { checks.append(metrics) }
        return checks
    }

    private static func engineTitle(_ engine: RouterEngine) -> String {
        switch engine {
        case .gateway(let admin): "gateway \(admin)"
        case .envoy(let admin, _, _): "Envoy \(admin)"
        case .haproxy(let socket, let backend, _): "HAProxy \(socket) backend \(backend)"
        case .kubernetes(let route): "\(route.kind.title) \(route.namespace.map { "\($0)/" } ?? "")\(route.name)"
        }
    }

    /// The router's scrape: whether its per-upstream series name both versions as configured.
    private static func routerMetricsCheck(_ names: MetricNames, _ entries: [RecordEntry]) -> PreflightCheck? {
        for entry in entries {
            switch entry {
            case .error(let subject, "metrics", let message) where subject == .router:
                return PreflightCheck(
                    "router metrics", .warn, "unreadable (\(message)): each version is judged by its own server metrics",
                    fix: "check targets.router.metrics, or remove it")
            case .metrics(let subject, let body, _) where subject == .router:
                guard let exposition = try? ExpositionParser.parse(body) else {
                    return PreflightCheck("router metrics", .warn, "not Prometheus text: each version is judged by its own server metrics")
                }
                let handled = exposition.samples.filter { $0.name == names.clientHandled }
                let upstreams = Set(handled.compactMap { $0.label(names.upstreamLabel) })
                let wanted = Version.allCases.map { names.upstreamValues[$0] ?? $0.rawValue }
                let present = wanted.filter(upstreams.contains)
                if !present.isEmpty {
                    let idle = wanted.filter { !upstreams.contains($0) }
                    return PreflightCheck(
                        "router metrics", .pass,
                        "\(names.clientHandled){\(names.upstreamLabel)=\(present.map(JSONWriter.quoted).joined(separator: "|"))} present: the versions' traffic is judged at the router"
                            + (idle.isEmpty ? "" : " (\(idle.joined(separator: ", ")): no request routed yet)"))
                }
                if handled.isEmpty {
                    let near = nearMisses(names.clientHandled, in: exposition)
                    return PreflightCheck(
                        "router metrics", .warn,
                        "no \(names.clientHandled)\(near.isEmpty ? "" : " (near: \(near.joined(separator: ", ")))"): each version is judged by its own server metrics",
                        fix: near.isEmpty ? nil : "set metrics.client_handled if one of those is the router's per-upstream counter")
                }
                return PreflightCheck(
                    "router metrics", .warn,
                    "\(names.clientHandled) has \(names.upstreamLabel) values \(upstreams.sorted().joined(separator: ", ")), not \(wanted.joined(separator: " and ")): each version is judged by its own server metrics",
                    fix: "set metrics.upstream_stable and metrics.upstream_canary to the router's names of the two versions")
            default: continue
            }
        }
        return nil
    }

    /// Whether the router's series carry both versions' traffic (the release then judges it there).
    private static func routerCarriesVersions(_ names: MetricNames, _ entries: [RecordEntry]) -> Bool {
        routerMetricsCheck(names, entries)?.verdict == .pass
    }

    // MARK: - Names

    /// Metric families in `exposition` whose names are close to `name` (another case, `_total`
    /// or a unit suffix added or dropped, at most two letters apart), at most three.
    static func nearMisses(_ name: String, in exposition: Exposition) -> [String] {
        let wanted = folded(name)
        var seen: Set<String> = []
        var near: [String] = []
        let bucketsOnly = name.hasSuffix("_bucket")
        for sample in exposition.samples where sample.name != name && !seen.contains(sample.name) {
            guard !bucketsOnly || sample.name.hasSuffix("_bucket") else { continue }
            seen.insert(sample.name)
            let candidate = folded(sample.name)
            if candidate == wanted || editDistance(candidate, wanted, limit: 2) <= 2 { near.append(sample.name) }
        }
        return Array(near.sorted().prefix(3))
    }

    /// Lower case, without the suffixes families differ by.
    private static func folded(_ name: String) -> String {
        var text = name.lowercased()
        for suffix in ["_bucket", "_count", "_sum", "_total", "_seconds", "_secs", "_milliseconds", "_ms"] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
        }
        return text
    }

    /// Levenshtein distance of `a` and `b`, or `limit + 1` once it is certain to exceed `limit`.
    private static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard abs(a.count - b.count) <= limit else { return limit + 1 }
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            guard current.min()! <= limit else { return limit + 1 }
            previous = current
        }
        return previous[b.count]
    }
}
