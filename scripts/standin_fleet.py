#!/usr/bin/env python3
"""A stand-in fleet for speed benchmarks of grayctl's poller (an emulation, not the reference
order-service: 200 Swift servers would measure this machine's two cores, not grayctl).

Usage: standin_fleet.py N [seconds]
Runs N instances of each version in this one process, all on 127.0.0.1: each has a gRPC health
port (Python grpcio + grpcio-health-checking, SERVING) and an admin port serving /metrics (85
series shaped like a busy order-service's: go-grpc-prometheus counters and histograms of three
methods, breaker gauges, process metrics; counters grow with time) and /admin/breakers. Prints one
JSON line {"stable": [{"admin": "127.0.0.1:P", "grpc": "127.0.0.1:Q"}, ...], "canary": [...]}, then
serves until standard input closes or `seconds` (default 600) pass.
"""
import json
import sys
import threading
import time
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

START = time.monotonic()
METHODS = [("CreateOrder", "unary"), ("GetOrder", "unary"), ("CreateOrderStream", "bidi_stream")]
CODES = ["OK", "Unavailable", "Internal", "DeadlineExceeded"]
BOUNDS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]
BREAKERS = """{"breakers":[{"name":"order-create","method":"/order.v1.OrderService/CreateOrder","state":"closed"},
{"name":"order-stream","method":"/order.v1.OrderService/CreateOrderStream","state":"closed"}]}"""


def exposition():
    """85 series: per method 4 handled codes, 12 buckets, sum, count, started, 2 messages (20 each,
    60), 2 breaker gauges, 20 process and runtime gauges."""
    calls = int((time.monotonic() - START) * 50)
    lines = []
    for method, kind in METHODS:
        base = f'grpc_method="{method}",grpc_service="order.v1.OrderService",grpc_type="{kind}"'
        for code in CODES:
            lines.append(f'grpc_server_handled_total{{grpc_code="{code}",{base}}} {calls if code == "OK" else 0}')
        for bound in BOUNDS:
            lines.append(f'grpc_server_handling_seconds_bucket{{{base},le="{bound}"}} {calls}')
        lines.append(f"grpc_server_handling_seconds_sum{{{base}}} {calls * 0.004:.3f}")
        lines.append(f"grpc_server_handling_seconds_count{{{base}}} {calls}")
        for name in ["grpc_server_started_total", "grpc_server_msg_received_total", "grpc_server_msg_sent_total"]:
            lines.append(f"{name}{{{base}}} {calls}")
    lines += ['circuit_breaker_state{name="order-create"} 0', 'circuit_breaker_state{name="order-stream"} 0']
    lines += [f'process_runtime_gauge{{kind="k{index}"}} {index}' for index in range(20)]
    return ("\n".join(lines) + "\n").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/metrics":
            status, body, kind = 200, exposition(), "text/plain; version=0.0.4"
        elif self.path == "/admin/breakers":
            status, body, kind = 200, BREAKERS.encode(), "application/json"
        else:
            status, body, kind = 404, b"not found\n", "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    count = int(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 600
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    servicer = health.HealthServicer()
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    fleet = {}
    for version in ["stable", "canary"]:
        fleet[version] = []
        for _ in range(count):
            admin = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            threading.Thread(target=admin.serve_forever, daemon=True).start()
            port = server.add_insecure_port("127.0.0.1:0")
            fleet[version].append({"admin": f"127.0.0.1:{admin.server_address[1]}", "grpc": f"127.0.0.1:{port}"})
    server.start()
    print(json.dumps(fleet), flush=True)
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait(timeout=seconds)
    server.stop(grace=0)


if __name__ == "__main__":
    main()
