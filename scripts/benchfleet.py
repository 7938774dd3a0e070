"""The reference fleet for benchmark scripts: stable v1, canary v2, a router (the gateway, or the
real Envoy or HAProxy as `grayctl demo --router` runs them) and bounded load through it, release
binaries on free loopback ports, stopped on exit, and optionally Debian's Prometheus scraping it.
Shared by bench_rollback.py, bench_watch.py and bench_engines.py."""
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

BIN = os.environ.get("GRAYCTL_BIN") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release")
TOKEN = "bench-token"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def runtime_command(socket_address, command):
    """One line to HAProxy's runtime API; its answer."""
    host, port = socket_address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=2) as connection:
        connection.sendall(command.encode() + b"\n")
        return connection.makefile().read()


class Fleet:
    def __init__(self, load_seconds, rps=200, router="gateway", load=None):
        self.folder = tempfile.mkdtemp(prefix="grayctl-bench-")
        self.token_file = os.path.join(self.folder, "token")
        with open(self.token_file, "w") as handle:
            handle.write(TOKEN)
        self.processes = []
        self.addresses = {}
        token = ["--admin-token-file", self.token_file, "--drain-timeout", "1"]
        self.start("stable", "order-service", ["--role", "stable", "--version", "v1"] + token)
        self.start("canary", "order-service", ["--role", "canary", "--version", "v2"] + token)
        self.router = router
        if router == "gateway":
            self.start("gateway", "order-gateway", ["--stable", self.addresses["stable"][0],
                                                    "--canary", self.addresses["canary"][0]] + token)
            self.listener = self.addresses["gateway"][0]
        else:
            self.start_engine(router)
        if load is None:
            load = ["--call", "unary", "--concurrency", "8", "--rps", str(rps), "--duration", str(load_seconds)]
        if load:
            self.processes.append(subprocess.Popen(
                [os.path.join(BIN, "order-load"), "--target", self.listener] + load,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def start_engine(self, kind):
        """Envoy or HAProxy in front of the two instances, configured as grayctl demo does
        (`grayctl-bench engine-config`), the canary at 0."""
        self.listener = f"127.0.0.1:{free_port()}"
        self.engine_admin = f"127.0.0.1:{free_port()}"
        text = subprocess.run([os.path.join(BIN, "grayctl-bench"), "engine-config", kind, self.listener, self.engine_admin,
                               self.addresses["stable"][0], self.addresses["canary"][0]], capture_output=True, text=True,
                              check=True).stdout
        path = os.path.join(self.folder, "envoy.yaml" if kind == "envoy" else "haproxy.cfg")
        with open(path, "w") as handle:
            handle.write(text)
        if kind == "envoy":
            self.processes.append(subprocess.Popen(["envoy", "-c", path, "--disable-hot-restart", "--log-level", "error"],
                                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            ready = lambda: _ready(f"http://{self.engine_admin}", "/ready")  # noqa: E731
        else:
            self.processes.append(subprocess.Popen(["/usr/sbin/haproxy", "-db", "-f", path],
                                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            ready = lambda: _answers(self.engine_admin)  # noqa: E731
        if wait_until(ready, 20, step=0.1) is None:
            raise RuntimeError(f"{kind} did not become ready")
        if kind == "envoy":
            urllib.request.urlopen(urllib.request.Request(
                f"http://{self.engine_admin}/runtime_modify?routes.orders.stable=100&routes.orders.canary=0", data=b"",
                method="POST"), timeout=2).read()

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
        names = (["gateway"] if self.router == "gateway" else []) + ["stable", "canary"]
        jobs = "\n".join(f"  - {{job_name: {name}, static_configs: [{{targets: ['{self.addresses[name][1]}']}}]}}" for name in names)
        with open(os.path.join(self.folder, "prometheus.yml"), "w") as handle:
            handle.write(f"global: {{scrape_interval: {scrape_seconds:g}s}}\nscrape_configs:\n{jobs}\n")
        self.processes.append(subprocess.Popen(
            ["/usr/bin/prometheus", f"--config.file={self.folder}/prometheus.yml", f"--storage.tsdb.path={self.folder}/tsdb",
             f"--web.listen-address=127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        url = f"http://127.0.0.1:{port}"
        if wait_until(lambda: _ready(url), 30, step=0.2) is None:
            raise RuntimeError("prometheus did not become ready")
        return url

    def router_yaml(self):
        if self.router == "envoy":
            return f'{{kind: envoy, admin: "http://{self.engine_admin}", runtime_prefix: routes.orders}}'
        if self.router == "haproxy":
            return f'{{kind: haproxy, socket: "{self.engine_admin}", backend: orders}}'
        return f'{{admin: "http://{self.addresses["gateway"][1]}", kind: gateway}}'

    def config(self, plan, gates="{}", prometheus=None):
        path = os.path.join(self.folder, "grayctl.yaml")
        router_selector = "router: '{job=\"gateway\"}', " if self.router == "gateway" else ""
        source = "" if prometheus is None else f"""metrics: {{source: prometheus}}
prometheus:
  url: {prometheus}
  selectors: {{{router_selector}stable: '{{job="stable"}}', canary: '{{job="canary"}}'}}
"""
        with open(path, "w") as handle:
            handle.write(f"""targets:
  router: {self.router_yaml()}
  stable: {{admin: "http://{self.addresses['stable'][1]}", grpc: "{self.addresses['stable'][0]}"}}
  canary: {{admin: "http://{self.addresses['canary'][1]}", grpc: "{self.addresses['canary'][0]}"}}
plan: {plan}
gates: {gates}
{source}""")
        return path

    def weight(self):
        """The canary's share at the router, read from the router itself (not through grayctl)."""
        if self.router == "envoy":
            with urllib.request.urlopen(f"http://{self.engine_admin}/runtime", timeout=1) as answer:
                entries = json.load(answer)["entries"]
            stable, canary = (int(entries[f"routes.orders.{side}"]["final_value"]) for side in ("stable", "canary"))
            return round(100 * canary / (stable + canary))
        if self.router == "haproxy":
            stable, canary = (int(runtime_command(self.engine_admin, f"get weight orders/{side}").split()[0]) for side in ("stable", "canary"))
            return round(100 * canary / (stable + canary))
        with urllib.request.urlopen(f"http://{self.addresses['gateway'][1]}/admin/canary", timeout=1) as answer:
            return json.load(answer)["weight"]

    def fault(self, body):
        request = urllib.request.Request(f"http://{self.addresses['canary'][1]}/admin/faults", data=json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {TOKEN}"}, method="POST")
        urllib.request.urlopen(request, timeout=1).read()

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill() if process.args[0] == "envoy" else process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def _ready(url, path="/-/ready"):
    try:
        return urllib.request.urlopen(url + path, timeout=1).status == 200
    except OSError:
        return False


def _answers(socket_address):
    try:
        return "Name: HAProxy" in runtime_command(socket_address, "show info")
    except OSError:
        return False


def wait_until(condition, seconds, step=0.02):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(step)
    return None
