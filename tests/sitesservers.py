"""The loopback sites a test portal server answers on (tests/faults, tests/hostile): several hosts on one
port, with one host left unbound on it (a portal that is down, a redirect target), served until
SIGTERM. Stdlib only: the servers run as plain scripts."""
from __future__ import annotations

import signal
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class SiteServer(ThreadingHTTPServer):
    "One site: ``name`` and ``owner`` (the portal's routes and response log) for the handler to read."
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, name: str, owner, handler: type[BaseHTTPRequestHandler]):
        self.name, self.owner = name, owner
        super().__init__(addr, handler)

    def handle_error(self, request, client_address) -> None:
        "A client that hangs up (a timeout, a size limit, a killed crawl) is routine here."
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def bind(port: int, sites, owner, handler, free_host: str, what: str) -> list[SiteServer]:
    """Each (name, host) of ``sites`` on one port (port 0: the first bind picks it), ``free_host``
    unbound on it. A picked port taken on another host is given up and another picked."""
    for _attempt in range(50):
        servers: list[SiteServer] = []
        p = port
        try:
            for name, host in sites:
                servers.append(SiteServer((host, p), name, owner, handler))
                p = servers[0].server_address[1]
            with socket.socket() as probe:
                if probe.connect_ex((free_host, p)) == 0:
                    raise OSError(f"something listens on {free_host}, which {what} needs free")
            return servers
        except OSError:
            for s in servers:
                s.server_close()
            if port:
                raise
    raise OSError(f"could not bind one port on {what}'s addresses")


def serve(servers: list[SiteServer]) -> int:
    "Serve until SIGTERM/SIGINT; ``READY <port>`` on stdout once listening (crawler.demo.serverproc reads it)."
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
