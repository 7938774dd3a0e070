#!/usr/bin/env python3
"""Generates grayctl recordings (docs/recording.md) from a simulated order-service fleet.

Deterministic (fixed seeds): running it again rewrites byte-identical files.

    python3 scripts/make_recordings.py                   # the fixtures in fixtures/recordings/
    python3 scripts/make_recordings.py --hour OUT.jsonl  # a 1-hour healthy recording (benchmarks)

Each second the simulated fleet serves Poisson-distributed requests per version with a failure
probability and a log-normal latency; grayctl's observations of it (router, canary and stable
scrapes, health, breakers, weight) are written as recording lines. Scenarios change the canary
at an onset time: errors, latency, an open breaker, unreachable, a metrics outage, a restart.
"""
import argparse
import json
import math
import os
import random
import sys

BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
SERVICE = "order.v1.OrderService"
METHOD = "CreateOrderStream"
STARTED = "2026-11-25T12:00:00Z"
FAILURE_CODE = "Unavailable"


def poisson(rng, lam):
    """Knuth's method; fine for the small per-second rates used here."""
    if lam <= 0:
        return 0
    if lam > 60:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class VersionTraffic:
    """Cumulative counters of one version, as its server (or the router's client side) counts them."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.codes = {}
        self.buckets = [0] * (len(BUCKETS) + 1)
        self.total_seconds = 0.0
        self.count = 0
        self.streams = 0

    def serve(self, rng, requests, failure_ratio, median_s, sigma):
        for _ in range(requests):
            code = FAILURE_CODE if rng.random() < failure_ratio else ("InvalidArgument" if rng.random() < 0.002 else "OK")
            self.codes[code] = self.codes.get(code, 0) + 1
            latency = median_s * math.exp(sigma * rng.gauss(0, 1))
            self.total_seconds += latency
            self.count += 1
            for index, bound in enumerate(BUCKETS):
                if latency <= bound:
                    self.buckets[index] += 1
            self.buckets[-1] += 1
        if requests and self.streams < 50:
            self.streams += 1


def labels(pairs):
    return "{" + ",".join(f'{k}="{v}"' for k, v in pairs) + "}"


def fmt(value):
    if isinstance(value, float):
        text = repr(round(value, 6))
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def exposition(prefix, traffic_by_upstream, extra=""):
    """go-grpc-prometheus style text for one process; upstream=None for server metrics."""
    kind = "server" if prefix == "grpc_server" else "client"
    out = [
        f"# HELP {prefix}_started_total Total number of RPCs started on the {kind}.",
        f"# TYPE {prefix}_started_total counter",
    ]
    base = [("grpc_method", METHOD), ("grpc_service", SERVICE), ("grpc_type", "bidi_stream")]
    for upstream, traffic in traffic_by_upstream:
        tail = [("upstream", upstream)] if upstream else []
        out.append(f"{prefix}_started_total{labels(base + tail)} {traffic.streams}")
    out += [
        f"# HELP {prefix}_handled_total Total number of RPCs completed on the {kind}, regardless of success or failure.",
        f"# TYPE {prefix}_handled_total counter",
    ]
    for upstream, traffic in traffic_by_upstream:
        tail = [("upstream", upstream)] if upstream else []
        for code in sorted(traffic.codes):
            out.append(f"{prefix}_handled_total{labels([('grpc_code', code)] + base + tail)} {traffic.codes[code]}")
    out += [
        f"# HELP {prefix}_handling_seconds Histogram of response latency (seconds) of gRPC that had been application-level handled by the {kind}.",
        f"# TYPE {prefix}_handling_seconds histogram",
    ]
    for upstream, traffic in traffic_by_upstream:
        tail = [("upstream", upstream)] if upstream else []
        for index, bound in enumerate(BUCKETS + ["+Inf"]):
            le = bound if isinstance(bound, str) else fmt(float(bound))
            out.append(f"{prefix}_handling_seconds_bucket{labels(base + tail + [('le', le)])} {traffic.buckets[index]}")
        out.append(f"{prefix}_handling_seconds_sum{labels(base + tail)} {fmt(traffic.total_seconds)}")
        out.append(f"{prefix}_handling_seconds_count{labels(base + tail)} {traffic.count}")
    return "\n".join(out) + "\n" + extra


def breaker_gauge(state):
    value = {"closed": 0, "half-open": 1, "open": 2}[state]
    return (
        "# HELP circuit_breaker_state Circuit breaker state (0 closed, 1 half-open, 2 open).\n"
        "# TYPE circuit_breaker_state gauge\n"
        f'circuit_breaker_state{{name="order-stream"}} {value}\n'
    )


def clock(t):
    seconds = 12 * 3600 + int(t)
    return f"2026-11-25T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}Z"


def breakers_body(state, since, transitions, counts):
    return {
        "breakers": [{
            "name": "order-stream",
            "method": f"/{SERVICE}/{METHOD}",
            "state": state,
            "since": clock(since),
            "counts": counts,
            "settings": {"error_threshold": 0.3, "min_requests": 20, "interval_s": 60, "timeout_s": 30, "max_requests": 5},
            "transitions": transitions,
        }]
    }


class Scenario:
    """Defaults: a healthy canary seen through the router's client metrics."""

    name = ""
    description = ""
    seed = 1
    duration = 60
    onset = None
    router_metrics = True
    canary_rate = 20.0
    stable_rate = 180.0
    canary_failure = 0.002
    canary_median = 0.02
    canary_sigma = 0.5

    def canary_at(self, t):
        """(failure ratio, median s, sigma) of the canary at t."""
        return self.canary_failure, self.canary_median, self.canary_sigma

    def canary_reachable(self, t):
        return True

    def metrics_reachable(self, t):
        return True

    def breaker_state(self, t):
        return "closed"

    def restarting(self, t):
        return False


