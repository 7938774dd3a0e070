import GrayCore
import Testing

@Suite("grayctl.yaml: every knob, defaults, and errors that name key and line")
struct ConfigLoaderTests {
    @Test("an empty file gives the defaults of docs/gates.md")
    func defaults() throws {
        let config = try ConfigLoader.load("")
        #expect(config == GrayConfig())
        #expect(config.plan.steps == [5, 10, 25, 50, 100] && config.plan.bake == 30 && config.plan.interval == 1)
        #expect(config.gates.maxErrorRatio == 0.01 && config.gates.maxLatency == 0.5 && config.gates.window == 30)
        #expect(config.gates.minRequests == 50 && config.gates.healthLimit == 5)
        #expect(config.gates.staleHold == 5 && config.gates.staleRollback == 60)
        #expect(config.failureCodes == .defaults)
    }

    @Test("every knob is read")
    func full() throws {
        let config = try ConfigLoader.load(Fixtures.text("configs/full.yaml"))
        #expect(config.targets[.canary] == TargetEndpoints(admin: "https://canary.internal:9192", grpc: "canary.internal:50052", breakers: .admin))
        #expect(config.targets[.router]?.kind == "gateway")
        #expect(config.plan.steps == [1, 5, 20, 100] && config.plan.bake == 120 && config.plan.interval == 0.5)
        #expect(config.plan.autoAdvance)
        #expect(config.plan.confirm == .environment("GRAYCTL_CONFIRM_URL") && config.plan.confirmRetry == 45)
        #expect(config.notify == [.file("/run/secrets/slack-webhook"), .literal("http://127.0.0.1:9300/hooks/grayctl")])
        #expect(config.gates.maxErrorRatio == 0.02 && config.gates.maxLatency == 0.25 && config.gates.latencyQuantile == 0.95)
        #expect(config.gates.window == 60 && config.gates.fastWindow == 15 && config.gates.minRequests == 100)
        #expect(config.gates.confidence == 0.999 && config.gates.falseRollback == 0.005 && config.gates.compare == .stable)
        #expect(config.gates.healthLimit == 10 && config.gates.staleHold == 3 && config.gates.staleRollback == 30)
        #expect(config.gates.maxUnhealthy == .percent(10))
        #expect(config.failureCodes.codes == [.unavailable, .internal, .deadlineExceeded])
        #expect(config.metrics.clientHandled == "envoy_cluster_grpc_total" && config.metrics.upstreamLabel == "envoy_cluster_name")
        #expect(config.metrics.upstreamValues == [.stable: "orders-v1", .canary: "orders-v2"])
        #expect(config.metrics.clientLatencyScale == 1)
        #expect(config.metrics.ignoredServices == ["grpc.health.v1.Health", "admin.v1.Debug"])
        #expect(config.metricsSource == .prometheus && config.prometheus?.maxSeries == 500)
        #expect(config.prometheus?.selectors[.router] == #"{job="gateway"}"#)
    }

