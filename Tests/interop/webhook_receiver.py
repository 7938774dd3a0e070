#!/usr/bin/env python3
"""A webhook receiver for grayctl's notify: and plan.confirm tests: records what it got.

Usage: webhook_receiver.py   (prints "grpc= admin=127.0.0.1:PORT" on its first line; ends at
       SIGTERM, or after 300 s)
POST paths, by their first segment (the rest of the path is free: a token, as Slack's URLs have):
  /ok/...       200 "ok", recorded
  /fail/...     500 "boom", recorded (every attempt)
  /hang/...     recorded, never answered (the client's timeout ends it)
  /confirm/...  recorded; answers 403 "change freeze" while declining is on, else 200 "approved"
POST /control/approve and /control/decline switch the confirm answer (declining at start).
GET /log answers every recorded request, one JSON object a line: {"path": ..., "body": {...}}.
"""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler

from loopback import serve_as_fleet_member

LOCK = threading.Lock()
LOG = []
STATE = {"decline": True}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path != "/log":
            return self.reply(404, "no")
        with LOCK:
            text = "".join(json.dumps(entry) + "\n" for entry in LOG)
        self.reply(200, text)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length) if length else b""
        if self.path.startswith("/control/"):
            with LOCK:
                STATE["decline"] = self.path == "/control/decline"
            return self.reply(200, "ok")
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"unparsed": raw.decode(errors="replace")}
        with LOCK:
            LOG.append({"path": self.path, "body": body})
            decline = STATE["decline"]
        kind = self.path.split("/")[1]
        if kind == "ok":
            self.reply(200, "ok")
        elif kind == "fail":
            self.reply(500, "boom")
        elif kind == "hang":
            time.sleep(300)
        elif kind == "confirm":
            self.reply(403, "change freeze") if decline else self.reply(200, "approved")
        else:
            self.reply(404, "no such hook")


if __name__ == "__main__":
    serve_as_fleet_member(Handler)
