import Yams

/// Parses and validates `grayctl.yaml` text. Pure: the caller reads the file.
///
/// Every key is optional and defaults as in `docs/gates.md`. Unknown keys, wrong types and values
/// out of range are errors that name the key path and its line.
public enum ConfigLoader {
    /// Parses `text` into a configuration.
    public static func load(_ text: String) throws(ConfigError) -> GrayConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw .syntax(line: 1, column: 1, problem: "\(error)")
        }
        var config = GrayConfig()
        guard let root else { return config }
        let top = try Section(root, path: "", known: topKeys)
        if let node = top["service"] { config.service = try node.string("service") }
        if let node = top["targets"] { config.targets = try targets(node) }
        if let node = top["plan"] { config.plan = try plan(node) }
        if let node = top["gates"] { try gates(node, into: &config) }
        if let node = top["metrics"] { (config.metrics, config.metricsSource) = try metrics(node) }
        if let node = top["prometheus"] { config.prometheus = try prometheus(node) }
        if let node = top["notify"] {
            guard case .sequence(let hooks) = node, !hooks.isEmpty else {
                throw node.invalid("notify", expected: "a list of webhooks such as [{url_env: SLACK_WEBHOOK_URL}]")
            }
            config.notify = try hooks.enumerated().map { index, hook throws(ConfigError) in try webhook(hook, "notify[\(index)]") }
        }
        if config.metricsSource == .prometheus, config.prometheus?.selectors[.canary] == nil {
            throw .invalidValue(
                key: "prometheus.selectors.canary", line: top["prometheus"].map { $0.line } ?? top["metrics"]?.line ?? 1,
                expected: "a label selector for the canary's series, as metrics.source is prometheus", found: "nothing")
        }
        for version in Version.allCases where config.targets[version.target]?.prometheusInstances != nil {
            guard config.metricsSource == .prometheus, config.prometheus?.selectors[version.target] != nil else {
                let key = "targets.\(version.target.rawValue).prometheus_instances"
                let node = top["targets"].flatMap { try? Section($0, path: "targets", known: Target.allCases.map(\.rawValue))[version.target.rawValue] }
                    .flatMap { try? Section($0, path: key, known: versionKeys)["prometheus_instances"] }
                throw .invalidValue(
                    key: key, line: node?.line ?? top["targets"]?.line ?? 1,
                    expected: "metrics.source prometheus and prometheus.selectors.\(version.target.rawValue) (the instances are the selector's instance labels)",
                    found: config.metricsSource == .prometheus ? "no selector" : "metrics.source \(config.metricsSource.rawValue)")
            }
        }
        try checkRouterSeries(config, top: top)
        try checkStaleHold(config, top: top)
        return config
    }

    /// Envoy's latency is in milliseconds and the other routers' in seconds: the unit is refused
    /// for a router that is not Envoy (a gateway's 2 s would read as 2 ms). And the router's series
    /// come from one place: Prometheus and a direct URL together are refused.
    private static func checkRouterSeries(_ config: GrayConfig, top: Section) throws(ConfigError) {
        let metricsNode = top["metrics"].flatMap { try? Section($0, path: "metrics", known: metricsKeys) }
        if config.metrics.clientLatencyScale != 1, config.targets[.router]?.kind != "envoy" {
            throw .invalidValue(
                key: "metrics.client_latency_unit", line: metricsNode?["client_latency_unit"]?.line ?? 1,
                expected: "seconds unless targets.router.kind is envoy (only Envoy's latency buckets are in milliseconds)", found: "\"milliseconds\"")
        }
        if config.targets[.router]?.metricsURL != nil, config.metricsSource == .prometheus, config.prometheus?.selectors[.router] != nil {
            throw .invalidValue(
                key: "targets.router.metrics", line: top["targets"]?.line ?? 1,
                expected: "one source of the router's series: this URL or prometheus.selectors.router, not both", found: "both")
        }
    }

    /// A reading is up to one interval old when the next round arrives: a stale hold shorter than
    /// two intervals would hold (and refuse operator promotions) between every two rounds.
    private static func checkStaleHold(_ config: GrayConfig, top: Section) throws(ConfigError) {
        let minimum = 2 * config.plan.interval
        guard config.gates.staleHold < minimum else { return }
        let hold = Format.seconds(config.gates.staleHold)
        let interval = Format.seconds(config.plan.interval)
        let holdNode = top["gates"].flatMap { try? Section($0, path: "gates", known: gateKeys)["stale_hold"] }
        let intervalNode = top["plan"].flatMap { try? Section($0, path: "plan", known: planKeys)["interval"] }
        if let holdNode {
            throw holdNode.invalid(
                "gates.stale_hold", expected: "at least twice plan.interval (\(interval)): readings are up to one interval old")
        }
        let expected = "at most half of gates.stale_hold (\(hold)), or a longer gates.stale_hold: readings are up to one interval old"
        guard let intervalNode else {
            throw .invalidValue(key: "plan.interval", line: 1, expected: expected, found: interval)
        }
        throw intervalNode.invalid("plan.interval", expected: expected)
    }

    private static func syntaxError(_ error: YamlError) -> ConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return .syntax(line: mark.line, column: mark.column, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, _):
            return .syntax(line: 1, column: 1, problem: "duplicated keys \(duplicates.joined(separator: ", "))")
        default:
            return .syntax(line: 1, column: 1, problem: "\(error)")
        }
    }

    private static let topKeys = ["service", "targets", "plan", "gates", "metrics", "prometheus", "notify"]
    private static let versionKeys = ["admin", "grpc", "breakers", "instances", "dns", "prometheus_instances"]
    private static let instanceKeys = ["name", "admin", "grpc"]
    private static let dnsKeys = ["name", "admin_port", "grpc_port", "scheme", "every"]
    private static let portKeys = ["admin_port", "grpc_port", "scheme"]
    private static let webhookKeys = ["url", "url_file", "url_env"]
    private static let prometheusKeys = ["url", "bearer_token_file", "ca_file", "max_series", "api", "selectors"]

    /// Every section of `grayctl.yaml` with the keys the loader takes there, in the order a reader
    /// meets them (`grayctl help config` is made from it, so it names every key there is).
    public static var sections: [(path: String, keys: [String])] {
        [
            ("", topKeys), ("targets.stable, targets.canary", versionKeys), ("targets.<version>.instances[]", instanceKeys),
            ("targets.<version>.dns", dnsKeys), ("targets.<version>.prometheus_instances", portKeys),
            ("targets.router", ["kind"] + Set(routerKeys.values.joined()).sorted()), ("plan", planKeys), ("gates", gateKeys),
            ("metrics", metricsKeys), ("prometheus", prometheusKeys), ("notify[], plan.confirm", webhookKeys),
        ]
    }

    private static func targets(_ node: Node) throws(ConfigError) -> [Target: TargetEndpoints] {
        let section = try Section(node, path: "targets", known: Target.allCases.map(\.rawValue))
        var result: [Target: TargetEndpoints] = [:]
        for target in Target.allCases {
            guard let node = section[target.rawValue] else { continue }
            if target == .router {
                result[.router] = try router(node)
                continue
            }
            let path = "targets.\(target.rawValue)"
            let fields = try Section(node, path: path, known: versionKeys)
            var endpoints = TargetEndpoints()
            if let admin = fields["admin"] { endpoints.admin = try adminURL(admin, "\(path).admin") }
            if let grpc = fields["grpc"] { endpoints.grpc = try grpcAddress(grpc, "\(path).grpc") }
            let ways = ["admin", "grpc", "instances", "dns", "prometheus_instances"].filter { fields[$0] != nil }
            if ways.count > 1, ways != ["admin", "grpc"], let last = ways.last, let second = fields[last] {
                throw second.invalid(
                    "\(path).\(last)", expected: "one way to find the instances: admin/grpc (one instance), instances (a list), dns or prometheus_instances, not \(ways.joined(separator: " and "))")
            }
            if let list = fields["instances"] { endpoints.instances = try instances(list, path: "\(path).instances") }
            if let dns = fields["dns"] { endpoints.dns = try dnsDiscovery(dns, path: "\(path).dns") }
            if let node = fields["prometheus_instances"] {
                let path = "\(path).prometheus_instances"
                endpoints.prometheusInstances = try instancePorts(try Section(node, path: path, known: portKeys), node, path: path)
            }
            if let breakers = fields["breakers"] {
                let value = try breakers.string("\(path).breakers")
                guard let source = BreakerSource(rawValue: value) else {
                    throw breakers.invalid(
                        "\(path).breakers", expected: "one of \(BreakerSource.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                endpoints.breakers = source
            }
            result[target] = endpoints
        }
        return result
    }

    /// The keys of each router kind (besides `kind`).
    private static let routerKeys = [
        "gateway": ["admin"], "envoy": ["admin", "runtime_prefix", "clusters", "metrics"], "haproxy": ["socket", "backend", "servers"],
        "istio": kubernetesKeys, "httproute": kubernetesKeys,
    ]
    private static let kubernetesKeys = ["name", "namespace", "kubeconfig", "context", "destinations"]

    /// `targets.router`: the engine by `kind` (default `gateway`), with that kind's keys only.
    private static func router(_ node: Node) throws(ConfigError) -> TargetEndpoints {
        let path = "targets.router"
        let fields = try Section(node, path: path, known: ["kind"] + Set(routerKeys.values.joined()).sorted())
        var kind = "gateway"
        if let node = fields["kind"] {
            kind = try node.string("\(path).kind")
            guard TargetEndpoints.routerKinds.contains(kind) else {
                throw node.invalid(
                    "\(path).kind", expected: "a router kind grayctl has a provider for: \(TargetEndpoints.routerKinds.joined(separator: ", "))")
            }
        }
        let keys = routerKeys[kind] ?? []
        if let stray = fields.keys.first(where: { $0 != "kind" && !keys.contains($0) }), let value = fields[stray] {
            throw value.invalid("\(path).\(stray)", expected: "a key of kind \(kind) (\(keys.joined(separator: ", "))), as targets.router.kind is \(kind)")
        }
        func required(_ key: String, _ what: String) throws(ConfigError) -> Node {
            guard let value = fields[key] else {
                throw .invalidValue(key: "\(path).\(key)", line: node.line, expected: "\(what) (kind \(kind))", found: "nothing")
            }
            return value
        }
        var endpoints = TargetEndpoints(kind: kind)
        switch kind {
        case "envoy":
            let admin = try adminURL(try required("admin", "Envoy's admin API URL"), "\(path).admin")
            let prefixNode = try required("runtime_prefix", "the route's weighted_clusters.runtime_key_prefix")
            let prefix = try prefixNode.string("\(path).runtime_prefix")
            guard !prefix.isEmpty, prefix.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
                throw prefixNode.invalid("\(path).runtime_prefix", expected: "a runtime key prefix (letters, digits, '.', '_', '-')")
            }
            endpoints.engine = .envoy(admin: admin, runtimePrefix: prefix, clusters: try sides(fields["clusters"], "\(path).clusters"))
            if let node = fields["metrics"] { endpoints.metricsURL = try adminURL(node, "\(path).metrics") }
        case "haproxy":
            let socketNode = try required("socket", "HAProxy's admin socket: host:port or a unix socket path")
            let socket = try socketNode.string("\(path).socket")
            guard socket.hasPrefix("/") || (try? grpcAddress(socketNode, "\(path).socket")) != nil else {
                throw socketNode.invalid("\(path).socket", expected: "host:port or an absolute unix socket path (stats socket … level admin)")
            }
            let backend = try required("backend", "the backend whose two servers are stable and canary").string("\(path).backend")
            endpoints.engine = .haproxy(socket: socket, backend: backend, servers: try sides(fields["servers"], "\(path).servers"))
        case "istio", "httproute":
            let what = kind == "istio" ? "the VirtualService's name" : "the HTTPRoute's name"
            var route = KubernetesRouteSettings(
                kind: kind == "istio" ? .virtualService : .httpRoute, name: try required("name", what).string("\(path).name"),
                destinations: try sides(fields["destinations"], "\(path).destinations"))
            if let value = fields["namespace"] { route.namespace = try value.string("\(path).namespace") }
            if let value = fields["kubeconfig"] { route.kubeconfig = try value.string("\(path).kubeconfig") }
            if let value = fields["context"] { route.context = try value.string("\(path).context") }
            endpoints.engine = .kubernetes(route)
        default:
            if let admin = fields["admin"] {
                endpoints.admin = try adminURL(admin, "\(path).admin")
                endpoints.engine = endpoints.admin.map { .gateway(admin: $0) }
            }
        }
        return endpoints
    }

    /// The stable and canary names under `key` (both default to `stable` and `canary`).
    private static func sides(_ node: Node?, _ key: String) throws(ConfigError) -> RouterSides {
        guard let node else { return RouterSides() }
        let fields = try Section(node, path: key, known: ["stable", "canary"])
        var sides = RouterSides()
        if let value = fields["stable"] { sides.stable = try value.string("\(key).stable") }
        if let value = fields["canary"] { sides.canary = try value.string("\(key).canary") }
        guard sides.stable != sides.canary, !sides.stable.isEmpty, !sides.canary.isEmpty else {
            throw node.invalid(key, expected: "two different names, stable and canary")
        }
        return sides
    }

    private static func adminURL(_ node: Node, _ key: String) throws(ConfigError) -> String {
        let url = try node.string(key)
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > 8 else {
            throw node.invalid(key, expected: "an http:// or https:// URL")
        }
        return url
    }

    private static func grpcAddress(_ node: Node, _ key: String) throws(ConfigError) -> String {
        let address = try node.string(key)
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (1...65535).contains(port), colon != address.startIndex
        else {
            throw node.invalid(key, expected: "host:port with a port in 1...65535")
        }
        return address
    }

    private static func port(_ node: Node, _ key: String) throws(ConfigError) -> Int {
        let port = try node.integer(key)
        guard (1...65535).contains(port) else { throw node.invalid(key, expected: "a port in 1...65535") }
        return port
    }

    private static func instances(_ node: Node, path: String) throws(ConfigError) -> [InstanceEndpoints] {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            throw node.invalid(path, expected: "a list of instances, each with admin and/or grpc (and an optional name)")
        }
        var result: [InstanceEndpoints] = []
        var seen: Set<String> = []
        for (index, element) in sequence.enumerated() {
            let key = "\(path)[\(index)]"
            let fields = try Section(element, path: key, known: instanceKeys)
            var instance = InstanceEndpoints()
            if let name = fields["name"] { instance.name = try name.string("\(key).name") }
            if let admin = fields["admin"] { instance.admin = try adminURL(admin, "\(key).admin") }
            if let grpc = fields["grpc"] { instance.grpc = try grpcAddress(grpc, "\(key).grpc") }
            guard instance.admin != nil || instance.grpc != nil, let id = instance.id else {
                throw element.invalid(key, expected: "an instance with admin or grpc (and an optional name)")
            }
            guard !Target.allCases.map(\.rawValue).contains(id) else {
                throw element.invalid(key, expected: "an instance name other than stable, canary or router (those name a version's sole instance)")
            }
            guard seen.insert(id).inserted else { throw element.invalid(key, expected: "an instance named otherwise than \(id), which is listed twice") }
            result.append(instance)
        }
        return result
    }

    private static func dnsDiscovery(_ node: Node, path: String) throws(ConfigError) -> DNSDiscovery {
        let fields = try Section(node, path: path, known: dnsKeys)
        guard let nameNode = fields["name"] else { throw node.invalid("\(path).name", expected: "the DNS name whose A/AAAA records are the instances") }
        var discovery = DNSDiscovery(name: try nameNode.string("\(path).name"))
        discovery.ports = try instancePorts(fields, node, path: path)
        if let node = fields["every"] {
            discovery.every = try node.duration("\(path).every")
            guard discovery.every >= 1 else { throw node.invalid("\(path).every", expected: "a duration of at least 1s") }
        }
        return discovery
    }

    /// `admin_port`, `grpc_port` (at least one) and `scheme` of the section `fields` at `path`.
    private static func instancePorts(_ fields: Section, _ node: Node, path: String) throws(ConfigError) -> InstancePorts {
        var ports = InstancePorts()
        if let node = fields["admin_port"] { ports.adminPort = try port(node, "\(path).admin_port") }
        if let node = fields["grpc_port"] { ports.grpcPort = try port(node, "\(path).grpc_port") }
        guard ports.adminPort != nil || ports.grpcPort != nil else {
            throw node.invalid(path, expected: "admin_port and/or grpc_port: what to reach on each instance's host")
        }
        if let node = fields["scheme"] {
            let scheme = try node.string("\(path).scheme")
            guard ["http", "https"].contains(scheme) else { throw node.invalid("\(path).scheme", expected: "http or https") }
            ports.scheme = scheme
        }
        return ports
    }

    private static let planKeys = ["steps", "bake", "interval", "auto_advance", "confirm", "confirm_retry"]
    private static let gateKeys = [
        "error_ratio", "latency", "latency_quantile", "window", "fast_window", "min_requests", "confidence",
        "false_rollback", "compare", "health_limit", "max_unhealthy", "stale_hold", "stale_rollback", "failure_codes",
    ]

    private static func plan(_ node: Node) throws(ConfigError) -> ReleasePlan {
        let section = try Section(node, path: "plan", known: planKeys)
        var plan = ReleasePlan()
        if let steps = section["steps"] {
            guard case .sequence(let sequence) = steps, !sequence.isEmpty else {
                throw steps.invalid("plan.steps", expected: "a list of weights such as [5, 10, 25, 50, 100]")
            }
            var weights: [Int] = []
            for (index, element) in sequence.enumerated() {
                let weight = try element.integer("plan.steps[\(index)]")
                guard (1...100).contains(weight) else {
                    throw element.invalid("plan.steps[\(index)]", expected: "a weight in 1...100")
                }
                if let previous = weights.last, weight <= previous {
                    throw element.invalid(
                        "plan.steps[\(index)]", expected: "weights strictly increasing (more than \(previous))")
                }
                weights.append(weight)
            }
            guard weights.last == 100 else {
                throw steps.invalid("plan.steps", expected: "the last step to be 100")
            }
            plan.steps = weights
        }
        if let bake = section["bake"] { plan.bake = try bake.duration("plan.bake") }
        if let interval = section["interval"] {
            plan.interval = try interval.duration("plan.interval")
            guard plan.interval >= 0.1 else { throw interval.invalid("plan.interval", expected: "a duration of at least 100ms") }
        }
        if let auto = section["auto_advance"] { plan.autoAdvance = try auto.bool("plan.auto_advance") }
        if let confirm = section["confirm"] { plan.confirm = try webhook(confirm, "plan.confirm") }
        if let retry = section["confirm_retry"] {
            plan.confirmRetry = try retry.duration("plan.confirm_retry")
            guard plan.confirmRetry >= 1 else { throw retry.invalid("plan.confirm_retry", expected: "a duration of at least 1s") }
        }
        return plan
    }

    /// A webhook: exactly one of `url` (http:// or https://), `url_file` (a file holding the URL)
    /// and `url_env` (an environment variable holding it).
    private static func webhook(_ node: Node, _ key: String) throws(ConfigError) -> WebhookURL {
        let section = try Section(node, path: key, known: webhookKeys)
        guard section.keys.count == 1 else {
            throw node.invalid(key, expected: "one of url, url_file (a file holding the URL: keeps a token out of the config) or url_env")
        }
        if let url = section["url"] {
            let text = try url.string("\(key).url")
            guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
                throw url.invalid("\(key).url", expected: "an http:// or https:// URL")
            }
            return .literal(text)
        }
        if let file = section["url_file"] { return .file(try file.string("\(key).url_file")) }
        return .environment(try section["url_env"]!.string("\(key).url_env"))
    }

    private static func gates(_ node: Node, into config: inout GrayConfig) throws(ConfigError) {
        // Keys of earlier versions are named with what replaced them, not refused as unknown.
        if case .mapping(let mapping) = node,
            let retired = mapping.first(where: { if case .scalar(let key) = $0.key { key.string == "fast_confidence" } else { false } })
        {
            throw retired.key.invalid(
                "gates.fast_confidence",
                expected: "nothing: it is gone since 0.8 — the error and latency gates trip on a sequential test; remove the key "
                    + "(gates.false_rollback sets the chance of a false rollback, gates.fast_window how often the test restarts)")
        }
        let section = try Section(node, path: "gates", known: gateKeys)
        var gates = GateSettings()
        if let node = section["error_ratio"] {
            gates.maxErrorRatio = try node.ratio("gates.error_ratio")
        }
        if let node = section["latency"] {
            gates.maxLatency = try node.duration("gates.latency")
            guard gates.maxLatency > 0 else { throw node.invalid("gates.latency", expected: "a duration above 0") }
        }
        if let node = section["latency_quantile"] {
            gates.latencyQuantile = try node.ratio("gates.latency_quantile")
        }
        if let node = section["window"] {
            gates.window = try node.duration("gates.window")
            guard gates.window >= 1 else { throw node.invalid("gates.window", expected: "a duration of at least 1s") }
        }
        if let node = section["fast_window"] {
            gates.fastWindow = try node.duration("gates.fast_window")
            guard gates.fastWindow <= gates.window else {
                throw node.invalid("gates.fast_window", expected: "a duration no longer than gates.window (0 turns it off)")
            }
        }
        if let node = section["min_requests"] {
            let value = try node.integer("gates.min_requests")
            guard value >= 1 else { throw node.invalid("gates.min_requests", expected: "an integer ≥ 1") }
            gates.minRequests = Double(value)
        }
        if let node = section["confidence"] { gates.confidence = try node.confidence("gates.confidence") }
        if let node = section["false_rollback"] {
            gates.falseRollback = try node.ratio("gates.false_rollback")
            guard gates.falseRollback <= 0.1 else {
                throw node.invalid("gates.false_rollback", expected: "a chance a release of at most 10% (default 0.1%)")
            }
        }
        if let node = section["compare"] {
            guard let compare = GateComparison(rawValue: try node.string("gates.compare")) else {
                throw node.invalid("gates.compare", expected: "absolute (the limits alone) or stable (the limits and the stable version)")
            }
            gates.compare = compare
        }
        if let node = section["health_limit"] { gates.healthLimit = try node.duration("gates.health_limit") }
        if let node = section["max_unhealthy"] { gates.maxUnhealthy = try unhealthyAllowance(node) }
        if let node = section["stale_hold"] { gates.staleHold = try node.duration("gates.stale_hold") }
        if let node = section["stale_rollback"] {
            gates.staleRollback = try node.duration("gates.stale_rollback")
            guard gates.staleRollback >= gates.staleHold else {
                throw node.invalid("gates.stale_rollback", expected: "a duration no shorter than gates.stale_hold")
            }
        }
        if let node = section["failure_codes"] {
            guard case .sequence(let sequence) = node else {
                throw node.invalid("gates.failure_codes", expected: "a list of gRPC code names such as [Unavailable, Internal]")
            }
            var codes: Set<GRPCStatusCode> = []
            for (index, element) in sequence.enumerated() {
                let name = try element.string("gates.failure_codes[\(index)]")
                guard let code = GRPCStatusCode(label: name) else {
                    throw element.invalid(
                        "gates.failure_codes[\(index)]",
                        expected: "a gRPC status code: a name in any of its spellings (Unavailable, UNAVAILABLE, DEADLINE_EXCEEDED) or its number (14); "
                            + "codes: \(GRPCStatusCode.allCases.map(\.name).joined(separator: ", "))")
                }
                codes.insert(code)
            }
            config.failureCodes = FailureCodes(codes: codes)
        }
        config.gates = gates
    }

    private static func unhealthyAllowance(_ node: Node) throws(ConfigError) -> UnhealthyAllowance {
        let expected = "a count of instances (0, 1, ...) or a percent of them (\"10%\")"
        let text = try node.string("gates.max_unhealthy")
        if text.hasSuffix("%"), let percent = Double(text.dropLast()), (0...100).contains(percent) { return .percent(percent) }
        guard let count = Int(text), count >= 0 else { throw node.invalid("gates.max_unhealthy", expected: expected) }
        return .count(count)
    }

    private static func prometheus(_ node: Node) throws(ConfigError) -> PrometheusSettings {
        let section = try Section(node, path: "prometheus", known: prometheusKeys)
        guard let urlNode = section["url"] else {
            throw node.invalid("prometheus.url", expected: "the server's URL (http:// or https://)")
        }
        let url = try urlNode.string("prometheus.url")
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > 8 else {
            throw urlNode.invalid("prometheus.url", expected: "an http:// or https:// URL")
        }
        var settings = PrometheusSettings(url: url)
        if let file = section["bearer_token_file"] { settings.bearerTokenFile = try file.string("prometheus.bearer_token_file") }
        if let file = section["ca_file"] { settings.caFile = try file.string("prometheus.ca_file") }
        if let bound = section["max_series"] {
            settings.maxSeries = try bound.integer("prometheus.max_series")
            guard settings.maxSeries >= 1 else { throw bound.invalid("prometheus.max_series", expected: "an integer ≥ 1") }
        }
        if let api = section["api"] {
            let text = try api.string("prometheus.api")
            guard let value = PrometheusAPI(rawValue: text) else {
                throw api.invalid("prometheus.api", expected: "federate (the default) or query (for servers without /federate)")
            }
            settings.api = value
        }
        if let selectors = section["selectors"] {
            let fields = try Section(selectors, path: "prometheus.selectors", known: Target.allCases.map(\.rawValue))
            for target in Target.allCases {
                guard let selector = fields[target.rawValue] else { continue }
                let key = "prometheus.selectors.\(target.rawValue)"
                let text = try selector.string(key).trimmingCharacters(in: " ")
                guard text.hasPrefix("{"), text.hasSuffix("}"), text.dropFirst().dropLast().contains("=") else {
                    throw selector.invalid(key, expected: "a label selector in braces such as {job=\"order-service\",version=\"v2\"}")
                }
                if let other = settings.selectors.first(where: { $0.value == text }) {
                    throw selector.invalid(key, expected: "a selector other than prometheus.selectors.\(other.key.rawValue)'s")
                }
                settings.selectors[target] = text
            }
        }
        return settings
    }

    private static var metricNameKeys: [(String, WritableKeyPath<MetricNames, String>)] {
        [
            ("server_handled", \.serverHandled), ("server_latency", \.serverLatency),
            ("client_handled", \.clientHandled), ("client_latency", \.clientLatency), ("code_label", \.codeLabel),
            ("upstream_label", \.upstreamLabel), ("breaker_state", \.breakerState), ("service_label", \.serviceLabel),
        ]
    }
    private static let upstreamKeys: [(String, Version)] = [("upstream_stable", .stable), ("upstream_canary", .canary)]
    private static var metricsKeys: [String] { metricNameKeys.map(\.0) + upstreamKeys.map(\.0) + ["source", "ignored_services", "client_latency_unit"] }

    private static func metrics(_ node: Node) throws(ConfigError) -> (MetricNames, MetricsSource) {
        let keys = metricNameKeys
        let section = try Section(node, path: "metrics", known: metricsKeys)
        var names = MetricNames()
        var source = MetricsSource.scrape
        if let node = section["source"] {
            guard let value = MetricsSource(rawValue: try node.string("metrics.source")) else {
                throw node.invalid("metrics.source", expected: "one of \(MetricsSource.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            source = value
        }
        for (key, version) in upstreamKeys {
            guard let node = section[key] else { continue }
            names.upstreamValues[version] = try node.string("metrics.\(key)")
        }
        if let node = section["client_latency_unit"] {
            switch try node.string("metrics.client_latency_unit") {
            case "seconds": names.clientLatencyScale = 1
            case "milliseconds": names.clientLatencyScale = 0.001
            default: throw node.invalid("metrics.client_latency_unit", expected: "seconds or milliseconds (the router's latency buckets)")
            }
        }
        if let node = section["ignored_services"] {
            guard case .sequence(let sequence) = node else {
                throw node.invalid("metrics.ignored_services", expected: "a list of gRPC service names such as [grpc.health.v1.Health]")
            }
            var services: Set<String> = []
            for (index, element) in sequence.enumerated() { services.insert(try element.string("metrics.ignored_services[\(index)]")) }
            names.ignoredServices = services
        }
        if names.upstreamValues[.stable] == names.upstreamValues[.canary],
            let node = section["upstream_canary"] ?? section["upstream_stable"]
        {
            throw node.invalid("metrics.upstream_canary", expected: "a value other than metrics.upstream_stable's")
        }
        for (key, path) in keys {
            guard let node = section[key] else { continue }
            let value = try node.string("metrics.\(key)")
            guard let first = value.unicodeScalars.first,
                first == "_" || first == ":" || ("a"..."z").contains(first) || ("A"..."Z").contains(first),
                value.unicodeScalars.allSatisfy({
                    $0 == "_" || $0 == ":" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                })
            else {
                throw node.invalid("metrics.\(key)", expected: "a Prometheus metric or label name")
            }
            names[keyPath: path] = value
        }
        return (names, source)
    }
}

/// A YAML mapping whose keys are checked against the known ones.
private struct Section {
    private var values: [String: Node] = [:]

    init(_ node: Node, path: String, known: [String]) throws(ConfigError) {
        guard case .mapping(let mapping) = node else {
            throw node.invalid(path.isEmpty ? "(top level)" : path, expected: "a mapping of keys")
        }
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                throw key.invalid(path, expected: "plain keys")
            }
            guard known.contains(scalar.string) else {
                let full = path.isEmpty ? scalar.string : "\(path).\(scalar.string)"
                throw .unknownKey(key: full, line: key.line, known: known)
            }
            values[scalar.string] = value
        }
    }

    subscript(key: String) -> Node? { values[key] }

    /// The keys present, sorted.
    var keys: [String] { values.keys.sorted() }
}

