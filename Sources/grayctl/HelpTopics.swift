import GrayCore
import GrayRuntime

/// `grayctl help TOPIC`: what the options' help cannot hold — every config key, the gates and
/// their defaults, exit statuses, webhooks, grayctl's own metrics. Made from the code where it can
/// be (the config's sections, the gates' defaults), so it cannot drift from what grayctl does.
/// `grayctl help COMMAND` stays ArgumentParser's help of that command.
enum HelpTopics {
    /// The topics, in the order `grayctl help topics` lists them.
    static let names = ["config", "gates", "exit-codes", "webhooks", "metrics"]

    /// The text of `topic`, nil for a name that is no topic.
    static func text(_ topic: String) -> String? {
        switch topic {
        case "topics": return "Topics: " + names.joined(separator: ", ") + ". `grayctl help COMMAND` explains a command.\n"
        case "config": return config
        case "gates": return gates
        case "exit-codes": return exitCodes
        case "webhooks": return webhooks
        case "metrics": return metrics
        default: return nil
        }
    }

    /// One line per key of `grayctl.yaml`, by section.
    static var config: String {
        var lines = [
            "grayctl.yaml: every key, by section (docs/gates.md and docs/endpoints.md say more; fixtures/configs/full.yaml sets them all).",
            "Looked up as --config, then ./grayctl.yaml, then $XDG_CONFIG_HOME/grayctl/grayctl.yaml.",
        ]
        for (path, keys) in ConfigLoader.sections {
            lines.append("")
            lines.append(path.isEmpty ? "top level:" : "\(path):")
            for key in keys {
                let name = path.isEmpty ? key : "\(path.split(separator: ",").first!).\(key)"
                lines.append("  \(key.rightPadded(to: 22)) \(keyMeaning[name] ?? keyMeaning[key] ?? "")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What each key means, by its full path (or its bare name where that is unambiguous).
    static let keyMeaning: [String: String] = [
        "service": "the service's name, shown in the header and in notifications",
        "targets": "stable, canary and router: where grayctl reads and steers",
        "plan": "steps, bake, interval, auto-advance, confirm webhook",
        "gates": "the limits that hold or roll back",
        "metrics": "metric and label names, and where metrics come from",
        "prometheus": "a Prometheus server as the metrics source",
        "notify": "webhooks told of steps, holds, rollbacks, the end (a list; see `grayctl help webhooks`)",
        "targets.stable.admin": "one instance's admin URL (/metrics, /admin/breakers)",
        "targets.stable.grpc": "one instance's gRPC address (health checks)",
        "targets.stable.breakers": "auto (default), admin, gauge or none: where breakers are read",
        "targets.stable.instances": "a static list of instances (name, admin, grpc each)",
        "targets.stable.dns": "instances from DNS: every address of a name, re-resolved",
        "targets.stable.prometheus_instances": "instances named by Prometheus's instance labels",
        "targets.<version>.instances[].name": "the instance's ID in reasons and recordings",
        "targets.<version>.instances[].admin": "its admin URL",
        "targets.<version>.instances[].grpc": "its gRPC address",
        "targets.<version>.dns.name": "the name to resolve (e.g. a headless service)",
        "targets.<version>.dns.admin_port": "admin port on each address",
        "targets.<version>.dns.grpc_port": "gRPC port on each address",
        "targets.<version>.dns.scheme": "http (default) or https for the admin port",
        "targets.<version>.dns.every": "how often to resolve again (default 10s)",
        "targets.<version>.prometheus_instances.admin_port": "admin port on each labelled host",
        "targets.<version>.prometheus_instances.grpc_port": "gRPC port on each labelled host",
        "targets.<version>.prometheus_instances.scheme": "http (default) or https",
        "targets.router.kind": "gateway (default), envoy, haproxy, istio or httproute",
        "targets.router.admin": "gateway or Envoy admin URL",
        "targets.router.backend": "haproxy: the backend",
        "targets.router.clusters": "envoy: {stable, canary} cluster names",
        "targets.router.context": "istio/httproute: the kubeconfig context",
        "targets.router.destinations": "istio/httproute: {stable, canary} subsets, hosts or backendRefs",
        "targets.router.kubeconfig": "istio/httproute: the kubeconfig (else $KUBECONFIG, ~/.kube/config, in-cluster)",
        "targets.router.metrics": "envoy: its /stats/prometheus URL as the router's series",
        "targets.router.name": "istio/httproute: the VirtualService or HTTPRoute",
        "targets.router.namespace": "istio/httproute: its namespace",
        "targets.router.runtime_prefix": "envoy: the route's runtime_key_prefix",
        "targets.router.servers": "haproxy: {stable, canary} server names",
        "targets.router.socket": "haproxy: the runtime API socket (host:port or a path)",
        "plan.steps": "canary weights, increasing, the last 100 (default 5, 10, 25, 50, 100)",
        "plan.bake": "how long a step stays green before the next (default 30s)",
        "plan.interval": "seconds between observations (default 1s)",
        "plan.auto_advance": "start with auto-advance on (default false)",
        "plan.confirm": "a webhook asked before each promotion (url, url_file or url_env)",
        "plan.confirm_retry": "how long a declined promotion waits before asking again (default 30s)",
        "gates.error_ratio": "the canary's failure ratio limit (default 1%)",
        "gates.latency": "the latency quantile's limit (default 500ms)",
        "gates.latency_quantile": "which quantile (default 0.99)",
        "gates.window": "the window a step's pass is judged over, and the figures shown (default 30s)",
        "gates.fast_window": "seconds between the sequential tests' restarts, so old healthy traffic cannot mask a new fault (default 10s; 0 = off)",
        "gates.min_requests": "requests in the step (within the window) before errors or latency may pass (default 50)",
        "gates.confidence": "confidence of the exact bound shown beside the failure ratio (default 99.99%; display only)",
        "gates.false_rollback": "chance a release that the error or latency gate rolls back a canary within its limits (default 0.1%)",
        "gates.compare": "absolute (the limits alone, default) or stable: a canary proven above a limit only holds while the stable is proven above it too over the same rounds, until the canary is proven worse than the stable",
        "gates.health_limit": "how long a canary instance may be unhealthy (default 5s)",
        "gates.max_unhealthy": "canary instances allowed unhealthy past the limit: a count or a percent (default 0)",
        "gates.stale_hold": "metrics older than this hold promotion (default 5s)",
        "gates.stale_rollback": "metrics older than this roll back (default 60s)",
        "gates.failure_codes": "gRPC codes counted as failures (default Unknown, DeadlineExceeded, Unimplemented, Internal, Unavailable, DataLoss)",
        "metrics.server_handled": "instances' handled counter (default grpc_server_handled_total)",
        "metrics.server_latency": "instances' latency histogram (default grpc_server_handling_seconds)",
        "metrics.client_handled": "the router's per-upstream handled counter (default grpc_client_handled_total)",
        "metrics.client_latency": "the router's per-upstream latency histogram (default grpc_client_handling_seconds)",
        "metrics.code_label": "the label holding the gRPC code (default grpc_code)",
        "metrics.upstream_label": "the router's label naming the version (default upstream)",
        "metrics.breaker_state": "the breaker gauge (default circuit_breaker_state; 0 closed, 1 half-open, 2 open)",
        "metrics.service_label": "the label holding the gRPC service (default grpc_service)",
        "metrics.upstream_stable": "the router's value of upstream_label for stable (default stable)",
        "metrics.upstream_canary": "the router's value of upstream_label for canary (default canary)",
        "metrics.source": "scrape (default: each /metrics) or prometheus",
        "metrics.ignored_services": "services whose calls are not traffic (default the health and reflection services)",
        "metrics.client_latency_unit": "seconds (default) or milliseconds (Envoy's buckets)",
        "prometheus.url": "the server's URL",
        "prometheus.bearer_token_file": "a file holding its bearer token (never printed)",
        "prometheus.ca_file": "a CA bundle to verify it",
        "prometheus.max_series": "most series one selector may return (an error beyond)",
        "prometheus.api": "federate (default) or query (Thanos, Mimir, Cortex)",
        "prometheus.selectors": "a label selector per target: {stable, canary, router}",
        "notify[].url": "the URL itself (for URLs without a secret in them)",
        "notify[].url_file": "a file whose first line is the URL (keeps a token out of the config)",
        "notify[].url_env": "an environment variable holding the URL",
    ]

    static var gates: String {
        """
        The gates and the plan with their defaults (set under gates: and plan: in grayctl.yaml; `grayctl help config`, \
        docs/gates.md). A gate without enough data holds: nothing is promoted on missing or stale data.
          gates: \(GateSettings().summary).
          plan:  \(ReleasePlan().summary).
        `grayctl check` says the same of your grayctl.yaml.

        """
    }

    static let exitCodes = """
        Exit statuses:
          0  promoted (release), nothing to fix (check), read (status), replay promoted or healthy in progress
          1  preflight checks to fix: `check` found some, or `release` refused to start on them
          2  bad input: arguments, config (the message names file, line and key), a journal line, a port in use
          3  rolled back
          4  interrupted (Ctrl-C, SIGTERM, SIGHUP) or unfinished at --max-duration, or quit mid-release
          5  a rollback was sent but the router never read back 0%: check the router, the canary may still get traffic

        """

    static let webhooks = """
        Webhooks (grayctl.yaml; URLs with tokens belong in a file or the environment, and grayctl shows them only as scheme://host/…):
          notify: [{url_file: /run/secrets/slack}, {url_env: TEAM_HOOK}]
            POSTed {"text": "[service] …", "event": {kind, service, …}} (Slack-compatible) for every step, hold
            (once per cause), rollback with its reason, promotion to 100%, an operator's pause, resume, auto-advance,
            --resume or --adopt, grayctl failing at something, and where grayctl stopped an unfinished release.
            Delivery runs beside the release (4 tries, back-off): a dead webhook delays nothing; failures show on screen.
          plan: {confirm: {url_env: CHANGE_GATE}, confirm_retry: 30s}
            asked before each promotion: 2xx proceeds, anything else holds with the answer shown and is asked again
            after confirm_retry. Rollbacks are never asked.
        `grayctl watch` notifies nobody and asks nothing.

        """

    static let metrics = """
        grayctl's own metrics (--metrics-listen HOST:PORT on release and watch; GET /metrics, Prometheus text):
          grayctl_canary_weight_percent, grayctl_plan_step, grayctl_release_phase{phase}, grayctl_release_paused,
          grayctl_gate_verdict{gate,verdict}, grayctl_steps_total, grayctl_rollbacks_total{cause}, grayctl_holds_total{cause},
          grayctl_poll_errors_total{target,endpoint}, grayctl_last_observation_timestamp_seconds.
        Alert on a dead driver (no answer) or a stuck one (time() - grayctl_last_observation_timestamp_seconds > 60).

        """
}
