#!/usr/bin/env python3
"""An HTTP/1.1 keep-alive server that counts the connections it accepted.

Usage: counting_http.py   (prints its port on the first line; exits when stdin closes, 60 s at most)
GET /connections answers how many TCP connections it has accepted so far; GET /upgrades how many
requests asked for an HTTP upgrade (an `Upgrade` header); GET /slow answers after 3 s; every other
path answers 200 with the path as its body.
"""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from loopback import serve_until_stdin_closes

accepted = 0
upgrades = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        global accepted
        with lock:
            accepted += 1
        super().setup()

    def parse_request(self):
        global upgrades
        parsed = super().parse_request()
        if parsed and self.headers.get("Upgrade"):
            with lock:
                upgrades += 1
        return parsed

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(3)
        counts = {"/connections": accepted, "/upgrades": upgrades}
        body = (str(counts[self.path]) if self.path in counts else self.path).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# Room for every connection a test opens at once (the default backlog is 5).
ThreadingHTTPServer.request_queue_size = 128
serve_until_stdin_closes(Handler)
