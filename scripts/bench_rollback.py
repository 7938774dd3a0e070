"""Fault onset → router weight 0: the canary (at 50%, 200 req/s through the gateway) starts failing
50% of its calls; how long until the gateway reads weight 0. grayctl release --headless polls every
0.5 s with the default gates. Prints each run and the median (JSON last line).

Usage: bench_rollback.py [runs] [scrape_seconds|-] [gateway|envoy|haproxy]. With scrape_seconds,
the metrics come from Debian's Prometheus scraping the fleet at that interval (gates.stale_hold set
to 2 scrapes + 1 s, as it must exceed the scrape interval). With envoy or haproxy, that engine
routes the traffic instead of the gateway, and its weight is read from the engine itself."""
import json
import os
import random
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchfleet import BIN, TOKEN, Fleet, wait_until  # noqa: E402

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
scrape = float(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "-" else None
router = sys.argv[3] if len(sys.argv) > 3 else "gateway"
times = []
for run in range(runs):
    fleet = Fleet(load_seconds=60 + 10 * int(scrape or 0), router=router)
    try:
        prometheus = fleet.start_prometheus(scrape) if scrape else None
        gates = "{}" if scrape is None else f"{{stale_hold: {2 * scrape + 1:g}s, stale_rollback: {10 * scrape + 60:g}s}}"
        config = fleet.config("{steps: [50, 100], bake: 10m, interval: 500ms}", gates, prometheus)
        grayctl = subprocess.Popen(
            [os.path.join(BIN, "grayctl"), "release", "--headless", "--config", config, "--max-duration", str(50 + 8 * (scrape or 0)),
             "--journal", os.path.join(fleet.folder, "journal.jsonl")],
            env={**os.environ, "GRAYCTL_ROUTER_TOKEN": TOKEN}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if wait_until(lambda: fleet.weight() == 50, 20 + 3 * (scrape or 0)) is None:
            sys.exit("grayctl did not reach 50%")
        time.sleep(5 + random.uniform(0, scrape or 0.5))  # fault onset at a random phase of the poll (or scrape) interval
        onset = time.monotonic()
        fleet.fault({"error_ratio": 0.5})
        landed = wait_until(lambda: fleet.weight() == 0, 30 + 4 * (scrape or 0))
        if landed is None:
            sys.exit("no rollback within 30 s")
        output, _ = grayctl.communicate(timeout=20)
        reason = [json.loads(line) for line in output.splitlines() if '"rollback"' in line][0]["reason"]
        times.append(landed - onset)
        print(f"run {run + 1}: {landed - onset:.2f} s ({reason})", file=sys.stderr)
    finally:
        fleet.stop()
print(json.dumps({"benchmark": "fault_to_weight_0", "router": router, "interval_s": 0.5, "metrics": f"prometheus, {scrape:g} s scrape" if scrape else "direct scrape",
                  "runs": [round(t, 3) for t in times],
                  "median_s": round(statistics.median(times), 3)}))
