"""Demo portal: a fixture generator (generate.py) and a loopback server (server.py).

Three sites imitate the CMS families of docs/domain.md §3 (Hanweb/Big5, TRS/GBK, plain/UTF-8);
manifest.json lists every file, the headers to send, and the report rows a crawl must store.
"""
from pathlib import Path

PORTAL_DIR = Path(__file__).resolve().parent   # manifest.json, sites/, expected/


def __getattr__(name):
    # lazy, so `python -m crawler.demo.portal.server` does not import server.py twice
    if name == "PortalServer":
        from .server import PortalServer
        return PortalServer
    raise AttributeError(name)


__all__ = ["PORTAL_DIR", "PortalServer"]
