"""One poll round against versions of many instances (release build of grayctl-bench): direct
scrape of 2, 20 and 100 instances per version (health, /metrics and /admin/breakers of each; at 100
also with the breakers read from the metrics' breaker gauge instead), then
the metrics of the same 100 × 2 instances read through Debian's Prometheus scraping them every
second (85 series each; the instances are Prometheus's instance labels, so that round is the reads,
their parse and the judging alone), through /federate and through the query API. The instances are the stand-in fleet of scripts/standin_fleet.py (one Python process: an
emulation of the servers, the client side measured is grayctl's own). One JSON line per setup."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BENCH = os.path.join(os.environ.get("GRAYCTL_BIN") or os.path.join(ROOT, ".build", "release"), "grayctl-bench")
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def instances(members, breakers="admin"):
    return f"{{breakers: {breakers}, instances: [" + ", ".join(
        f'{{admin: "http://{m["admin"]}", grpc: "{m["grpc"]}"}}' for m in members) + "]}"


def bench(config_text, folder):
    path = os.path.join(folder, "grayctl.yaml")
    with open(path, "w") as handle:
        handle.write(config_text)
    result = subprocess.run([BENCH, "poll", path, str(ROUNDS)], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.exit(result.stderr)
    sys.stderr.write(result.stderr)
    print(result.stdout.strip(), flush=True)


def main():
    folder = tempfile.mkdtemp(prefix="grayctl-bench-instances-")
    for count in [2, 20, 100]:
        fleet = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts", "standin_fleet.py"), str(count)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            members = json.loads(fleet.stdout.readline())
            config = f"targets:\n  stable: {instances(members['stable'])}\n  canary: {instances(members['canary'])}\n"
            bench(config + "gates: {stale_hold: 5s}\n", folder)
            if count != 100:
                continue
            # The same fleet with the breakers read from the breaker gauge in the metrics
            # (`breakers: gauge`): two reads an instance instead of three.
            gauges = f"targets:\n  stable: {instances(members['stable'], 'gauge')}\n  canary: {instances(members['canary'], 'gauge')}\n"
            bench(gauges + "gates: {stale_hold: 5s}\n", folder)
            port = free_port()
            jobs = "\n".join(
                f"  - {{job_name: {job}, static_configs: [{{targets: [{', '.join(repr(m['admin']) for m in members[version])}]}}]}}"
                for job, version in [("orders-v1", "stable"), ("orders-v2", "canary")])
            with open(os.path.join(folder, "prometheus.yml"), "w") as handle:
                handle.write(f"global: {{scrape_interval: 1s}}\nscrape_configs:\n{jobs}\n")
            prometheus = subprocess.Popen(
                ["/usr/bin/prometheus", f"--config.file={folder}/prometheus.yml", f"--storage.tsdb.path={folder}/tsdb",
                 f"--web.listen-address=127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                for _ in range(150):
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1).read()
                        break
                    except OSError:
                        time.sleep(0.2)
                time.sleep(6)  # a few scrapes of every target
                answer = os.path.join(folder, "answer.json")
                queries = subprocess.run([BENCH, "prometheus-query", '{job="orders-v2"}'], capture_output=True, text=True,
                                         check=True).stdout.strip().split("\n")
                with open(answer, "wb") as handle:
                    for query in queries:  # the series, then their ages: one answer a line
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/query?query={urllib.parse.quote(query)}",
                                                    timeout=10) as reply:
                            handle.write(reply.read().strip() + b"\n")
                federated = os.path.join(folder, "answer.prom")
                with open(federated, "wb") as handle:  # the same series through /federate
                    match = urllib.parse.quote(queries[0])
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/federate?match%5B%5D={match}", timeout=10) as reply:
                        handle.write(reply.read())
                for saved in [answer, federated]:
                    result = subprocess.run([BENCH, "prometheus-answer", saved, "9"], capture_output=True, text=True, timeout=600)
                    print(result.stdout.strip() or result.stderr.strip(), flush=True)
                # Only the selectors: Prometheus's instance labels are the instances, so the round is
                # the reads, their parse and the judging, with no health or breaker reads beside;
                # through /federate (the default), then through the query API.
                for api in ["federate", "query"]:
                    bench(f"""gates: {{stale_hold: 5s}}
metrics: {{source: prometheus}}
prometheus:
  url: http://127.0.0.1:{port}
  api: {api}
  max_series: 20000
  selectors: {{stable: '{{job="orders-v1"}}', canary: '{{job="orders-v2"}}'}}
""", folder)
            finally:
                prometheus.terminate()
                prometheus.wait()
        finally:
            fleet.stdin.close()
            fleet.wait(timeout=10)


if __name__ == "__main__":
    main()
