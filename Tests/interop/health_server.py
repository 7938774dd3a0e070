#!/usr/bin/env python3
"""A gRPC health server from Python grpcio + grpcio-health-checking, for GrayProbeTests.

Serves on 127.0.0.1 (a free port, printed on the first line): "" SERVING,
"order.v1.OrderService" NOT_SERVING. Commands on stdin, one a line:
  serving   makes "order.v1.OrderService" SERVING (Watch streams see the change)
  peers     prints how many client connections (distinct peer addresses) sent a Check to the
            server now running
  restart   stops the server (closing every connection) and serves again on the same port;
            prints "restarted"
Exits when stdin closes, or after 120 s at most.
"""
import sys
import threading
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc


class CountingHealth(health.HealthServicer):
    """The stock servicer, remembering the peer of every Check."""

    def __init__(self):
        super().__init__()
        self.peers = set()

    def Check(self, request, context):
        self.peers.add(context.peer())
        return super().Check(request, context)


def serve(port):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    servicer = CountingHealth()
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    servicer.set("order.v1.OrderService", health_pb2.HealthCheckResponse.NOT_SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    return server, servicer, bound


def main():
    running = {}
    running["server"], running["servicer"], port = serve(0)
    print(port, flush=True)
    done = threading.Event()

    def read_commands():
        for line in sys.stdin:
            command = line.strip()
            if command == "serving":
                running["servicer"].set("order.v1.OrderService", health_pb2.HealthCheckResponse.SERVING)
            elif command == "peers":
                print(len(running["servicer"].peers), flush=True)
            elif command == "restart":
                running["server"].stop(grace=0).wait()
                running["server"], running["servicer"], _ = serve(port)
                print("restarted", flush=True)
        done.set()

    threading.Thread(target=read_commands, daemon=True).start()
    done.wait(timeout=120)
    running["server"].stop(grace=0)


if __name__ == "__main__":
    main()
