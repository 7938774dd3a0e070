#!/usr/bin/env bash
# Live speed of grayctl against the reference fleet (release builds): fault onset → router weight 0
# (median of 5 runs at a 0.5 s interval), the curses dashboard's frame (200×60, state → cells → diff),
# and grayctl watch's CPU and RSS over 60 s at a 1 s interval. Figures go in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >&2
.build/release/grayctl-bench render fixtures/recordings/healthy.jsonl 501
python3 scripts/bench_rollback.py 5
python3 scripts/bench_watch.py 60
