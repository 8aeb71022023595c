"""A fast static server for the benchmark portal: asyncio, one event loop, every response
pre-built in memory, HTTP/1.1 keep-alive. Same routes and bodies as crawler/demo/portal/server.py
(it reuses that module's manifest loader and route keys), a fraction of the CPU per request.

    python -m bench.server --root DIR [--port 0]      # prints "READY <port>"

Every site gets its own loopback address (127.0.0.{i+2}), all on one port. Loopback only.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from crawler.demo.portal import server as portal_server
from crawler.demo.portal.server import TRACKING, load_routes, route_key

# the demo server's 繁體 gateway (/gate/big5/HOST/PATH serves PATH), when it has one
GATE_RE = getattr(portal_server, "GATE_RE", None) or re.compile(r"^/gate/big5/[^/]+(/.*)$")

NOT_FOUND = (404, [("Content-Type", "text/html; charset=utf-8")],
             b"<html><body><h1>404 Not Found</h1></body></html>")
REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 403: "Forbidden",
           404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}
MAX_HEAD = 64 * 1024


def build_response(entry, with_body: bool = True) -> bytes:
    status, headers, data = entry
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Unknown')}", "Server: xxgk-bench/1"]
    lines += [f"{k}: {v}" for k, v in headers]
    lines += [f"Content-Length: {len(data)}", "", ""]
    head = "\r\n".join(lines).encode("latin-1")
    return head + data if with_body else head


class Site:
    "One site's routes and a cache of finished responses by raw request target."

    def __init__(self, routes: dict):
        self.routes = routes
        self.cache: dict[tuple[str, str, str], bytes] = {}

    def lookup(self, target: str, form: str = ""):
        "The same route resolution as crawler/demo/portal/server.py's Handler.serve (keep them in step)."
        routes = self.routes
        parts = urlsplit(target)
        path = parts.path
        gate = GATE_RE.match(path)
        if gate:
            path = gate.group(1)
        query = "&".join(x for x in (parts.query, form) if x)
        entry = routes.get(route_key(path, query)) or routes.get(route_key(path, query, TRACKING))
        if entry is None and path.endswith("/"):
            path += "index.html"
            entry = routes.get(route_key(path, query))
        if entry is None and path.endswith((".html", ".htm", ".shtml")):
            entry = routes.get(route_key(path))  # a static file ignores its query string
        return entry or NOT_FOUND

    def respond(self, method: str, target: str, form: str = "") -> bytes:
        key = (method, target, form)
        out = self.cache.get(key)
        if out is None:
            out = build_response(self.lookup(target, form), with_body=method != "HEAD")
            self.cache[key] = out
        return out


class HttpProtocol(asyncio.Protocol):
    def __init__(self, site: Site, counter: list[int]):
        self.site, self.counter = site, counter
        self.buf = b""
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > MAX_HEAD:
                    self.transport.close()
                return
            head = self.buf[:end].decode("latin-1")
            lines = head.split("\r\n")
            try:
                method, target, version = lines[0].split(" ", 2)
            except ValueError:
                self.transport.close()
                return
            length, close = 0, version == "HTTP/1.0"
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value.strip() or 0)
                elif name == "connection":
                    v = value.strip().lower()
                    close = v == "close" or (close and v != "keep-alive")
            if len(self.buf) < end + 4 + length:
                return  # wait for the request body
            form = self.buf[end + 4:end + 4 + length].decode("latin-1") if length else ""
            self.buf = self.buf[end + 4 + length:]
            self.transport.write(self.site.respond(method, target, form))
            self.counter[0] += 1
            if close:
                self.transport.close()
                return


def bind(hosts: list[str], port: int) -> list[socket.socket]:
    "One listening socket per host, all on one port (port 0: the first bind picks it)."
    for _attempt in range(50):
        socks, p = [], port
        try:
            for host in hosts:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                socks.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((host, p))
                sock.listen(1024)
                p = sock.getsockname()[1]
            return socks
        except OSError:
            for s in socks:
                s.close()
            if port:
                raise
    raise OSError("could not bind one port on every site address")


def routes_for(root: Path, port: int) -> list[tuple[dict, dict]]:
    "The demo server's routes; with the port when its loader fills in self-links (host_token)."
    try:
        return load_routes(root, port)
    except TypeError:  # an older loader without the port argument
        return load_routes(root)


async def serve(root: Path, port: int, ready) -> None:
    loop = asyncio.get_running_loop()
    counter = [0]
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    hosts = [s["host"] for s in manifest["sites"]]
    if any(not h.startswith("127.") for h in hosts):
        raise SystemExit("refusing to serve on a non-loopback address")
    socks = bind(hosts, port)
    p = socks[0].getsockname()[1]
    servers = []
    for sock, (_site, routes) in zip(socks, routes_for(root, p)):
        handler = Site(routes)
        servers.append(await loop.create_server(lambda h=handler: HttpProtocol(h, counter), sock=sock))
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    ready(p)
    await stop.wait()
    for s in servers:
        s.close()
    print(f"SERVED {counter[0]}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--port", type=int, default=0)
    a = ap.parse_args(argv)
    asyncio.run(serve(a.root, a.port, lambda p: print(f"READY {p}", flush=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
