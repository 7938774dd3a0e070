#!/usr/bin/env python3
"""An emulation of the Kubernetes API server for one route object: NOT a cluster.

Usage: fake_kube_apiserver.py MANIFEST TOKEN [CERT KEY CA]   (prints its port on the first line;
exits when stdin closes, 120 s at most). With CERT, KEY and CA it serves HTTPS, and a client
certificate signed by CA (CN "client") authenticates as the API server's x509 users do.

Serves the one object of MANIFEST (a VirtualService or an HTTPRoute, YAML) at its API path,
following the API's documented semantics for this resource only:
- GET of the object: 200 with the object as JSON; any other name or namespace: 404 (Status).
- PATCH with Content-Type application/json-patch+json: the RFC 6902 operations (add, replace,
  remove, test) applied to a copy; a failed `test` or a bad path answers 422; a patched object whose
  metadata.resourceVersion is not the current one answers 409 Conflict (optimistic concurrency);
  otherwise the object is stored with a new resourceVersion and returned (200). With the query
  `?dryRun=All` the same checks run and the patched object is returned, but nothing is stored.
- Authorization: "Bearer TOKEN" (or, over HTTPS, a client certificate signed by CA) required:
  401 without either, 403 with another token. The token "TOKEN-readonly" may GET but not PATCH
  (403), as a user whose RBAC grants get only.
A line on stdin "edit" bumps the resourceVersion and sets the canary's weight to 33, as another
operator's change would; "race" bumps the resourceVersion right after the next GET (another writer
between a client's read and its patch: its patch then gets 409); "swap" swaps the two destinations
right after the next GET (its patch's tests then fail: 422). Every request is logged to stderr (method, path, never the token).
"""
import copy
import json
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml

MANIFEST, TOKEN = sys.argv[1], sys.argv[2]
with open(MANIFEST) as handle:
    OBJECT = yaml.safe_load(handle)
LOCK = threading.Lock()
AFTER_GET = []
META = OBJECT["metadata"]
GROUP, VERSION = OBJECT["apiVersion"].split("/")
PLURAL = "virtualservices" if OBJECT["kind"] == "VirtualService" else "httproutes"
PATH = f"/apis/{GROUP}/{VERSION}/namespaces/{META['namespace']}/{PLURAL}/{META['name']}"


def status(code, reason, message):
    return code, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": reason, "message": message, "code": code}


def pointer(document, path):
    """The parent container and the last key of a JSON pointer."""
    parts = [part.replace("~1", "/").replace("~0", "~") for part in path.lstrip("/").split("/")]
    parent = document
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    last = parts[-1]
    return parent, (int(last) if isinstance(parent, list) and last != "-" else last)


def apply(document, operations):
    for operation in operations:
        parent, key = pointer(document, operation["path"])
        kind = operation["op"]
        if kind == "test":
            if parent[key] != operation["value"]:
                raise ValueError(f"testing value {operation['path']} failed")
        elif kind in ("add", "replace"):
            if kind == "replace" and (key not in parent if isinstance(parent, dict) else key >= len(parent)):
                raise ValueError(f"replace operation does not apply: doc is missing key: {operation['path']}")
            if isinstance(parent, list) and kind == "add":
                parent.insert(len(parent) if key == "-" else key, operation["value"])
            else:
                parent[key] = operation["value"]
        elif kind == "remove":
            del parent[key]
        else:
            raise ValueError(f"unexpected op {kind}")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        given = self.headers.get("Authorization", "")
        peer = self.connection.getpeercert() if isinstance(self.connection, ssl.SSLSocket) else None
        client = dict(pair[0] for pair in (peer or {}).get("subject", ())).get("commonName")
        sys.stderr.write(f"{self.command} {self.path} auth={'yes' if given else 'no'} client={client}\n")
        if client == "client" and not given:
            given = f"Bearer {TOKEN}"
        if not given:
            self.answer(*status(401, "Unauthorized", "Unauthorized"))
            return False
        if given == f"Bearer {TOKEN}-readonly" and self.command == "GET":
            given = f"Bearer {TOKEN}"
        if given != f"Bearer {TOKEN}":
            self.answer(*status(403, "Forbidden", f'{PLURAL}.{GROUP} "{META["name"]}" is forbidden: User "someone" cannot patch resource'))
            return False
        if self.path.split("?", 1)[0] != PATH:
            self.answer(*status(404, "NotFound", f'{PLURAL}.{GROUP} "{self.path.rsplit("/", 1)[-1]}" not found'))
            return False
        return True

    def do_GET(self):
        if self.authorized():
            with LOCK:
                self.answer(200, OBJECT)
                while AFTER_GET:
                    AFTER_GET.pop(0)()

    def do_PATCH(self):
        if not self.authorized():
            return
        if self.headers.get("Content-Type") != "application/json-patch+json":
            self.answer(*status(415, "UnsupportedMediaType", "expected application/json-patch+json"))
            return
        operations = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        with LOCK:
            patched = copy.deepcopy(OBJECT)
            try:
                apply(patched, operations)
            except (ValueError, KeyError, IndexError, TypeError) as error:
                self.answer(*status(422, "Invalid", str(error)))
                return
            current = OBJECT["metadata"]["resourceVersion"]
            if patched["metadata"]["resourceVersion"] != current:
                self.answer(*status(409, "Conflict", f'Operation cannot be fulfilled on {PLURAL}.{GROUP} "{META["name"]}": the object has been modified; please apply your changes to the latest version and try again'))
                return
            if self.path.endswith("?dryRun=All"):
                self.answer(200, patched)
                return
            patched["metadata"]["resourceVersion"] = str(int(current) + 1)
            OBJECT.clear()
            OBJECT.update(patched)
            self.answer(200, OBJECT)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if len(sys.argv) >= 6:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        context.load_verify_locations(sys.argv[5])
        context.verify_mode = ssl.CERT_OPTIONAL
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    done = threading.Event()

    def bump():
        OBJECT["metadata"]["resourceVersion"] = str(int(OBJECT["metadata"]["resourceVersion"]) + 1)

    def split():
        rules = OBJECT["spec"].get("http") or OBJECT["spec"].get("rules")
        return rules[-1].get("route") or rules[-1].get("backendRefs")

    def swap():
        refs = split()
        refs[0], refs[1] = refs[1], refs[0]
        bump()

    def commands():
        for line in sys.stdin:
            with LOCK:
                if line.strip() == "edit":
                    refs = split()
                    refs[0]["weight"], refs[1]["weight"] = 67, 33
                    bump()
                elif line.strip() == "race":
                    AFTER_GET.append(bump)
                elif line.strip() == "swap":
                    AFTER_GET.append(swap)
        done.set()

    threading.Thread(target=commands, daemon=True).start()
    done.wait(timeout=120)
    server.shutdown()


if __name__ == "__main__":
    main()
