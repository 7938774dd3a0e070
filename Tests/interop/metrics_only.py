#!/usr/bin/env python3
"""An admin port with /metrics and nothing else, as a grpc-go service with go-grpc-prometheus has.

Usage: metrics_only.py [--frozen]   (prints its port on the first line; exits when stdin closes,
60 s at most)
GET /metrics answers go-grpc-prometheus counters (CamelCase codes); every other path answers 404.
With --frozen, one more series carries an explicit timestamp 40 s before the process started, as
an exporter whose data stopped changing would: a scraper that honours timestamps keeps it that old.
"""
import sys
import time
from http.server import BaseHTTPRequestHandler

from loopback import serve_until_stdin_closes

METRICS = """# TYPE grpc_server_handled_total counter
grpc_server_handled_total{grpc_code="OK",grpc_method="CreateOrder",grpc_service="order.v1.OrderService",grpc_type="unary"} 120
grpc_server_handled_total{grpc_code="Unavailable",grpc_method="CreateOrder",grpc_service="order.v1.OrderService",grpc_type="unary"} 0
"""
if "--frozen" in sys.argv[1:]:
    FROZEN_AT_MS = int((time.time() - 40) * 1000)
    METRICS += (
        'grpc_server_handled_total{grpc_code="Internal",grpc_method="CreateOrder",grpc_service="order.v1.OrderService",'
        f'grpc_type="unary"}} 3 {FROZEN_AT_MS}\n'
    )


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        status, body = (200, METRICS) if self.path == "/metrics" else (404, "404 page not found\n")
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    serve_until_stdin_closes(Handler)