def generate(scenario, out):
    rng = random.Random(scenario.seed)
    stable_server, canary_server = VersionTraffic(), VersionTraffic()
    stable_client, canary_client = VersionTraffic(), VersionTraffic()
    header = {
        "grayrec": 1, "started": STARTED, "service": "order-service",
        "targets": {
            "stable": {"admin": "http://127.0.0.1:9191", "grpc": "127.0.0.1:50051"},
            "canary": {"admin": "http://127.0.0.1:9192", "grpc": "127.0.0.1:50052"},
            "router": {"admin": "http://127.0.0.1:9090"},
        },
    }
    write = lambda obj: out.write(json.dumps(obj, separators=(",", ":"), ensure_ascii=False) + "\n")
    write(header)
    transitions, since, previous_state = [], 0, "closed"
    restarted = False
    for t in range(0, scenario.duration + 1):
        failure, median, sigma = scenario.canary_at(t)
        if t > 0 and not scenario.restarting(t):
            stable_requests = poisson(rng, scenario.stable_rate)
            canary_requests = poisson(rng, scenario.canary_rate) if scenario.canary_reachable(t) else 0
            state = rng.getstate()
            stable_server.serve(rng, stable_requests, 0.002, 0.02, 0.5)
            rng.setstate(state)
            stable_client.serve(rng, stable_requests, 0.002, 0.021, 0.5)
            state = rng.getstate()
            canary_server.serve(rng, canary_requests, failure, median, sigma)
            rng.setstate(state)
            canary_client.serve(rng, canary_requests, failure, median * 1.05, sigma)
        if scenario.restarting(t) and not restarted:
            canary_server.reset()
            restarted = True
        breaker = scenario.breaker_state(t)
        if breaker != previous_state:
            transitions.append({"at": clock(t), "from": previous_state, "to": breaker})
            since, previous_state = t, breaker
        tt = float(t)
        if scenario.metrics_reachable(t):
            if scenario.router_metrics:
                body = exposition("grpc_client", [("canary", canary_client), ("stable", stable_client)],
                                  "# HELP gateway_canary_weight Canary weight in percent.\n# TYPE gateway_canary_weight gauge\ngateway_canary_weight 5\n")
            else:
                body = "# HELP gateway_canary_weight Canary weight in percent.\n# TYPE gateway_canary_weight gauge\ngateway_canary_weight 5\n"
            write({"t": tt, "kind": "metrics", "target": "router", "body": body})
        else:
            write({"t": tt, "kind": "error", "target": "router", "endpoint": "metrics",
                   "message": "GET http://127.0.0.1:9090/metrics: operation timed out after 1000 ms"})
        canary_up = scenario.canary_reachable(t) and not scenario.restarting(t)
        if canary_up and scenario.metrics_reachable(t):
            if not scenario.router_metrics:
                write({"t": tt, "kind": "metrics", "target": "canary",
                       "body": exposition("grpc_server", [(None, canary_server)], breaker_gauge(breaker))})
        else:
            write({"t": tt, "kind": "error", "target": "canary", "endpoint": "metrics",
                   "message": "GET http://127.0.0.1:9192/metrics: connection refused" if not canary_up
                   else "GET http://127.0.0.1:9192/metrics: operation timed out after 1000 ms"})
        if scenario.restarting(t):
            write({"t": tt, "kind": "health", "target": "canary", "status": "NOT_SERVING" if t == scenario.onset else "UNREACHABLE"})
        elif canary_up:
            write({"t": tt, "kind": "health", "target": "canary", "status": "SERVING"})
        else:
            write({"t": tt, "kind": "health", "target": "canary", "status": "UNREACHABLE"})
        write({"t": tt, "kind": "health", "target": "stable", "status": "SERVING"})
        if canary_up:
            counts = {"requests": canary_server.count % 60, "total_successes": canary_server.codes.get("OK", 0),
                      "total_failures": canary_server.codes.get(FAILURE_CODE, 0),
                      "consecutive_successes": 0, "consecutive_failures": 0}
            write({"t": tt, "kind": "breakers", "target": "canary", "body": breakers_body(breaker, since, transitions[-5:], counts)})
        else:
            write({"t": tt, "kind": "error", "target": "canary", "endpoint": "breakers",
                   "message": "GET http://127.0.0.1:9192/admin/breakers: connection refused"})
        if t % 5 == 0:
            write({"t": tt, "kind": "weight", "weight": 5, "generation": "7"})


