#!/usr/bin/env python3
"""Writes a realistic Prometheus text exposition of about --mb megabytes (default 10) to OUT.

Many series of go-grpc-prometheus families (counters by code, latency histograms with 12 buckets),
HTTP families with escaped label values (quotes, backslashes, newlines), gauges with timestamps,
HELP and TYPE lines. Deterministic: the same arguments write the same bytes.

    python3 scripts/gen_exposition.py bench-out/exposition.prom --mb 10
"""
import argparse
import random

CODES = ["OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "Unavailable", "Internal"]
BUCKETS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--mb", type=float, default=10.0)
    args = parser.parse_args()
    rng = random.Random(42)
    target = int(args.mb * 1_000_000)
    written = 0
    chunk = 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        def emit(text):
            nonlocal written
            out.write(text)
            written += len(text.encode("utf-8"))

        while written < target:
            service = f"shop.v{chunk % 3 + 1}.Service{chunk}"
            emit(f"# HELP grpc_server_handled_total_{chunk} Total number of RPCs completed on the server, regardless of success or failure.\n")
            emit(f"# TYPE grpc_server_handled_total_{chunk} counter\n")
            for method in range(20):
                for code in CODES:
                    value = rng.randint(0, 10_000_000)
                    emit(f'grpc_server_handled_total_{chunk}{{grpc_code="{code}",grpc_method="Method{method}",grpc_service="{service}",grpc_type="unary"}} {value}\n')
            emit(f"# HELP grpc_server_handling_seconds_{chunk} Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.\n")
            emit(f"# TYPE grpc_server_handling_seconds_{chunk} histogram\n")
            for method in range(20):
                labels = f'grpc_method="Method{method}",grpc_service="{service}",grpc_type="bidi_stream"'
                count = 0
                for le in BUCKETS:
                    count += rng.randint(0, 50_000)
                    emit(f'grpc_server_handling_seconds_{chunk}_bucket{{{labels},le="{le}"}} {count}\n')
                emit(f"grpc_server_handling_seconds_{chunk}_sum{{{labels}}} {rng.random() * count * 0.05:.6f}\n")
                emit(f"grpc_server_handling_seconds_{chunk}_count{{{labels}}} {count}\n")
            emit(f"# HELP http_requests_total_{chunk} Requests by path, with awkward label values.\n")
            emit(f"# TYPE http_requests_total_{chunk} counter\n")
            for path in range(30):
                escaped = f'/api/v1/items/\\"{path}\\"/C:\\\\tmp\\nnext'
                emit(f'http_requests_total_{chunk}{{method="GET",path="{escaped}",status="200"}} {rng.randint(0, 1_000_000)}\n')
            emit(f"# TYPE process_gauge_{chunk} gauge\n")
            for index in range(10):
                emit(f'process_gauge_{chunk}{{instance="10.0.{index}.{chunk % 250}:9090",job="order"}} {rng.uniform(-1e6, 1e6):.4e} {1764072000000 + index}\n')
            emit(f"process_special_{chunk}{{kind=\"nan\"}} NaN\nprocess_special_{chunk}{{kind=\"inf\"}} +Inf\n")
            chunk += 1


if __name__ == "__main__":
    main()
