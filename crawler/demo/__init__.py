"""The demo job: serve the bundled demo portal on loopback, crawl it, print what was archived.

    python -m crawler.demo [--port 8360] [--archive-dir archive/demo]

Offline: the portal (crawler/demo/portal/) is served on 127.0.0.2, 127.0.0.3, … and nothing else is contacted.
The demo's archive is a folder of its own (archive/demo), apart from the archive/ a real crawl fills.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path

from crawler.summary import summary

ROOT = Path(__file__).resolve().parents[2]
# not ARCHIVE_DIR's default: a real crawl's archive never holds the demo's loopback sites
DEMO_ARCHIVE = ROOT / "archive" / "demo"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def crawl_command(start_urls: list[str], archive_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "portals", "-a", "start_urls=" + ",".join(start_urls),
            "-s", f"ARCHIVE_DIR={archive_dir}", *FAST, *extra]


def port_taken(hosts: list[str], port: int) -> str | None:
    "Why the demo portal cannot listen on ``port`` (another program has it), or None."
    for host in hosts:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as the portal server does
            try:
                sock.bind((host, port))
            except OSError as exc:
                return f"{host}:{port}: {exc.strerror or exc}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8360, help="port for the demo portal (default 8360)")
    parser.add_argument("--archive-dir", type=Path, default=DEMO_ARCHIVE,
                        help="where the demo's archive goes (default archive/demo)")
    args = parser.parse_args(argv)
    from crawler.demo.portal.server import PortalServer

    server = PortalServer(port=args.port)
    taken = args.port and port_taken([s["host"] for s in server.manifest["sites"]], args.port)
    if taken:
        print(f"error: the demo portal cannot listen on port {args.port} ({taken}); another program has it. "
              f"Pick another port: make demo PORT=8361, or python -m crawler.demo --port 8361", file=sys.stderr)
        return 2
    try:
        server.__enter__()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        print(f"demo portal on port {server.port}: " + ", ".join(server.start_urls()))
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        done = subprocess.run(crawl_command(server.start_urls(), args.archive_dir, "-s", "LOG_LEVEL=WARNING"),
                              cwd=ROOT, env=env)
    finally:
        server.__exit__(None, None, None)
    if done.returncode != 0:
        return done.returncode
    print(summary(args.archive_dir / "reports.db"))
    return 0
