"""Loopback server for the demo portal: every site is its own host, 127.0.0.{i+2}, same port.

    python -m crawler.demo.portal.server [--port N] [--root DIR] [--log FILE]

Prints `READY <port>` once all sockets are bound, then serves until SIGTERM/SIGINT. The route
table (and every body) is loaded from ROOT/manifest.json at start, so a request never touches
the disk. Stdlib only (plus crawler.demo.serverproc), and runnable as a plain script, so tests can start it as a subprocess.
"""
from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

if __package__ in (None, ""):  # run as a script by PortalServer: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from crawler.demo.portal import endpoints  # noqa: E402
from crawler.demo.serverproc import ServerProcess  # noqa: E402

HERE = Path(__file__).resolve().parent
# Parameters a real JSP/CMS ignores; the crawler must drop them (contract: Canonical URLs), the
# server must still answer when a page links with them.
TRACKING = ("from", "spm", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
            "isappinstalled")
# the 繁體 gateway serves /gate/big5/HOST/PATH as PATH: an alias the crawler must map back
GATE_RE = re.compile(r"^/gate/big5/[^/]+(/.*)$")


def canon_query(query: str, drop=()) -> str:
    """Order-insensitive, escape-insensitive form of a query string (servers do not care). Escapes
    are read as bytes (latin-1), not as UTF-8: a GBK site's %C4%EA%B1%A8 is not the UTF-8 %E5%B9%B4%E6%8A%A5."""
    pairs = sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=True, encoding="latin-1")
                   if k not in drop)
    return "&".join(f"{quote(k, safe='', encoding='latin-1')}={quote(v, safe='', encoding='latin-1')}"
                    for k, v in pairs)


def route_key(path: str, query: str = "", drop=()) -> str:
    q = canon_query(query, drop)
    return unquote(path) + ("?" + q if q else "")


def disk_name(path: str, query: str = "") -> str:
    """File name under the site dir: the path, '/...' → 'index.html', and '@' + the canonical
    query (percent-escaped, so '/' in `path=/` cannot create directories)."""
    rel = unquote(path).lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    q = canon_query(query)
    return rel + ("@" + q if q else "")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so the server is not the benchmark's bottleneck
    disable_nagle_algorithm = True  # small keep-alive responses otherwise wait on delayed ACKs (~500 req/s)
    server_version = "xxgk-portal/1"
    sys_version = ""

    body = b""   # the request's body (a POST's); the handler serves a connection's requests in turn

    def do_GET(self):
        self.body = b""
        self.serve(True)

    def do_HEAD(self):
        self.body = b""
        self.serve(False)

    def do_POST(self):
        """Hanweb's jpage also POSTs its form: form fields count as query parameters."""
        n = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(n) if n else b""
        form = self.body.decode("latin-1") if "json" not in (self.headers.get("Content-Type") or "") else ""
        self.serve(True, form)

    def serve(self, with_body: bool, form: str = "") -> None:
        routes = self.server.routes
        parts = urlsplit(self.path)
        path = parts.path
        gate = GATE_RE.match(path)
        if gate:
            path = gate.group(1)
        query = "&".join(x for x in (parts.query, form) if x)
        # an endpoint answers from the parameters it is sent (endpoints.py), by method
        dynamic = routes.get(f"{self.command} {unquote(path)}")
        if dynamic is not None:
            params = endpoints.request_params(parts.query, self.body, self.headers.get("Content-Type"))
            dynamic = endpoints.answer(dynamic[2], params)
        entry = dynamic or (routes.get(route_key(path, query))
                 or routes.get(route_key(path, query, TRACKING)))
        if entry is None and path.endswith("/"):
            path += "index.html"
            entry = routes.get(route_key(path, query))
        if entry is None and path.endswith((".html", ".htm", ".shtml")):
            entry = routes.get(route_key(path))  # a static file ignores its query string, as web servers do
        if entry is None:
            entry = (404, [("Content-Type", "text/html; charset=utf-8")],
                     b"<html><body><h1>404 Not Found</h1></body></html>")
        status, headers, data = entry
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if with_body:
            self.wfile.write(data)
        self.server.record(self.path, status)

    def log_message(self, *args) -> None:  # quiet: a crawl makes thousands of requests
        pass


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, routes, name, log):
        self.routes, self.name, self.log = routes, name, log
        super().__init__(addr, Handler)

    def record(self, path: str, status: int) -> None:
        if self.log is not None:
            with self.log[1]:
                self.log[0].write(f"{self.name}\t{path}\t{status}\n")
                self.log[0].flush()