class Healthy(Scenario):
    name = "healthy"
    description = "healthy canary at 20 req/s through the router: promoted"
    seed = 11
    duration = 185


class NoisyLowTraffic(Scenario):
    name = "noisy-low-traffic"
    description = ("healthy but noisy canary at 2 req/s (Poisson), failures 0.8% and P99 ~400 ms "
                   "(0.8x the gates), seen from its own server metrics: never rolled back")
    seed = 7
    duration = 240
    router_metrics = False
    canary_rate = 2.0
    canary_failure = 0.008
    canary_median = 0.1
    canary_sigma = 0.6


class ErrorSpike(Scenario):
    name = "error-spike"
    description = "canary starts failing 8% of 20 req/s at t=40: rolled back within 10 s"
    seed = 21
    duration = 70
    onset = 40

    def canary_at(self, t):
        return (0.08 if t > self.onset else self.canary_failure), self.canary_median, self.canary_sigma


class LatencyRegression(Scenario):
    name = "latency-regression"
    description = "canary latency jumps to a median of 400 ms (P99 ~1.3 s) at t=40: rolled back"
    seed = 31
    duration = 70
    onset = 40
    router_metrics = False

    def canary_at(self, t):
        return self.canary_failure, (0.4 if t > self.onset else self.canary_median), self.canary_sigma


class BreakerOpen(Scenario):
    name = "breaker-open"
    description = "canary breaker order-stream opens at t=45: rolled back at that observation"
    seed = 41
    duration = 60
    onset = 45

    def canary_at(self, t):
        return (0.35 if t >= self.onset else self.canary_failure), self.canary_median, self.canary_sigma

    def breaker_state(self, t):
        return "open" if t >= self.onset else "closed"


