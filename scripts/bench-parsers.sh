#!/usr/bin/env bash
# Parses one generated 10 MB exposition with grayctl's parser (release build), Go's
# expfmt.TextParser and Python's prometheus_client, and prints each figure and the ratios.
# Installs what it needs: golang-go and golang-github-prometheus-common-dev (Debian), prometheus_client (PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench-out
mkdir -p "$out"
size_mb=${SIZE_MB:-10}

need=()
for package in golang-go golang-github-prometheus-common-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || need+=("$package")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c "import prometheus_client" 2>/dev/null || python3 -m pip install -q prometheus_client

echo "generating a ${size_mb} MB exposition..." >&2
python3 scripts/gen_exposition.py "$out/exposition.prom" --mb "$size_mb"
echo "building grayctl-bench (release) and the Go parser..." >&2
swift build -c release --product grayctl-bench >&2
GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS=-mod=mod go build -o "$out/go-parse" bench/go/parse.go

echo "parsing (median of several runs each)..." >&2
swift_line=$(.build/release/grayctl-bench parse "$out/exposition.prom" 7)
go_line=$("$out/go-parse" "$out/exposition.prom" 7)
python_line=$(python3 bench/python/parse.py "$out/exposition.prom" 3)
echo "$swift_line"; echo "$go_line"; echo "$python_line"
python3 - "$swift_line" "$go_line" "$python_line" <<'PY'
import json, os, sys
swift, go, python = (json.loads(line) for line in sys.argv[1:4])
print(f"machine: {os.cpu_count()} cores; input {swift['bytes'] / 1e6:.1f} MB, {swift['samples']} samples "
      f"(Go counts {go['samples']}, Python {python['samples']})")
for row in (swift, go, python):
    print(f"  {row['parser']:<28} {row['mb_per_s']:>8.1f} MB/s {row['samples_per_s']:>12,.0f} samples/s")
print(f"grayctl / Go: {swift['mb_per_s'] / go['mb_per_s']:.1f}x   grayctl / Python: {swift['mb_per_s'] / python['mb_per_s']:.1f}x")
PY
