#!/usr/bin/env python3
"""A fault-drill proxy in front of one real admin port (the reference gateway's or an
order-service's): passes every request through unchanged until a drill is switched on.

Usage: drill_proxy.py UPSTREAM_HOST:PORT   (prints "grpc= admin=127.0.0.1:PORT" on its first line;
       ends at SIGTERM, or after 300 s)
Drills, switched by POST /drill/... (answered 200 "ok"; the switch takes effect at once):
  /drill/outage?seconds=N   every proxied request answers HTTP 500 for N seconds
  /drill/ignore             PUTs answer 200 with the upstream's current state, never forwarded:
                            a router that accepts a weight and keeps reporting the old one
  /drill/hold               PUTs of a weight 0...100 are held, never forwarded nor answered: a
                            write in flight when its sender dies (grayctl's preflight probe, a
                            PUT of weight -1 that the gateway refuses, is forwarded)
  /drill/metrics?mode=M     GET /metrics only: "hang" (accepts, never answers), "delay:MS" (answers
                            after MS milliseconds), "cut" (declares the whole length, sends half,
                            closes), "garbage" (200 with bytes that are no exposition), "absent"
                            (404: a router that exports no metrics), "pass"
  /drill/clear              back to passing everything through
Every proxied request is logged as "METHOD PATH STATUS forwarded|refused|ignored|…" (a forwarded
PUT with its body), one a line:
GET /drill/log answers the log so far.
"""
import http.client
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

from loopback import serve_as_fleet_member

UPSTREAM = sys.argv[1]
STATE = {"outage_until": 0.0, "ignore": False, "hold": False, "metrics": "pass"}
LOCK = threading.Lock()
LOG = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def log(self, status, how):
        with LOCK:
            LOG.append(f"{self.command} {self.path} {status} {how}")

    def reply(self, status, body, content_type="application/json", length=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def drill(self):
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/drill/log":
            with LOCK:
                text = "".join(line + "\n" for line in LOG)
            return self.reply(200, text.encode(), "text/plain")
        with LOCK:
            if url.path == "/drill/outage":
                STATE["outage_until"] = time.monotonic() + float(query["seconds"])
            elif url.path == "/drill/ignore":
                STATE["ignore"] = True
            elif url.path == "/drill/hold":
                STATE["hold"] = True
            elif url.path == "/drill/metrics":
                STATE["metrics"] = query["mode"]
            elif url.path == "/drill/clear":
                STATE.update(outage_until=0.0, ignore=False, hold=False, metrics="pass")
        self.reply(200, b"ok", "text/plain")

    def forward(self, method, body=None):
        connection = http.client.HTTPConnection(UPSTREAM, timeout=10)
        headers = {key: value for key, value in self.headers.items() if key.lower() not in ("host", "connection")}
        connection.request(method, self.path, body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length", "date", "server"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        connection.close()
        return answer.status, data

    def handle_any(self, method):
        if self.path.startswith("/drill/"):
            return self.drill()
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else None
        with LOCK:
            outage = time.monotonic() < STATE["outage_until"]
            ignore = STATE["ignore"]
            hold = STATE["hold"]
            metrics = STATE["metrics"]
        if outage:
            self.log(500, "refused")
            return self.reply(500, b'{"error":"drill: router outage"}')
        if method == "PUT" and hold and b'"weight":-1' not in (body or b""):
            self.log("-", "held " + (body.decode(errors="replace") if body else ""))
            time.sleep(3600)
            return
        if method == "PUT" and ignore:
            connection = http.client.HTTPConnection(UPSTREAM, timeout=10)
            connection.request("GET", self.path)
            data = connection.getresponse().read()
            self.log(200, "ignored")
            return self.reply(200, data)
        if method == "GET" and self.path.startswith("/metrics") and metrics != "pass":
            return self.metrics_drill(metrics)
        status, _ = self.forward(method, body)
        self.log(status, "forwarded" + (" " + body.decode(errors="replace") if method == "PUT" and body else ""))

    def metrics_drill(self, mode):
        if mode == "hang":
            self.log("-", "hung")
            time.sleep(3600)
        elif mode.startswith("delay:"):
            time.sleep(int(mode[6:]) / 1000)
            self.log("-", f"delayed {mode[6:]} ms")  # before answering: a client that gave up closes on us
            self.forward("GET")
        elif mode == "cut":
            connection = http.client.HTTPConnection(UPSTREAM, timeout=10)
            connection.request("GET", self.path)
            data = connection.getresponse().read()
            self.reply(200, data[: len(data) // 2], "text/plain; version=0.0.4", length=len(data))
            self.log(200, "cut")
            self.close_connection = True
        elif mode == "absent":
            self.reply(404, b"no metrics here\n", "text/plain")
            self.log(404, "absent")
        elif mode == "garbage":
            self.reply(200, b"\x00\x01<html>not metrics</html>\n{\"weight\":5}\n", "text/plain; version=0.0.4")
            self.log(200, "garbage")

    def do_GET(self):
        self.handle_any("GET")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_POST(self):
        self.handle_any("POST")


if __name__ == "__main__":
    serve_as_fleet_member(Handler)