class CanaryUnreachable(Scenario):
    name = "canary-unreachable"
    description = "canary process gone at t=45 (health UNREACHABLE, scrapes refused): rolled back at t=51"
    seed = 51
    duration = 60
    onset = 45
    router_metrics = False

    def canary_reachable(self, t):
        return t < self.onset


class MetricsOutage(Scenario):
    name = "metrics-outage"
    description = ("router and canary metrics time out from t=40 while health stays SERVING: "
                   "holds after 5 s, rolled back after 60 s")
    seed = 61
    duration = 110
    onset = 40

    def metrics_reachable(self, t):
        return t < self.onset


class CounterReset(Scenario):
    name = "counter-reset"
    description = ("canary restarts at t=70 (3 s health blip, counters reset to 0), then serves healthy: "
                   "not a failure, promoted")
    seed = 71
    duration = 200
    onset = 70
    router_metrics = False

    def restarting(self, t):
        return self.onset <= t < self.onset + 3


SCENARIOS = [Healthy(), NoisyLowTraffic(), ErrorSpike(), LatencyRegression(), BreakerOpen(), CanaryUnreachable(),
             MetricsOutage(), CounterReset()]


class HourLong(Scenario):
    name = "hour"
    seed = 99
    duration = 3600

    def __init__(self):
        self.router_metrics = True


def generate_hour(path):
    """1 hour at 1 s with router, stable and canary scrapes (3 targets), for the replay benchmark."""
    scenario = HourLong()
    with open(path, "w", encoding="utf-8") as out:
        rng = random.Random(scenario.seed)
        traffic = {name: VersionTraffic() for name in ("stable", "canary", "stable_client", "canary_client")}
        out.write(json.dumps({"grayrec": 1, "started": STARTED, "service": "order-service", "targets": {}}) + "\n")
        for t in range(scenario.duration + 1):
            for version, rate in (("stable", 180.0), ("canary", 20.0)):
                requests = poisson(rng, rate)
                state = rng.getstate()
                traffic[version].serve(rng, requests, 0.002, 0.02, 0.5)
                rng.setstate(state)
                traffic[version + "_client"].serve(rng, requests, 0.002, 0.021, 0.5)
            lines = [
                {"t": float(t), "kind": "metrics", "target": "router",
                 "body": exposition("grpc_client", [("canary", traffic["canary_client"]), ("stable", traffic["stable_client"])])},
                {"t": float(t), "kind": "metrics", "target": "stable",
                 "body": exposition("grpc_server", [(None, traffic["stable"])], breaker_gauge("closed"))},
                {"t": float(t), "kind": "metrics", "target": "canary",
                 "body": exposition("grpc_server", [(None, traffic["canary"])], breaker_gauge("closed"))},
                {"t": float(t), "kind": "health", "target": "canary", "status": "SERVING"},
                {"t": float(t), "kind": "health", "target": "stable", "status": "SERVING"},
                {"t": float(t), "kind": "breakers", "target": "canary",
                 "body": breakers_body("closed", 0, [], {"requests": 0})},
            ]
            for line in lines:
                out.write(json.dumps(line, separators=(",", ":")) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "fixtures", "recordings"),
                        help="folder for the scenario fixtures")
    parser.add_argument("--hour", metavar="FILE", help="write only the 1-hour benchmark recording to FILE")
    args = parser.parse_args()
    if args.hour:
        generate_hour(args.hour)
        print(f"wrote {args.hour} ({os.path.getsize(args.hour) / 1e6:.1f} MB)")
        return
    os.makedirs(args.out, exist_ok=True)
    for scenario in SCENARIOS:
        path = os.path.join(args.out, scenario.name + ".jsonl")
        with open(path, "w", encoding="utf-8") as out:
            generate(scenario, out)
        print(f"{path}: {scenario.description} ({os.path.getsize(path) / 1e3:.0f} kB)")


if __name__ == "__main__":
    sys.exit(main())
