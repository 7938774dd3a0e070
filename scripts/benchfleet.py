"""The reference fleet for benchmark scripts: stable v1, canary v2, the gateway and bounded load,
release binaries on free loopback ports, stopped on exit, and optionally Debian's Prometheus
scraping it. Shared by bench_rollback.py and bench_watch.py."""
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

BIN = os.environ.get("GRAYCTL_BIN") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release")
TOKEN = "bench-token"


class Fleet:
    def __init__(self, load_seconds, rps=200):
        self.folder = tempfile.mkdtemp(prefix="grayctl-bench-")
        self.token_file = os.path.join(self.folder, "token")
        with open(self.token_file, "w") as handle:
            handle.write(TOKEN)
        self.processes = []
        self.addresses = {}
        token = ["--admin-token-file", self.token_file, "--drain-timeout", "1"]
        self.start("stable", "order-service", ["--role", "stable", "--version", "v1"] + token)
        self.start("canary", "order-service", ["--role", "canary", "--version", "v2"] + token)
        self.start("gateway", "order-gateway", ["--stable", self.addresses["stable"][0],
                                                "--canary", self.addresses["canary"][0]] + token)
        self.processes.append(subprocess.Popen(
            [os.path.join(BIN, "order-load"), "--target", self.addresses["gateway"][0], "--call", "unary",
             "--concurrency", "8", "--rps", str(rps), "--duration", str(load_seconds)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def start(self, name, binary, arguments):
        process = subprocess.Popen([os.path.join(BIN, binary)] + arguments, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        self.processes.append(process)
        fields = dict(part.split("=", 1) for part in process.stdout.readline().split() if "=" in part)
        self.addresses[name] = (fields["grpc"], fields["admin"])

    def start_prometheus(self, scrape_seconds):
        """Debian's Prometheus scraping the gateway and both instances every `scrape_seconds`;
        returns its base URL once ready."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        jobs = "\n".join(f"  - {{job_name: {name}, static_configs: [{{targets: ['{self.addresses[name][1]}']}}]}}"
                         for name in ["gateway", "stable", "canary"])
        with open(os.path.join(self.folder, "prometheus.yml"), "w") as handle:
            handle.write(f"global: {{scrape_interval: {scrape_seconds:g}s}}\nscrape_configs:\n{jobs}\n")
        self.processes.append(subprocess.Popen(
            ["/usr/bin/prometheus", f"--config.file={self.folder}/prometheus.yml", f"--storage.tsdb.path={self.folder}/tsdb",
             f"--web.listen-address=127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        url = f"http://127.0.0.1:{port}"
        if wait_until(lambda: _ready(url), 30, step=0.2) is None:
            raise RuntimeError("prometheus did not become ready")
        return url

    def config(self, plan, gates="{}", prometheus=None):
        path = os.path.join(self.folder, "grayctl.yaml")
        source = "" if prometheus is None else f"""metrics: {{source: prometheus}}
prometheus:
  url: {prometheus}
  selectors: {{router: '{{job="gateway"}}', stable: '{{job="stable"}}', canary: '{{job="canary"}}'}}
"""
        with open(path, "w") as handle:
            handle.write(f"""targets:
  router: {{admin: "http://{self.addresses['gateway'][1]}", kind: gateway}}
  stable: {{admin: "http://{self.addresses['stable'][1]}", grpc: "{self.addresses['stable'][0]}"}}
  canary: {{admin: "http://{self.addresses['canary'][1]}", grpc: "{self.addresses['canary'][0]}"}}
plan: {plan}
gates: {gates}
{source}""")
        return path

    def weight(self):
        with urllib.request.urlopen(f"http://{self.addresses['gateway'][1]}/admin/canary", timeout=1) as answer:
            return json.load(answer)["weight"]

    def fault(self, body):
        request = urllib.request.Request(f"http://{self.addresses['canary'][1]}/admin/faults", data=json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {TOKEN}"}, method="POST")
        urllib.request.urlopen(request, timeout=1).read()

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def _ready(url):
    try:
        return urllib.request.urlopen(url + "/-/ready", timeout=1).status == 200
    except OSError:
        return False


def wait_until(condition, seconds, step=0.02):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(step)
    return None
