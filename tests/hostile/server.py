"""Hostile portal: a loopback government site whose odd responses vanished without an error row (issue 22).

    python -m tests.hostile.server [--port 0] [--log FILE]

Serves tests/hostile/cases.py: the hostile portal on HOST, and three portals that yield nothing
(a homepage redirecting off its host, a robots.txt forbidding everything, an empty homepage), one
port. Prints `READY <port>` once every socket is bound, then serves until SIGTERM/SIGINT. With --log,
appends one line per response (`seq, host, path, status, outcome`). The gzip bomb is generated
while it is sent (64 MiB of zeros compressed once at start, sent as 80 gzip members), never held
unpacked or written to disk. Stdlib only, runnable as a plain script.
"""
from __future__ import annotations

import argparse
import gzip
import json
import socket
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):  # run as a plain script
    sys.path.insert(0, str(HERE.parent.parent))
from tests import sitesservers  # noqa: E402
from tests.hostile import cases  # noqa: E402
from tests.sitesservers import SiteServer  # noqa: E402
from crawler.demo.serverproc import ServerProcess  # noqa: E402
from crawler.demo.portal import PORTAL_DIR  # noqa: E402

UTF8 = "text/html; charset=utf-8"
GOOD_REPORT = "plain-001"    # the demo portal's report the good page and the cut pages are made of


def html_page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="{UTF8}">'
            f"<title>{title}</title></head>\n<body>\n{body}\n</body></html>\n").encode("utf-8")


def demo_report() -> tuple[bytes, str, str]:
    "(body, content type, title) of the demo portal's report GOOD_REPORT, as the demo server sends it."
    manifest = json.loads((PORTAL_DIR / "manifest.json").read_text("utf-8"))
    report = next(r for r in manifest["reports"] if r["id"] == GOOD_REPORT)
    site = next(s for s in manifest["sites"] if s["name"] == report["site"])
    path, _, query = report["path"].partition("?")
    f = next(f for f in site["files"] if f["path"] == path and f["query"] == query)
    return (PORTAL_DIR / site["root"] / f["file"]).read_bytes(), f["content_type"], report["title"]


