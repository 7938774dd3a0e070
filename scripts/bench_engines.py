"""Traffic engines (release builds): decision → weight confirmed by read-back at each router (a
guarded write of 5 % or 10 % and the read that confirms it, 40 times: `grayctl-bench router`), and
the reference gateway's throughput beside Envoy's on the same path (50 bidirectional streams from
the same order-load, 10 s each, same two instances). One JSON line per measurement."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchfleet import BIN, TOKEN, Fleet  # noqa: E402

for router in ["gateway", "envoy", "haproxy"]:
    fleet = Fleet(load_seconds=0, router=router, load=[])
    try:
        config = fleet.config("{steps: [5, 10, 100]}")
        result = subprocess.run([os.path.join(BIN, "grayctl-bench"), "router", config, "40"], capture_output=True, text=True,
                                env={**os.environ, "GRAYCTL_ROUTER_TOKEN": TOKEN}, timeout=120)
        print(result.stdout.strip() or result.stderr.strip(), flush=True)
    finally:
        fleet.stop()

for router in ["gateway", "envoy"]:
    fleet = Fleet(load_seconds=0, router=router, load=[])
    try:
        report = subprocess.run([os.path.join(BIN, "order-load"), "--target", fleet.listener, "--call", "stream", "--concurrency", "50",
                                 "--duration", "10", "--json"], capture_output=True, text=True, timeout=60).stdout
        summary = json.loads(report)
        print(json.dumps({"benchmark": "throughput_50_streams", "router": router, "messages_per_s": round(summary["rps"]),
                          "p99_ms": summary["p99_ms"], "codes": summary["status_codes"]}), flush=True)
    finally:
        fleet.stop()
