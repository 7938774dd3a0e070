"""Runs an HTTP handler on 127.0.0.1 for a test: prints the port on the first line, serves until
standard input closes (the test ends), 60 s at most; or, as a member of a test's fleet, prints
"grpc= admin=127.0.0.1:PORT" and serves until SIGTERM, 300 s at most."""
import signal
import sys
import threading
import time
from http.server import ThreadingHTTPServer


def serve_until_stdin_closes(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait(timeout=60)
    server.shutdown()


def serve_as_fleet_member(handler):
    # A test's thread starts us with every signal blocked: unblock them, so SIGTERM stops us.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    print(f"grpc= admin=127.0.0.1:{server.server_address[1]}", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    time.sleep(300)
