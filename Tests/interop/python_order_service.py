#!/usr/bin/env python3
"""A Python grpcio order-service stand-in: a gRPC server grayctl's project did not write.

Usage: python_order_service.py [SECONDS]   (prints "python-order-service grpc=127.0.0.1:P";
exits on SIGTERM or after SECONDS, 120 by default)
Answers order.v1.OrderService's CreateOrder and CreateOrderStream (every message) with an empty
CreateOrderResponse; a request whose bytes contain "refuse" ends the call RESOURCE_EXHAUSTED
"inventory busy: retry later" with the trailer `retry-after-ms: 250`, as a service shedding load
would. Listens on 127.0.0.1; enough worker threads for 256 streams at once.
"""
import signal
import sys
import threading
from concurrent import futures

import grpc

REFUSAL = (grpc.StatusCode.RESOURCE_EXHAUSTED, "inventory busy: retry later")


def refuse(context):
    context.set_trailing_metadata((("retry-after-ms", "250"),))
    context.abort(*REFUSAL)


def create_order(request, context):
    if b"refuse" in request:
        refuse(context)
    return b""


def create_order_stream(requests, context):
    for request in requests:
        if b"refuse" in request:
            refuse(context)
        yield b""


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=256))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("order.v1.OrderService", {
        "CreateOrder": grpc.unary_unary_rpc_method_handler(create_order),
        "CreateOrderStream": grpc.stream_stream_rpc_method_handler(create_order_stream),
    }),))
    port = server.add_insecure_port("127.0.0.1:0")
    done = threading.Event()
    # A process started by a test may inherit SIGTERM blocked.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    server.start()
    print(f"python-order-service grpc=127.0.0.1:{port}", flush=True)
    done.wait(timeout=float(sys.argv[1]) if len(sys.argv) > 1 else 120)
    server.stop(grace=1)


if __name__ == "__main__":
    main()
