#!/usr/bin/env python3
"""Talks to an order-service with Python grpcio + grpcio-health-checking (a gRPC stack grayctl's
project did not write) and prints one line per check, for OrderServiceTests.

Usage: grpc_interop.py PORT
"""
import sys

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number, wire_type, payload):
    key = varint(number << 3 | wire_type)
    if wire_type == 2:
        return key + varint(len(payload)) + payload
    return key + payload


def create_order_request(user_id, items):
    """order.v1.CreateOrderRequest, encoded by hand (no generated Python code needed)."""
    body = field(1, 2, user_id.encode())
    for sku, count in items:
        body += field(2, 2, field(1, 2, sku.encode()) + field(2, 0, varint(count)))
    return body


def served_by(response):
    """Field 3 (served_by) of order.v1.CreateOrderResponse."""
    index = 0
    while index < len(response):
        key = response[index]
        index += 1
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            while response[index] & 0x80:
                index += 1
            index += 1
        elif wire_type == 2:
            length = response[index]
            index += 1
            if number == 3:
                return response[index:index + length].decode()
            index += length
    return None


def main():
    port = sys.argv[1]
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        status = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5).status
        print("check", health_pb2.HealthCheckResponse.ServingStatus.Name(status))
        try:
            health.Check(health_pb2.HealthCheckRequest(service="nope"), timeout=5)
            print("unknown OK")
        except grpc.RpcError as error:
            print("unknown", error.code().name)
        watch = health.Watch(health_pb2.HealthCheckRequest(service="order.v1.OrderService"), timeout=5)
        print("watch", health_pb2.HealthCheckResponse.ServingStatus.Name(next(watch).status))
        watch.cancel()
        create = channel.unary_unary("/order.v1.OrderService/CreateOrder",
                                     request_serializer=lambda b: b, response_deserializer=lambda b: b)
        print("order served_by", served_by(create(create_order_request("py", [("sku-1", 2)]), timeout=5)))
        try:
            create(create_order_request("", [("sku-1", 1)]), timeout=5)
        except grpc.RpcError as error:
            print("invalid", error.code().name, error.details())


if __name__ == "__main__":
    main()
