#!/usr/bin/env python3
"""A gRPC health server that answers one Check per connection and drops the connection, unanswered,
once a second request has arrived on it whole: an emulation (a hand-made HTTP/2 speaker, not a gRPC
library) of a server that closes a kept connection under a request, which no real server does on
cue.

Usage: h2_one_answer_server.py [none]   (prints its port on the first line; exits when stdin
closes, 60 s at most). Every answered Check gets SERVING; with `none`, no request is answered (every
connection is dropped once its first request has arrived). A line "connections" on stdin prints how
many TCP connections it has accepted.
"""
import socket
import struct
import sys
import threading

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, SETTINGS, PING = 0x0, 0x1, 0x4, 0x6
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1
ANSWERS_PER_CONNECTION = 0 if sys.argv[1:] == ["none"] else 1
accepted = 0
lock = threading.Lock()


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def literal(name, value):
    """An HPACK literal header field without indexing, new name, no Huffman coding."""
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def answer(stream):
    serving = b"\x08\x01"  # HealthCheckResponse { status: SERVING }
    message = b"\x00" + struct.pack(">I", len(serving)) + serving
    return (frame(HEADERS, END_HEADERS, stream, b"\x88" + literal(b"content-type", b"application/grpc"))
            + frame(DATA, 0, stream, message)
            + frame(HEADERS, END_HEADERS | END_STREAM, stream, literal(b"grpc-status", b"0")))


def read_exactly(connection, count):
    data = b""
    while len(data) < count:
        chunk = connection.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def serve(connection):
    answered = 0
    try:
        if read_exactly(connection, len(PREFACE)) != PREFACE:
            return
        connection.sendall(frame(SETTINGS, 0, 0))
        while True:
            header = read_exactly(connection, 9)
            length = struct.unpack(">I", b"\x00" + header[:3])[0]
            kind, flags, stream = header[3], header[4], struct.unpack(">I", header[5:])[0] & 0x7FFFFFFF
            payload = read_exactly(connection, length)
            if kind == SETTINGS and not flags & ACK:
                connection.sendall(frame(SETTINGS, ACK, 0))
            elif kind == PING and not flags & ACK:
                connection.sendall(frame(PING, ACK, 0, payload))
            elif kind in (HEADERS, DATA) and flags & END_STREAM:
                if answered == ANSWERS_PER_CONNECTION:
                    return  # the request has arrived whole (nothing left unread): drop it unanswered
                connection.sendall(answer(stream))
                answered += 1
    except (ConnectionError, OSError):
        pass
    finally:
        connection.close()


def main():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(listener.getsockname()[1], flush=True)

    def accept():
        global accepted
        while True:
            connection, _ = listener.accept()
            with lock:
                accepted += 1
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    done = threading.Event()

    def read_commands():
        for line in sys.stdin:
            if line.strip() == "connections":
                with lock:
                    print(accepted, flush=True)
        done.set()

    threading.Thread(target=read_commands, daemon=True).start()
    done.wait(timeout=60)


if __name__ == "__main__":
    main()
