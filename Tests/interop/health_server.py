#!/usr/bin/env python3
"""A gRPC health server from Python grpcio + grpcio-health-checking, for GrayProbeTests.

Serves on 127.0.0.1 (a free port, printed on the first line): "" SERVING,
"order.v1.OrderService" NOT_SERVING; a line "serving" on stdin makes it SERVING (Watch streams see
the change). Exits when stdin closes, or after 120 s at most.
"""
import sys
import threading
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    servicer = health.HealthServicer()
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    servicer.set("order.v1.OrderService", health_pb2.HealthCheckResponse.NOT_SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    done = threading.Event()

    def read_commands():
        for line in sys.stdin:
            if line.strip() == "serving":
                servicer.set("order.v1.OrderService", health_pb2.HealthCheckResponse.SERVING)
        done.set()

    threading.Thread(target=read_commands, daemon=True).start()
    done.wait(timeout=120)
    server.stop(grace=0)


if __name__ == "__main__":
    main()