def gzip_member_of_zeros(size: int) -> bytes:
    "One whole gzip member unpacking to `size` zero bytes, compressed 1 MiB at a time."
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)   # wbits 31: a gzip header and trailer
    block = bytes(cases.MB)
    out = [packer.compress(block) for _ in range(size // cases.MB)]
    out.append(packer.flush())
    return b"".join(out)


class Pages:
    "Every body, made once at start."

    def __init__(self):
        report, self.report_type, self.report_title = demo_report()
        self.good = report.replace(b"</body>", f'<p>附件：<a href="{cases.ATTACHMENT}">年报.pdf</a></p></body>'
                                   .encode("utf-8"), 1)
        self.bomb_member = gzip_member_of_zeros(cases.BOMB_MEMBER)
        # a legitimate report that unpacks past the page limit: the report with a long statistics annex
        rows = "".join(f"<tr><td>{i}</td><td>{i * 7 % 1000}</td><td>{i * 13 % 997}</td></tr>" for i in range(250_000))
        large = report.replace(b"</body>", f"<table>{rows}</table></body>".encode("utf-8"), 1)
        assert len(large) > cases.PAGE_MAXSIZE
        self.large_gzip = gzip.compress(large, compresslevel=6, mtime=0)
        assert len(self.large_gzip) < cases.PAGE_MAXSIZE
        whole = gzip.compress(report, mtime=0)
        self.cut_gzip = whole[:len(whole) * 3 // 5]
        # where the report's title ends: a Content-Length that stops there shows the title and no body
        self.title_end = report.index(self.report_title.encode("utf-8")) + len(self.report_title.encode("utf-8"))
        self.report = report
        fault_links = "\n".join(f'<li><a href="{f["path"]}">{f["title"]}</a><span>2021-01-20</span></li>'
                                for f in cases.FAULTS)
        self.list = html_page("政府信息公开年报_示例县人民政府", f'<div class="list"><h2>政府信息公开年报</h2><ul>\n'
                              f'<li><a href="{cases.GOOD["path"]}">{self.report_title}</a></li>\n{fault_links}\n</ul></div>')
        self.wide_row = html_page(cases.SLOW["title"], f"<h1>{cases.SLOW['title']}</h1><table><tr>"
                                  + "<td>1</td>" * cases.CELLS + "</tr></table>")


def homepage() -> bytes:
    return html_page("示例县人民政府", f'<div class="nav"><a href="/index.html">首页</a> '
                     f'<a href="{cases.SECTION}">政府信息公开</a></div><p>欢迎访问示例县人民政府门户网站。</p>')


def section() -> bytes:
    return html_page("政府信息公开_示例县人民政府", '<ul class="xxgk-nav">'
                     f'<li><a href="{cases.LIST}">政府信息公开年报</a></li>'
                     f'<li><a href="{cases.EMPTY_LIST}">政府信息公开工作年度报告</a></li></ul>')


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "xxgk-hostile/1"
    sys_version = ""

    def log_message(self, *args) -> None:
        pass

    def head(self, status: int, headers) -> None:
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()

    def send(self, status: int, body: bytes = b"", content_type: str = UTF8, headers=(), outcome: str = "ok"):
        self.head(status, [("Content-Type", content_type), *headers, ("Content-Length", str(len(body)))])
        self.wfile.write(body)
        self.wfile.flush()
        self.record(status, outcome)

    def close_now(self) -> None:
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def record(self, status: int, outcome: str) -> None:
        self.server.owner.record(self.server.name, self.path, status, outcome)

    def do_GET(self):
        pages: Pages = self.server.owner.pages
        name, path = self.server.name, self.path.split("?")[0]
        if name == "redirect":
            return self.send(301, b"", headers=[("Location", f"http://{cases.ELSEWHERE}:{self.server.server_address[1]}/")])
        if name == "robots":
            if path == "/robots.txt":
                return self.send(200, b"User-agent: *\nDisallow: /\n", "text/plain")
            return self.send(200, homepage())
        if name == "empty":
            if path == "/robots.txt":
                return self.send(404, b"", "text/plain")
            return self.send(200, b"")
        routes = {"/robots.txt": (b"User-agent: *\nDisallow: /private/\n", "text/plain"),
                  "/": (homepage(), UTF8), "/index.html": (homepage(), UTF8), cases.SECTION: (section(), UTF8),
                  cases.LIST: (pages.list, UTF8), cases.EMPTY_LIST: (b"", UTF8),
                  cases.GOOD["path"]: (pages.good, pages.report_type), cases.ATTACHMENT: (b"", "application/pdf"),
                  cases.SLOW["path"]: (pages.wide_row, UTF8)}
        if path in routes:
            return self.send(200, *routes[path])
        fault = next((f["name"] for f in cases.FAULTS if f["path"] == path), None)
        if fault is None:
            return self.send(404, html_page("404", "<h1>404 Not Found</h1>"))
        return getattr(self, "fault_" + fault.replace("-", "_"))(pages)

    # faults (see cases.FAULTS)

    def fault_gzip_bomb(self, pages: Pages):
        members = cases.BOMB_SIZE // cases.BOMB_MEMBER
        self.head(200, [("Content-Type", UTF8), ("Content-Encoding", "gzip"),
                        ("Content-Length", str(members * len(pages.bomb_member)))])
        sent = 0
        try:
            for _ in range(members):
                self.wfile.write(pages.bomb_member)
                sent += len(pages.bomb_member)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
        self.record(200, f"sent {sent} gzip bytes of {members * len(pages.bomb_member)}")

    def fault_gzip_large_report(self, pages: Pages):
        self.send(200, pages.large_gzip, headers=[("Content-Encoding", "gzip")])

    def fault_gzip_cut(self, pages: Pages):
        self.send(200, pages.cut_gzip, pages.report_type, headers=[("Content-Encoding", "gzip")])

    def fault_short_body_close(self, pages: Pages):
        self.head(200, [("Content-Type", pages.report_type), ("Content-Length", str(len(pages.report)))])
        self.wfile.write(pages.report[:len(pages.report) // 3])
        self.close_now()
        self.record(200, f"cut after {len(pages.report) // 3} of {len(pages.report)} bytes")

    def fault_short_chunked(self, pages: Pages):
        self.head(200, [("Content-Type", pages.report_type), ("Transfer-Encoding", "chunked")])
        piece = pages.report[:len(pages.report) // 3]
        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.close_now()
        self.record(200, f"closed after one chunk of {len(piece)} bytes")

    def fault_bodyless(self, pages: Pages):
        title = next(f["title"] for f in cases.FAULTS if f["name"] == "bodyless")
        self.send(200, html_page(title, f'<div class="title"><h1>{title}</h1></div><div id="content"></div>'))

    def fault_long_body_cut_at_title(self, pages: Pages):
        # announces the bytes up to the title's end, sends the whole page, closes
        self.head(200, [("Content-Type", pages.report_type), ("Content-Length", str(pages.title_end))])
        self.wfile.write(pages.report)
        self.close_now()
        self.record(200, f"announced {pages.title_end} of {len(pages.report)} bytes")


class HostilePortal:
    def __init__(self, log: Path | None = None):
        self.pages = Pages()
        self.lock = threading.Lock()
        self.seq = 0
        self.log = open(log, "a", encoding="utf-8") if log else None

    def record(self, site: str, path: str, status: int, outcome: str) -> None:
        with self.lock:
            self.seq += 1
            if self.log is not None:
                self.log.write(f"{self.seq}\t{site}\t{path}\t{status}\t{outcome}\n")
                self.log.flush()


SITES = (("hostile", cases.HOST), ("redirect", cases.REDIRECT_HOST), ("robots", cases.ROBOTS_HOST),
         ("empty", cases.EMPTY_HOST))


def bind(port: int, owner: HostilePortal) -> list[SiteServer]:
    "Every site on one port (port 0: the first bind picks it); ELSEWHERE stays free on it."
    return sitesservers.bind(port, SITES, owner, Handler, cases.ELSEWHERE, "the hostile portal")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", type=Path, help="append one line per response")
    a = ap.parse_args(argv)
    owner = HostilePortal(a.log)
    return sitesservers.serve(bind(a.port, owner))


class HostileServer(ServerProcess):
    """The hostile portal as a subprocess, for a test.

        with HostileServer(log=tmp / "responses.log") as hostile:
            hostile.start_urls()     # the hostile portal and the three that yield nothing
            hostile.url(cases.LIST)
    """

    name = "hostile server"

    def __init__(self, log: Path | str | None = None, port: int = 0):
        super().__init__(port)
        self.log = log

    def command(self) -> list[str]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--port", str(self.requested)]
        return cmd + (["--log", str(self.log)] if self.log else [])

    def url(self, path: str = "/", host: str = cases.HOST) -> str:
        return f"http://{host}:{self.port}{path}"

    def start_urls(self) -> list[str]:
        return [self.url("/", host) for host in cases.PORTAL_HOSTS]

    def responses(self) -> list[dict]:
        if not self.log or not Path(self.log).exists():
            return []
        out = []
        for line in Path(self.log).read_text("utf-8").splitlines():
            seq, site, path, status, outcome = line.split("\t")
            out.append({"seq": int(seq), "site": site, "path": path, "status": int(status), "outcome": outcome})
        return out


if __name__ == "__main__":
    sys.exit(main())
