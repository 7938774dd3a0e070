#!/usr/bin/env bash
# Replays a generated 1-hour recording (1 s observations of router, stable and canary) and prints
# the time (release build, median of 3). Goal: under 2 s.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench-out
python3 scripts/make_recordings.py --hour bench-out/hour.jsonl >&2
swift build -c release --product grayctl-bench >&2
.build/release/grayctl-bench replay bench-out/hour.jsonl 3
