#!/usr/bin/env bash
# The judge's figures over simulated releases (docs/gates.md "Measured", docs/benchmarks.md):
# N healthy releases per traffic rate and shape (default 500: 11,000 in all) and N faulty ones per
# rate, fault and onset, with Wald's SPRT as the oracle. Release build, every core; seeded, so a run
# repeats exactly. Writes bench-out/judge-healthy.jsonl and bench-out/judge-detect.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-500}"
mkdir -p bench-out
swift build -c release --product grayctl-bench >&2
echo "healthy releases, $count a row ..." >&2
.build/release/grayctl-bench judge healthy "$count" | tee bench-out/judge-healthy.jsonl
echo "faulty releases, $count a row ..." >&2
.build/release/grayctl-bench judge detect "$count" | tee bench-out/judge-detect.jsonl