def load_routes(root: Path, port: int | None = None) -> list[tuple[dict, dict]]:
    """(site, routes) per manifest site. With `port`, files marked host_token get the site's
    host:port written in (absolute self-links); without, they are served as generated."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for site in manifest["sites"]:
        routes = {}
        for f in site["files"]:
            # latin-1 round trip: http.server writes header values as latin-1, so the manifest's
            # string is sent byte for byte (lying or raw-byte headers stay possible)
            headers = [("Content-Type", f["content_type"])] + [tuple(h) for h in f.get("headers", [])]
            data = (root / site["root"] / f["file"]).read_bytes()
            if f.get("host_token") and port is not None:
                data = data.replace(f["host_token"].encode("ascii"), f"{site['host']}:{port}".encode("ascii"))
            key = f"{f['method']} {f['path']}" if f.get("endpoint") else route_key(f["path"], f.get("query", ""))
            routes[key] = (f["status"], headers, data)
        out.append((site, routes))
    return out


def bind_all(sites, port: int, log) -> list[SiteServer]:
    """One socket per site on the same port. Port 0: the first bind picks it, the others reuse
    it; if another process holds it on one of the addresses, start over with a fresh port."""
    for _attempt in range(50):
        servers: list[SiteServer] = []
        p = port
        try:
            for site, routes in sites:
                servers.append(SiteServer((site["host"], p), routes, site["name"], log))
                p = servers[0].server_address[1]
            return servers
        except OSError:
            for s in servers:
                s.server_close()
            if port:
                raise
    raise OSError("could not bind one port on every site address")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--root", type=Path, default=HERE)
    ap.add_argument("--log", type=Path, help="append one line per response: site, path, status")
    a = ap.parse_args(argv)
    log = (open(a.log, "a", encoding="utf-8"), threading.Lock()) if a.log else None
    servers = bind_all(load_routes(a.root), a.port, log)
    # the port is known only once bound (port 0): now fill it into the self-links
    for s, (_site, routes) in zip(servers, load_routes(a.root, servers[0].server_address[1])):
        s.routes = routes
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"READY {servers[0].server_address[1]}", flush=True)
    stop.wait()
    for s in servers:
        s.shutdown()
        s.server_close()
    return 0


class PortalServer(ServerProcess):
    name = "portal server"

    """Run the portal server as a subprocess for a test or a benchmark.

        with PortalServer() as portal:
            urls = portal.start_urls()
            portal.url("plain-meilie", "/list.jsp?catId=3")
    """

    def __init__(self, root: Path | str = HERE, port: int = 0, log: Path | str | None = None):
        super().__init__(port)
        self.root, self.log = Path(root), log
        self.manifest = json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))
        self.sites = {s["name"]: s for s in self.manifest["sites"]}

    def command(self) -> list[str]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--port", str(self.requested),
               "--root", str(self.root)]
        if self.log:
            cmd += ["--log", str(self.log)]
        return cmd

    def url(self, site: str, path: str = "/") -> str:
        return f"http://{self.sites[site]['host']}:{self.port}{path}"

    def start_urls(self) -> list[str]:
        return [self.url(s["name"], s["homepage"]) for s in self.manifest["sites"]]


if __name__ == "__main__":
    sys.exit(main())
