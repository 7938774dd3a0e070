#!/usr/bin/env bash
# order-load with 50 concurrent bidirectional streams for 20 s (release builds), against one
# order-service directly and through the gateway (weight 10 to a second instance), everything on
# this machine's cores; prints both reports and the gateway/direct ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-20}
for product in order-service order-gateway order-load; do swift build -c release --product "$product" >&2; done
bin=.build/release
out=bench-out
mkdir -p "$out"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
start() { # variable, name, command...: runs it and sets the variable to its gRPC address
  local variable=$1 name=$2; shift 2
  "$@" > "$out/$name.out" 2> "$out/$name.err" &
  pids+=($!)
  for _ in $(seq 100); do grep -q "grpc=" "$out/$name.out" 2>/dev/null && break; sleep 0.1; done
  printf -v "$variable" '%s' "$(grep -o 'grpc=[0-9.:]*' "$out/$name.out" | cut -d= -f2)"
}
start stable stable "$bin/order-service" --role stable --version v1
start canary canary "$bin/order-service" --role canary --version v2
start gateway gateway "$bin/order-gateway" --stable "$stable" --canary "$canary" --weight 10
echo "machine: $(nproc) cores; 50 streams, ${duration} s each" >&2
"$bin/order-load" --target "$stable" --call stream --concurrency 50 --duration "$duration" --json 2>/dev/null > "$out/direct.json"
"$bin/order-load" --target "$gateway" --call stream --concurrency 50 --duration "$duration" --json 2>/dev/null > "$out/gateway.json"
python3 - "$out/direct.json" "$out/gateway.json" <<'PY'
import json, sys
direct, gateway = (json.load(open(path)) for path in sys.argv[1:3])
for name, row in (("direct", direct), ("gateway", gateway)):
    print(f"{name:8} {row['rps']:>9.0f} msg/s  p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms  "
          f"p99.9 {row['p99.9_ms']:.2f} ms  codes {row['status_codes']}")
print(f"gateway / direct: {gateway['rps'] / direct['rps']:.0%}")
PY