    @Test("an unknown key names itself, its line and what is known there")
    func unknownKey() throws {
        #expect(throws: ConfigError.unknownKey(
            key: "gates.min_request", line: 5,
            known: ["error_ratio", "latency", "latency_quantile", "window", "fast_window", "min_requests", "confidence",
                    "false_rollback", "compare", "health_limit", "max_unhealthy", "stale_hold", "stale_rollback", "failure_codes"])
        ) {
            try ConfigLoader.load(Fixtures.text("configs/typo.yaml"))
        }
    }

    @Test("bad values name key, line, expectation and what was found", arguments: [
        ("plan:\n  steps: [5, 25, 10, 100]\n", "line 2: plan.steps[2]: expected weights strictly increasing (more than 25), found \"10\""),
        ("plan:\n  steps: [5, 10, 150]\n", "line 2: plan.steps[2]: expected a weight in 1...100, found \"150\""),
        ("plan:\n  steps: [0, 10, 100]\n", "line 2: plan.steps[0]: expected a weight in 1...100, found \"0\""),
        ("plan:\n  steps: [5, 10, 50]\n", "line 2: plan.steps: expected the last step to be 100, found a list"),
        ("plan:\n  steps: 5\n", "line 2: plan.steps: expected a list of weights such as [5, 10, 25, 50, 100], found \"5\""),
        ("plan:\n  bake: -5s\n", "line 2: plan.bake: expected a duration ≥ 0, found \"-5s\""),
        ("plan:\n  bake: soon\n", "line 2: plan.bake: expected a duration such as 30s or 500ms, found \"soon\""),
        ("gates:\n  error_ratio: 1.5\n", "line 2: gates.error_ratio: expected a ratio strictly between 0 and 1 (0% and 100%), found \"1.5\""),
        ("gates:\n  error_ratio: 0\n", "line 2: gates.error_ratio: expected a ratio strictly between 0 and 1 (0% and 100%), found \"0\""),
        ("gates:\n  confidence: 0.3\n", "line 2: gates.confidence: expected a confidence in 0.5...0.999999, found \"0.3\""),
        ("gates:\n  fast_confidence: 0.999\n", "line 2: gates.fast_confidence: expected nothing: it is gone since 0.8 — the error and latency gates trip on a sequential test; remove the key (gates.false_rollback sets the chance of a false rollback, gates.fast_window how often the test restarts), found \"fast_confidence\""),
        ("gates:\n  compare: relative\n", "line 2: gates.compare: expected absolute (the limits alone) or stable (the limits and the stable version), found \"relative\""),
        ("gates:\n  false_rollback: 20%\n", "line 2: gates.false_rollback: expected a chance a release of at most 10% (default 0.1%), found \"20%\""),
        ("gates:\n  min_requests: 0\n", "line 2: gates.min_requests: expected an integer ≥ 1, found \"0\""),
        ("gates:\n  stale_hold: 10s\n  stale_rollback: 5s\n", "line 3: gates.stale_rollback: expected a duration no shorter than gates.stale_hold, found \"5s\""),
        ("gates:\n  failure_codes: [Unavailable, Oops]\n", nil),
        ("targets:\n  canary:\n    admin: ftp://x\n", "line 3: targets.canary.admin: expected an http:// or https:// URL, found \"ftp://x\""),
        ("targets:\n  canary:\n    grpc: localhost\n", "line 3: targets.canary.grpc: expected host:port with a port in 1...65535, found \"localhost\""),
        ("targets:\n  router: {admin: \"http://g:1\"}\nmetrics:\n  client_latency_unit: milliseconds\n", "line 4: metrics.client_latency_unit: expected seconds unless targets.router.kind is envoy (only Envoy's latency buckets are in milliseconds), found \"milliseconds\""),
        ("metrics:\n  client_latency_unit: minutes\n", "line 2: metrics.client_latency_unit: expected seconds or milliseconds (the router's latency buckets), found \"minutes\""),
        ("targets:\n  router:\n    kind: nginx\n", "line 3: targets.router.kind: expected a router kind grayctl has a provider for: gateway, envoy, haproxy, istio, httproute, found \"nginx\""),
        ("targets:\n  router:\n    kind: envoy\n", "line 3: targets.router.admin: expected Envoy's admin API URL (kind envoy), found nothing"),
        ("targets:\n  router:\n    kind: envoy\n    admin: http://a:9901\n    runtime_prefix: routes orders\n", "line 5: targets.router.runtime_prefix: expected a runtime key prefix (letters, digits, '.', '_', '-'), found \"routes orders\""),
        ("targets:\n  router:\n    kind: haproxy\n    admin: http://a:1\n", "line 4: targets.router.admin: expected a key of kind haproxy (socket, backend, servers), as targets.router.kind is haproxy, found \"http://a:1\""),
        ("targets:\n  router:\n    kind: haproxy\n    socket: relative.sock\n    backend: orders\n", "line 4: targets.router.socket: expected host:port or an absolute unix socket path (stats socket … level admin), found \"relative.sock\""),
        ("targets:\n  router:\n    kind: haproxy\n    socket: /run/h.sock\n    backend: orders\n    servers: {stable: a, canary: a}\n", "line 6: targets.router.servers: expected two different names, stable and canary, found a mapping"),
        ("plan:\n  interval: 10s\ngates:\n  stale_hold: 5s\n", "line 4: gates.stale_hold: expected at least twice plan.interval (10 s): readings are up to one interval old, found \"5s\""),
        ("plan:\n  interval: 3s\n", "line 2: plan.interval: expected at most half of gates.stale_hold (5 s), or a longer gates.stale_hold: readings are up to one interval old, found \"3s\""),
        ("metrics:\n  upstream_stable: v2\n  upstream_canary: v2\n", "line 3: metrics.upstream_canary: expected a value other than metrics.upstream_stable's, found \"v2\""),
        ("metrics:\n  code_label: grpc-code\n", "line 2: metrics.code_label: expected a Prometheus metric or label name, found \"grpc-code\""),
        ("plan: [1, 2]\n", "line 1: plan: expected a mapping of keys, found a list"),
        ("plan:\n  steps: [5, 10\n", nil),
    ] as [(String, String?)])
    func invalid(yaml: String, message: String?) {
        do {
            _ = try ConfigLoader.load(yaml)
            Issue.record("accepted: \(yaml)")
        } catch {
            if let message {
                #expect(error.description == message)
            } else {
                #expect(error.line >= 1)
            }
        }
    }

    @Test("failure codes are read in every spelling of a gRPC status code",
          arguments: ["[UNAVAILABLE, DEADLINE_EXCEEDED]", "[Unavailable, DeadlineExceeded]", "[14, 4]", "[unavailable, deadline_exceeded]"])
    func failureCodeSpellings(list: String) throws {
        let config = try ConfigLoader.load("gates:\n  failure_codes: \(list)\n")
        #expect(config.failureCodes.codes == [.unavailable, .deadlineExceeded])
    }

    @Test("router upstream values map to versions")
    func upstreamValues() throws {
        let config = try ConfigLoader.load("metrics:\n  upstream_stable: orders-v1\n  upstream_canary: orders-v2\n")
        #expect(config.metrics.upstreamValues == [.stable: "orders-v1", .canary: "orders-v2"])
    }

    @Test("metrics.source: prometheus reads the server, its token and CA files, the series bound, the API and a selector per target")
    func prometheus() throws {
        let config = try ConfigLoader.load("""
            metrics: {source: prometheus}
            prometheus:
              url: https://prometheus.monitoring:9090
              bearer_token_file: /var/run/secrets/token
              ca_file: /etc/ssl/prometheus-ca.pem
              max_series: 500
              api: query
              selectors:
                canary: '{job="order-service",version="v2"}'
                stable: '{pod=~"orders-stable-.*"}'
            """)
        #expect(try ConfigLoader.load("prometheus: {url: http://p:9090}\n").prometheus?.api == .federate, "federation is the default")
        #expect(config.metricsSource == .prometheus)
        let prometheus = try #require(config.prometheus)
        #expect(prometheus.url == "https://prometheus.monitoring:9090" && prometheus.maxSeries == 500 && prometheus.api == .query)
        #expect(prometheus.bearerTokenFile == "/var/run/secrets/token" && prometheus.caFile == "/etc/ssl/prometheus-ca.pem")
        #expect(prometheus.selectors == [.canary: #"{job="order-service",version="v2"}"#, .stable: #"{pod=~"orders-stable-.*"}"#])
    }

    @Test("a Prometheus source without what it needs names the key", arguments: [
        ("metrics: {source: prometheus}\n", "line 1: prometheus.selectors.canary: expected a label selector for the canary's series, as metrics.source is prometheus, found nothing"),
        ("metrics: {source: graphite}\n", "line 1: metrics.source: expected one of scrape, prometheus, found \"graphite\""),
        ("prometheus: {selectors: {canary: '{a=\"b\"}'}}\n", "line 1: prometheus.url: expected the server's URL (http:// or https://), found a mapping"),
        ("prometheus:\n  url: http://p:9090\n  selectors: {canary: 'job=\"x\"'}\n", "line 3: prometheus.selectors.canary: expected a label selector in braces such as {job=\"order-service\",version=\"v2\"}, found \"job=\"x\"\""),
        ("prometheus:\n  url: http://p:9090\n  max_series: 0\n", "line 3: prometheus.max_series: expected an integer ≥ 1, found \"0\""),
        ("prometheus:\n  url: http://p:9090\n  api: remote_read\n", "line 3: prometheus.api: expected federate (the default) or query (for servers without /federate), found \"remote_read\""),
        ("prometheus:\n  url: http://p:9090\n  selectors: {canary: '{}'}\n", "line 3: prometheus.selectors.canary: expected a label selector in braces such as {job=\"order-service\",version=\"v2\"}, found \"{}\""),
        ("prometheus:\n  url: http://p:9090\n  selectors: {stable: '{job=\"x\"}', canary: '{job=\"x\"}'}\n", "line 3: prometheus.selectors.canary: expected a selector other than prometheus.selectors.stable's, found \"{job=\"x\"}\""),
    ] as [(String, String)])
    func prometheusErrors(yaml: String, message: String) {
        do {
            _ = try ConfigLoader.load(yaml)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("YAML syntax errors give line and column")
    func syntax() {
        #expect(throws: ConfigError.self) { try ConfigLoader.load("plan:\n  steps: [5, 10\n") }
        do {
            _ = try ConfigLoader.load("plan:\n  bake: 30s\n   bad indent: x\n")
        } catch {
            #expect(error.description.hasPrefix("line 3, column"))
        }
    }
}

/// Versions of many instances in `grayctl.yaml`: a static list, DNS, and the health allowance.
@Suite("grayctl.yaml: instances of a version")
struct InstanceConfigTests {
    @Test("a static list names each instance by its name, else its admin host:port")
    func staticList() throws {
        let config = try ConfigLoader.load("""
            targets:
              canary:
                instances:
                  - name: orders-canary-1
                    admin: http://10.0.3.7:9191
                    grpc: 10.0.3.7:50051
                  - admin: http://10.0.3.8:9191/
                    grpc: 10.0.3.8:50051
            """)
        #expect(config.targets[.canary]?.instances.map(\.id) == ["orders-canary-1", "10.0.3.8:9191"])
    }

    @Test("DNS discovery: the name, ports, scheme and period")
    func dns() throws {
        let config = try ConfigLoader.load(Fixtures.text("../docs/examples/kubernetes-grayctl.yaml"))
        let dns = try #require(config.targets[.canary]?.dns)
        #expect(dns.name == "orders-v2-headless.orders.svc.cluster.local" && dns.every == 10)
        #expect(dns.instance(at: "10.0.3.7") == InstanceEndpoints(admin: "http://10.0.3.7:9191", grpc: "10.0.3.7:50051"))
        #expect(dns.instance(at: "fd00::7").admin == "http://[fd00::7]:9191")
        #expect(dns.instance(at: "10.0.3.7").id == "10.0.3.7:9191", "Prometheus's instance label of the pod's admin port")
        #expect(config.targets[.canary]?.breakers == BreakerSource.none && config.gates.maxUnhealthy == .count(0))
        #expect(config.metricsSource == .prometheus)
    }

    @Test("Prometheus discovery: each instance label's host, reached at the configured ports")
    func prometheusInstances() throws {
        let config = try ConfigLoader.load("""
            targets:
              canary:
                prometheus_instances:
                  grpc_port: 50051
                  admin_port: 9191
            metrics:
              source: prometheus
            prometheus:
              url: http://prometheus:9090
              selectors:
                canary: '{job="orders",track="canary"}'
            """)
        let ports = try #require(config.targets[.canary]?.prometheusInstances)
        #expect(ports.endpoints(host: InstancePorts.host(ofLabel: "10.0.3.7:9191")) == InstanceEndpoints(admin: "http://10.0.3.7:9191", grpc: "10.0.3.7:50051"))
        #expect(InstancePorts.host(ofLabel: "[fd00::7]:9191") == "[fd00::7]" && ports.endpoints(host: "[fd00::7]").grpc == "[fd00::7]:50051")
        #expect(InstancePorts.host(ofLabel: "orders-canary-1") == "orders-canary-1" && InstancePorts.host(ofLabel: "fd00::7") == "fd00::7")
        #expect(config.namesInstances)
    }

    @Test("bad instance settings name the key and line", arguments: [
        ("targets:\n  canary:\n    admin: http://a:1\n    instances:\n      - admin: http://b:1\n",
         "line 5: targets.canary.instances: expected one way to find the instances: admin/grpc (one instance), instances (a list), dns or prometheus_instances, not admin and instances"),
        ("targets:\n  canary:\n    instances: []\n",
         "line 3: targets.canary.instances: expected a list of instances, each with admin and/or grpc (and an optional name)"),
        ("targets:\n  canary:\n    instances:\n      - name: x\n",
         "line 4: targets.canary.instances[0]: expected an instance with admin or grpc (and an optional name)"),
        ("targets:\n  canary:\n    instances:\n      - admin: http://a:1\n      - admin: http://a:1\n",
         "line 5: targets.canary.instances[1]: expected an instance named otherwise than a:1, which is listed twice"),
        ("targets:\n  canary:\n    dns:\n      name: x\n",
         "line 4: targets.canary.dns: expected admin_port and/or grpc_port: what to reach on each instance's host"),
        ("targets:\n  canary:\n    dns:\n      name: x\n      grpc_port: 70000\n",
         "line 5: targets.canary.dns.grpc_port: expected a port in 1...65535"),
        ("targets:\n  canary:\n    instances:\n      - name: canary\n        grpc: a:1\n",
         "line 4: targets.canary.instances[0]: expected an instance name other than stable, canary or router"),
        ("targets:\n  canary:\n    grpc: a:1\n    dns:\n      name: x\n      grpc_port: 1\n",
         "line 5: targets.canary.dns: expected one way to find the instances"),
        ("targets:\n  canary:\n    prometheus_instances:\n      grpc_port: 50051\n",
         "line 4: targets.canary.prometheus_instances: expected metrics.source prometheus and prometheus.selectors.canary (the instances are the selector's instance labels), found metrics.source scrape"),
        ("targets:\n  canary:\n    prometheus_instances:\n      scheme: https\n",
         "line 4: targets.canary.prometheus_instances: expected admin_port and/or grpc_port: what to reach on each instance's host"),
        ("targets:\n  canary:\n    dns:\n      name: x\n      grpc_port: 1\n    prometheus_instances:\n      grpc_port: 1\n",
         "line 7: targets.canary.prometheus_instances: expected one way to find the instances: admin/grpc (one instance), instances (a list), dns or prometheus_instances, not dns and prometheus_instances"),
        ("gates:\n  max_unhealthy: many\n", "line 2: gates.max_unhealthy: expected a count of instances (0, 1, ...) or a percent of them (\"10%\")"),
        ("gates:\n  max_unhealthy: 120%\n", "line 2: gates.max_unhealthy: expected a count of instances (0, 1, ...) or a percent of them (\"10%\")"),
    ])
    func bad(text: String, message: String) throws {
        do {
            _ = try ConfigLoader.load(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }
}

@Suite("grayctl.yaml: the router's engine")
struct RouterConfigTests {
    @Test("each kind with its keys; sides default to stable and canary")
    func kinds() throws {
        let gateway = try ConfigLoader.load("targets:\n  router:\n    admin: http://127.0.0.1:9000\n")
        #expect(gateway.targets[.router]?.engine == .gateway(admin: "http://127.0.0.1:9000"))
        let envoy = try ConfigLoader.load("""
            targets:
              router:
                kind: envoy
                admin: http://127.0.0.1:9901
                runtime_prefix: routes.orders
                clusters: {stable: orders-v1, canary: orders-v2}
            """)
        #expect(envoy.targets[.router]?.engine == .envoy(
            admin: "http://127.0.0.1:9901", runtimePrefix: "routes.orders", clusters: RouterSides(stable: "orders-v1", canary: "orders-v2")))
        #expect(envoy.targets[.router]?.admin == nil, "Envoy's admin is no gateway admin: no /metrics is scraped from it")
        let stats = try ConfigLoader.load("""
            targets:
              router: {kind: envoy, admin: "http://127.0.0.1:9901", runtime_prefix: r, metrics: "http://127.0.0.1:9901/stats/prometheus"}
            metrics: {client_latency_unit: milliseconds}
            """)
        #expect(stats.targets[.router]?.metricsURL == "http://127.0.0.1:9901/stats/prometheus" && stats.metrics.clientLatencyScale == 0.001)
        let haproxy = try ConfigLoader.load("targets:\n  router:\n    kind: haproxy\n    socket: 127.0.0.1:9999\n    backend: orders\n")
        #expect(haproxy.targets[.router]?.engine == .haproxy(socket: "127.0.0.1:9999", backend: "orders", servers: RouterSides()))
        #expect(haproxy.targets[.router]?.engine?.address == "127.0.0.1:9999")
        let istio = try ConfigLoader.load("targets:\n  router:\n    kind: istio\n    name: orders\n    namespace: shop\n    destinations: {stable: v1, canary: v2}\n")
        var route = KubernetesRouteSettings(kind: .virtualService, name: "orders", destinations: RouterSides(stable: "v1", canary: "v2"))
        route.namespace = "shop"
        #expect(istio.targets[.router]?.engine == .kubernetes(route))
        let missing = #expect(throws: ConfigError.self) { try ConfigLoader.load("targets:\n  router:\n    kind: httproute\n") }
        #expect(missing?.description == "line 3: targets.router.name: expected the HTTPRoute's name (kind httproute), found nothing")
    }

    @Test("the worked examples for Envoy, HAProxy, Istio and HTTPRoute load")
    func examples() throws {
        let envoy = try ConfigLoader.load(Fixtures.text("../docs/examples/envoy-grayctl.yaml"))
        #expect(envoy.targets[.router]?.engine == .envoy(
            admin: "http://127.0.0.1:9901", runtimePrefix: "routes.orders", clusters: RouterSides(stable: "orders-v1", canary: "orders-v2")))
        let haproxy = try ConfigLoader.load(Fixtures.text("../docs/examples/haproxy-grayctl.yaml"))
        #expect(haproxy.targets[.router]?.engine == .haproxy(socket: "/run/haproxy/admin.sock", backend: "orders", servers: RouterSides(stable: "v1", canary: "v2")))
        for (file, kind, sides) in [
            ("istio-grayctl.yaml", KubernetesRoute.Kind.virtualService, RouterSides(stable: "v1", canary: "v2")),
            ("httproute-grayctl.yaml", .httpRoute, RouterSides(stable: "orders-v1", canary: "orders-v2")),
        ] {
            let config = try ConfigLoader.load(Fixtures.text("../docs/examples/\(file)"))
            var route = KubernetesRouteSettings(kind: kind, name: "orders", destinations: sides)
            route.namespace = "orders"
            #expect(config.targets[.router]?.engine == .kubernetes(route), "\(file)")
        }
    }
}