extension Node {
    fileprivate var line: Int { mark?.line ?? 1 }

    fileprivate var text: String {
        switch self {
        case .scalar(let scalar): return "\"\(scalar.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    fileprivate func invalid(_ key: String, expected: String) -> ConfigError {
        .invalidValue(key: key, line: line, expected: expected, found: text)
    }

    fileprivate func string(_ key: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = self, !scalar.string.isEmpty else { throw invalid(key, expected: "a string") }
        return scalar.string
    }

    fileprivate func integer(_ key: String) throws(ConfigError) -> Int {
        guard case .scalar(let scalar) = self, let value = Int(scalar.string) else { throw invalid(key, expected: "an integer") }
        return value
    }

    fileprivate func bool(_ key: String) throws(ConfigError) -> Bool {
        guard case .scalar(let scalar) = self else { throw invalid(key, expected: "true or false") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw invalid(key, expected: "true or false")
        }
    }

    /// A duration: `30s`, `500ms`, `1m`, `1h`, or a plain number of seconds; never negative.
    fileprivate func duration(_ key: String) throws(ConfigError) -> Double {
        guard case .scalar(let scalar) = self else { throw invalid(key, expected: "a duration such as 30s or 500ms") }
        let text = scalar.string.trimmingCharacters(in: " ")
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var value: Double?
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)) {
                value = number * scale
                break
            }
        }
        if value == nil { value = Double(text) }
        guard let value, value.isFinite else { throw invalid(key, expected: "a duration such as 30s or 500ms") }
        guard value >= 0 else { throw invalid(key, expected: "a duration ≥ 0") }
        return value
    }

    /// A ratio: `0.01` or `1%`; strictly between 0 and 1.
    fileprivate func ratio(_ key: String) throws(ConfigError) -> Double {
        guard case .scalar(let scalar) = self else { throw invalid(key, expected: "a ratio such as 0.01 or 1%") }
        let text = scalar.string.trimmingCharacters(in: " ")
        let value = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
        guard let value, value.isFinite else { throw invalid(key, expected: "a ratio such as 0.01 or 1%") }
        guard value > 0, value < 1 else { throw invalid(key, expected: "a ratio strictly between 0 and 1 (0% and 100%)") }
        return value
    }

    fileprivate func confidence(_ key: String) throws(ConfigError) -> Double {
        let value = try ratio(key)
        guard value >= 0.5, value <= 0.999999 else { throw invalid(key, expected: "a confidence in 0.5...0.999999") }
        return value
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}
