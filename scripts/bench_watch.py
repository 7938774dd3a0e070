"""grayctl watch (the curses dashboard, in a tmux pane) of a router and two instances at a 1 s
interval for 60 s: CPU % of one core (utime + stime over wall time), peak RSS and peak private
memory (RSS less the shared libraries' pages), read from /proc.
Prints one JSON line."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchfleet import BIN, Fleet  # noqa: E402

seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
ticks = os.sysconf("SC_CLK_TCK")
fleet = Fleet(load_seconds=seconds + 20)
socket = f"grayctl-bench-{os.getpid()}"
try:
    config = fleet.config("{interval: 1s}")
    subprocess.run(["tmux", "-L", socket, "new-session", "-d", "-x", "200", "-y", "60",
                    f"TERM=tmux-256color exec {os.path.join(BIN, 'grayctl')} watch --config {config}"], check=True)
    time.sleep(3)
    pid = int(subprocess.run(["pgrep", "-x", "grayctl"], capture_output=True, text=True).stdout.split()[0])

    def cpu():
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    def rss():
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0

    def private():
        """Private memory (MB): what this process adds beyond the shared libraries' pages."""
        fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/smaps_rollup") if ":" in line)
        return sum(int(fields[key].split()[0]) for key in ("Private_Clean", "Private_Dirty")) / 1024

    start_cpu, start = cpu(), time.monotonic()
    peak = 0.0
    peak_private = 0.0
    while time.monotonic() - start < seconds:
        peak = max(peak, rss())
        peak_private = max(peak_private, private())
        time.sleep(1)
    used = cpu() - start_cpu
    wall = time.monotonic() - start
    print(json.dumps({"benchmark": "watch", "seconds": round(wall, 1), "cpu_percent_of_one_core": round(100 * used / wall, 2),
                      "peak_rss_mb": round(peak, 1), "peak_private_mb": round(peak_private, 1)}))
finally:
    subprocess.run(["tmux", "-L", socket, "kill-server"], stderr=subprocess.DEVNULL)
    fleet.stop()
