"""Soak: the reference fleet under steady load for SECONDS (default 3600), watched at once by
`grayctl watch --headless` and by the curses dashboard (`grayctl watch` in a 200x60 tmux pane), the
canary at 20 % of the gateway's traffic and its faults toggled every FAULT_EVERY seconds (default
300: 50 % INTERNAL errors, cleared, 300 ms of latency, cleared, ...). Every 10 s it samples, from
/proc, each process's RSS, open file descriptors and CPU time: the two grayctls, order-gateway and
both order-services. At the end, per process, the RSS slope after warm-up (a least-squares line
over the samples after WARMUP seconds, default 300, in MB per hour), the FD count's range after
warm-up and the CPU share over the whole run: one JSON line a process (the load generator's
too), then one for the run. Bounded: every child is stopped at the end or on an error.

    GRAYCTL_BIN=.build/release python3 scripts/soak.py [SECONDS] [FAULT_EVERY] [WARMUP]"""
import json
import os
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchfleet import BIN, TOKEN, Fleet  # noqa: E402

SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 3600
FAULT_EVERY = int(sys.argv[2]) if len(sys.argv) > 2 else 300
WARMUP = int(sys.argv[3]) if len(sys.argv) > 3 else 300
TICKS = os.sysconf("SC_CLK_TCK")
FAULTS = [{"error_ratio": 0.5}, {}, {"latency_ms": 300}, {}]


def sample(pid):
    """(RSS in MB, open file descriptors, CPU seconds) of `pid`, or None once it is gone."""
    try:
        rss = next(int(line.split()[1]) / 1024 for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS:"))
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return rss, fds, (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, StopIteration):
        return None


def slope_per_hour(points):
    """Least-squares slope of (seconds, MB) points, in MB per hour."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    denominator = sum((t - mean_t) ** 2 for t, _ in points)
    return 0.0 if denominator == 0 else 3600 * sum((t - mean_t) * (v - mean_v) for t, v in points) / denominator


def main():
    fleet = Fleet(load_seconds=min(3600, SECONDS + 30), rps=200)  # order-load runs at most an hour
    socket = f"grayctl-soak-{os.getpid()}"
    headless = None
    try:
        load = next(process for process in fleet.processes if os.path.basename(process.args[0]) == "order-load")
        time.sleep(1)
        if load.poll() is not None:
            raise RuntimeError(f"order-load exited at once (status {load.returncode}): check its arguments")
        request = urllib.request.Request(
            f"http://{fleet.addresses['gateway'][1]}/admin/canary", data=json.dumps({"weight": 20}).encode(),
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}, method="PUT")
        urllib.request.urlopen(request, timeout=2).read()
        config = fleet.config("{interval: 1s}")
        grayctl = os.path.join(BIN, "grayctl")
        headless = subprocess.Popen([grayctl, "watch", "--headless", "--config", config],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["tmux", "-L", socket, "new-session", "-d", "-x", "200", "-y", "60",
                        f"TERM=tmux-256color exec {grayctl} watch --config {config}"], check=True)
        time.sleep(3)
        pane = subprocess.run(["tmux", "-L", socket, "list-panes", "-F", "#{pane_pid}"], capture_output=True, text=True,
                              check=True).stdout.split()[0]
        names = {"grayctl watch --headless": headless.pid, "grayctl watch (dashboard)": int(pane)}
        for process in fleet.processes:
            name = os.path.basename(process.args[0])
            if name == "order-service":
                name += " " + ("v1" if "v1" in process.args else "v2")
            names[name] = process.pid
        series = {name: [] for name in names}
        start = time.monotonic()
        next_fault, fault_index = FAULT_EVERY, 0
        while (elapsed := time.monotonic() - start) < SECONDS:
            for name, pid in names.items():
                taken = sample(pid)
                if taken is not None:
                    series[name].append((elapsed,) + taken)
            if elapsed >= next_fault:
                fleet.fault(FAULTS[fault_index % len(FAULTS)])
                fault_index += 1
                next_fault += FAULT_EVERY
            time.sleep(min(10, max(0.1, SECONDS - elapsed)))
        for name, points in series.items():
            settled = [(t, rss) for t, rss, _, _ in points if t >= WARMUP]
            fds = [fd for t, _, fd, _ in points if t >= WARMUP]
            alive = sample(names[name]) is not None
            print(json.dumps({
                "process": name, "alive_at_end": alive, "samples": len(points),
                "rss_mb_first": round(points[0][1], 1) if points else None,
                "rss_mb_at_warmup": round(settled[0][1], 1) if settled else None,
                "rss_mb_last": round(points[-1][1], 1) if points else None,
                "rss_slope_mb_per_hour_after_warmup": round(slope_per_hour(settled), 2),
                "fds_after_warmup": [min(fds), max(fds)] if fds else None,
                "cpu_share": f"{100 * (points[-1][3] - points[0][3]) / max(1e-9, points[-1][0] - points[0][0]):.2f}%" if len(points) > 1 else None,
            }), flush=True)
        print(json.dumps({"seconds": SECONDS, "fault_every": FAULT_EVERY, "faults_toggled": fault_index,
                          "warmup": WARMUP, "binaries": BIN}), flush=True)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], stderr=subprocess.DEVNULL)
        if headless is not None and headless.poll() is None:
            headless.terminate()
            headless.wait(timeout=10)
        fleet.stop()


if __name__ == "__main__":
    main()
