"""Runs an HTTP handler on 127.0.0.1 for a test: prints the port on the first line, serves until
standard input closes (the test ends), 60 s at most."""
import sys
import threading
from http.server import ThreadingHTTPServer


def serve_until_stdin_closes(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait(timeout=60)
    server.shutdown()
