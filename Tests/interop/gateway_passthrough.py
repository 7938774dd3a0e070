#!/usr/bin/env python3
"""Calls through a gateway with Python grpcio and prints what came back of an upstream's refusal.

Usage: gateway_passthrough.py PORT
Sends one CreateOrder and one CreateOrderStream message that the upstream refuses (a user id
containing "refuse") and prints, for each, one line: the call kind, the status code, the
`retry-after-ms` trailer, and the status message.
"""
import sys

import grpc

REQUEST = b"\x0a\x0crefuse-order"  # order.v1.CreateOrderRequest{user_id: "refuse-order"}


def report(kind, error):
    trailers = dict(error.trailing_metadata() or ())
    print(kind, error.code().name, f"retry-after-ms={trailers.get('retry-after-ms', '-')}", error.details(), flush=True)


def main():
    identity = dict(request_serializer=lambda b: b, response_deserializer=lambda b: b)
    with grpc.insecure_channel(f"127.0.0.1:{sys.argv[1]}") as channel:
        try:
            channel.unary_unary("/order.v1.OrderService/CreateOrder", **identity)(REQUEST, timeout=5)
            print("unary OK")
        except grpc.RpcError as error:
            report("unary", error)
        try:
            for _ in channel.stream_stream("/order.v1.OrderService/CreateOrderStream", **identity)(iter([REQUEST]), timeout=5):
                pass
            print("stream OK")
        except grpc.RpcError as error:
            report("stream", error)


if __name__ == "__main__":
    main()
