#!/usr/bin/env python3
"""A scripted stand-in for a router's /admin/canary, for GatewayRouter's failure-path tests.

Usage: fake_router.py MODE   (prints its port on the first line; exits when stdin closes, 60 s at most)
MODE: "conflict"  every PUT answers 409 (someone else moved the generation)
      "flaky"     the first two PUTs answer 503, then 200
      "down"      every PUT answers 500
      "slow"      every PUT sleeps 3 s (longer than the client's timeout)
      "strict"    PUTs honour If-Match like the reference gateway (409 on another generation)
      "odd:TEXT"  GET answers the weight as the raw JSON number TEXT (1e400, 12.5, -3)
GET answers {"weight":W,"generation":G} with ETag "G". Every request is logged to stderr
with its method, If-Match and whether an Authorization header came (never its value).
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler

from loopback import serve_until_stdin_closes

MODE = sys.argv[1]
STATE = {"weight": 5, "generation": 7, "puts": 0}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("ETag", f'"{STATE["generation"]}"')
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if MODE.startswith("odd:"):
            data = ('{"weight":%s,"generation":%d}' % (MODE[4:], STATE["generation"])).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.answer(200, {"weight": STATE["weight"], "generation": STATE["generation"]})

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        STATE["puts"] += 1
        print(f"PUT if-match={self.headers.get('If-Match')} auth={'yes' if self.headers.get('Authorization') else 'no'}",
              file=sys.stderr, flush=True)
        if MODE == "conflict":
            STATE["weight"], STATE["generation"] = 25, STATE["generation"] + 1
            return self.answer(409, {"error": "generation mismatch"})
        if MODE == "down" or (MODE == "flaky" and STATE["puts"] <= 2):
            return self.answer(500 if MODE == "down" else 503, {"error": "unavailable"})
        if MODE == "slow":
            time.sleep(3)
        expected = self.headers.get("If-Match")
        if MODE == "strict" and expected is not None and expected.strip('"') != str(STATE["generation"]):
            return self.answer(409, {"error": "generation mismatch"})
        STATE["weight"], STATE["generation"] = body["weight"], STATE["generation"] + 1
        self.answer(200, {"weight": STATE["weight"], "generation": STATE["generation"]})


if __name__ == "__main__":
    serve_until_stdin_closes(Handler)
