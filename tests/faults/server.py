"""Fault portal: a loopback government site that misbehaves in every way issue 8 lists.

    python -m tests.faults.server [--port 0] [--log FILE] [--edition 1] [--cases all|good] [--stall 30]

Serves tests/faults/cases.py: the fault portal on HOST and a portal behind a JS challenge on
BLOCKED_HOST, one port (DOWN_HOST stays unbound: a portal that is down). Prints `READY <port>` once
both sockets are bound, then serves until SIGTERM/SIGINT. With --log, appends one line per response
(`seq, host, path, status, outcome, unix time`) as soon as it is sent, so a test can trigger a kill
on a deterministic event (the Nth response) rather than on a timer. GET /__control?edition=N&cases=…
switches the edition (2: one report's text changed) and the case set between two runs on the same
URLs, and restarts the counters behind "503, 503, then 200"; the control request is logged too.

The good reports are the demo portal's own report pages (crawler/demo/portal/sites, read at start, nothing
copied); the huge pages are generated while they are sent, never held in memory or on disk.
Stdlib only, runnable as a plain script.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import select
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):  # run as a plain script
    sys.path.insert(0, str(HERE.parent.parent))
from tests import sitesservers  # noqa: E402
from tests.faults import cases  # noqa: E402
from tests.sitesservers import SiteServer  # noqa: E402
from crawler.demo.serverproc import ServerProcess  # noqa: E402
from crawler.demo.portal import PORTAL_DIR  # noqa: E402

PORTAL = PORTAL_DIR
UTF8 = "text/html; charset=utf-8"
CHUNK = 64 * 1024

# --- pages ---------------------------------------------------------------------------------------


def html_page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="{UTF8}">'
            f"<title>{title}</title></head>\n<body>\n{body}\n</body></html>\n").encode("utf-8")


def homepage() -> bytes:
    return html_page("示例县人民政府", '<div class="nav"><a href="/index.html">首页</a> '
                     '<a href="/xxgk/index.html">政府信息公开</a> <a href="/zwdt/index.html">政务动态</a></div>'
                     "<p>欢迎访问示例县人民政府门户网站。</p>")


def section() -> bytes:
    return html_page("政府信息公开_示例县人民政府", '<ul class="xxgk-nav">'
                     '<li><a href="/xxgk/zfxxgkzn/index.html">政府信息公开指南</a></li>'
                     f'<li><a href="{cases.LIST}">政府信息公开年报</a></li></ul>')


def report_list(good_titles: dict[str, str], only_good: bool = False) -> bytes:
    items = [(g["path"], good_titles[g["id"]]) for g in cases.GOOD]
    items += [] if only_good else [(f["path"], f["title"]) for f in cases.FAULTS]
    lis = "\n".join(f'<li><a href="{p}" title="{t}" target="_blank">{t}</a><span>2021-01-20</span></li>'
                    for p, t in items)
    return html_page("政府信息公开年报_示例县人民政府",
                     f'<div class="list"><h2>政府信息公开年报</h2><ul>\n{lis}\n</ul></div>'
                     f'<div class="side"><a href="{cases.CALENDAR}?month={cases.CALENDAR_START}">年报日历</a></div>')


def calendar(month: str) -> bytes:
    """One month of a calendar widget whose 上一页/下一页 go on forever: a crawler trap."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", month or "")
    year, mon = (int(m.group(1)), int(m.group(2))) if m else (2026, 6)
    prev_y, prev_m = (year, mon - 1) if mon > 1 else (year - 1, 12)
    next_y, next_m = (year, mon + 1) if mon < 12 else (year + 1, 1)
    days = " ".join(f'<a href="{cases.CALENDAR}?date={year:04d}-{mon:02d}-{d:02d}">{d}</a>' for d in range(1, 29))
    return html_page(f"{year}年{mon}月_年报日历",
                     f'<div class="calendar"><h3>{year}年{mon}月</h3><p>{days}</p>'
                     f'<a href="{cases.CALENDAR}?month={prev_y:04d}-{prev_m:02d}">上一页</a> '
                     f'<a href="{cases.CALENDAR}?month={next_y:04d}-{next_m:02d}">下一页</a></div>')


# Ruishu-style (瑞数) challenge: 412, a tiny body of obfuscated `_$xx()` calls and a cookie to set
RUISHU = (b'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
          b'<meta id="9DhefwqGPrzGxEp9hPaoag" content="_$Qc8nh0Lq1qZK2eRk5TyW3jIatOfq8bd.GlyU1YlC9zPo">'
          b"<script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=84123;"
          b'$_ts.cd="qEcsrrAlWGqcqGAlqGqcrGqlqGqcrGqcqGAcrGqlqGqcrGAlqGqcrGql";</script>'
          b"<script type=\"text/javascript\" charset=\"utf-8\" src=\"/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js\" r='m'>"
          b"</script></head><body><script type=\"text/javascript\" r='m'>_$fh();_$Ek(_$Ow(1),_$Uz);</script>"
          b"</body></html>")
# Aliyun-style cookie challenge answered with 200: no content, a script that sets a cookie and reloads
ACW = (b"<html><script>\nvar _$Qa=['\\x61\\x63\\x77','\\x73\\x63','\\x5f\\x5f\\x76\\x32'];"
       b"function _$Zx(_$a){var _$b='';for(var _$i=0;_$i<_$a.length;_$i++){_$b+=_$a[_$i];}return _$b;}"
       b"var arg1='3B5AC6E5F7E2D42E9F1C6A5D8E7B0C4F1A2D3E4F';function _$Kp(){return _$Zx(_$Qa)+arg1;}"
       b"function _$Wd(_$c){document.cookie='acw_sc__v2='+_$c+'; expires=Thu, 01 Jan 2099 00:00:00 GMT; path=/';"
       b"location.reload();}_$Wd(_$Kp());\n</script></html>")
# SafeDog-style WAF page answered with 200
WAF = html_page("网站防火墙", '<div class="main"><h3>您的请求带有不合法参数，已被网站管理员设置拦截！</h3>'
                "<p>可能原因：您提交的内容包含危险的攻击请求</p><p>如何解决：</p><ul>"
                "<li>1）检查提交内容；</li><li>2）如网站托管，请联系空间提供商；</li>"
                "<li>3）普通网站访客，请联系网站管理员；</li></ul></div>")


def huge_chunk(n: int) -> bytes:
    line = f"<p>第{n}段：这是一个不断增长的页面，不是年度报告。</p>\n".encode("utf-8")
    return (line * (CHUNK // len(line) + 1))[:CHUNK]


# --- the demo portal's reports, mangled as cases.GOOD says ------------------------------------------

def load_good(edition: int) -> tuple[dict[str, tuple[bytes, str]], dict[str, str]]:
    "{path: (body, content type)} for every good report, and {report id: title}."
    manifest = json.loads((PORTAL / "manifest.json").read_text("utf-8"))
    sites = {s["name"]: s for s in manifest["sites"]}
    reports = {r["id"]: r for r in manifest["reports"]}
    bodies, titles = {}, {}
    for g in cases.GOOD:
        r = reports[g["id"]]
        site = sites[r["site"]]
        path, _, query = r["path"].partition("?")
        f = next(f for f in site["files"] if f["path"] == path and f["query"] == query)
        body = (PORTAL / site["root"] / f["file"]).read_bytes()
        body = mangle(body, g.get("variant"), site["encoding"])
        if g.get("attachment"):
            link = f'<p>附件：<a href="{g["attachment"]}">{r["title"]}.pdf</a></p>'.encode(site["encoding"])
            body = insert_before_last(body, b"</body>", link)
        if edition >= 2 and g["id"] == cases.CHANGED:
            body = insert_after_first(body, b'id="content">', cases.CHANGE.encode(site["encoding"]))
        bodies[g["path"]] = (body, g.get("content_type") or f["content_type"])
        titles[g["id"]] = r["title"]
    return bodies, titles


def insert_before_last(body: bytes, marker: bytes, piece: bytes) -> bytes:
    i = body.rfind(marker)
    if i < 0:
        raise ValueError(f"no {marker!r} in page")
    return body[:i] + piece + body[i:]


def insert_after_first(body: bytes, marker: bytes, piece: bytes) -> bytes:
    i = body.find(marker)
    if i < 0:
        raise ValueError(f"no {marker!r} in page")
    return body[:i + len(marker)] + piece + body[i + len(marker):]


def mangle(body: bytes, variant: str | None, encoding: str) -> bytes:
    if variant == "after-html":
        # a header include that closes the document early: everything from the metadata block on,
        # the report included, sits after </html> (then the template's own </body></html> again)
        i = body.find(b'<div class="wrap main detail">')
        if i < 0:
            raise ValueError("after-html: no main container")
        return body[:i] + b"</div></body>\n</html>\n" + body[i:]
    if variant == "malformed":
        # closing tags dropped and a second document opened inside the first, as broken CMS templates do
        i = body.find(b'<div class="main w1000">')
        if i < 0:
            raise ValueError("malformed: no main container")
        head, rest = body[:i], body[i:]
        rest = re.sub(rb"</(p|span|div|li|strong)>", b"", rest)
        nested = f'<html><head><meta charset="{encoding}"><title>x</title></head><body class="inner">'
        return head + nested.encode("ascii") + rest
    return body


# --- the server ----------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "xxgk-faults/1"
    sys_version = ""

    def log_message(self, *args) -> None:
        pass

    # helpers

    def send(self, status: int, body: bytes = b"", content_type: str = UTF8, headers=(), outcome: str = "ok"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()
        self.record(status, outcome)

    def record(self, status: int, outcome: str) -> None:
        self.server.owner.record(self.server.name, self.path, status, outcome)

    def stall(self) -> str:
        "Send nothing more until the client gives up (or --stall seconds pass)."
        self.wfile.flush()
        deadline = time.monotonic() + self.server.owner.stall_seconds
        while time.monotonic() < deadline:
            try:
                ready, _, _ = select.select([self.connection], [], [], 0.2)
                if ready and not self.connection.recv(1, socket.MSG_PEEK):
                    return "client-gave-up"
            except OSError:
                return "client-gave-up"
        return "stall-expired"

    def close_now(self) -> None:
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def stream(self, status: int, size: int, content_type: str, *, chunked: bool, first: bytes = b"") -> None:
        "Send `size` bytes made up on the fly; stop when the client hangs up."
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        sent, n, outcome = 0, 0, "ok"
        try:
            while sent < size:
                piece = (first + huge_chunk(n))[:CHUNK] if n == 0 else huge_chunk(n)
                piece = piece[:size - sent]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                sent, n = sent + len(piece), n + 1
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            outcome = "client-gave-up"
            self.close_connection = True
        self.record(status, f"{outcome} after {sent} bytes")

    # routing

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        owner = self.server.owner
        if self.server.name == "blocked":
            return self.send(412, RUISHU, headers=[
                ("Set-Cookie", "FSSBBIl1UgzbN7NO=5sZ1yBBTZYgHpNx8VNTBKyHgGCDz; Path=/; expires=Thu, 01 Jan 2099")])
        parts = urlsplit(self.path)
        path, query = parts.path, dict(parse_qsl(parts.query))
        hits = owner.hit(path)
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path in ("/", "/index.html"):
            return self.send(200, homepage())
        if path == "/xxgk/index.html":
            return self.send(200, section())
        if path == cases.LIST:
            return self.send(200, report_list(owner.titles, owner.only_good))
        if path == cases.CONTROL:  # the test switches edition / case set between runs (never linked)
            owner.configure(int(query.get("edition", owner.edition)), query.get("cases", owner.cases))
            return self.send(200, f"edition={owner.edition} cases={owner.cases}\n".encode(), "text/plain")
        if path == cases.CALENDAR:
            return self.send(200, calendar(query.get("month", "")))
        if path == cases.ATTACHMENT:
            return self.stream(200, cases.ATTACHMENT_SIZE, "application/pdf", chunked=False,
                               first=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        good = owner.good_by_path.get(path)
        if good is not None:
            fail = good.get("fail", [])
            if hits <= len(fail):
                status = fail[hits - 1]
                headers = [("Retry-After", str(good["retry_after"]))] if good.get("retry_after") else []
                return self.send(status, html_page("服务暂不可用", f"<h1>{status}</h1>"), headers=headers)
            body, content_type = owner.good[path]
            return self.send(200, body, content_type)
        if path == cases.LOOP_B:
            return self.send(302, b"", headers=[("Location", owner.fault_path["redirect-loop"])])
        name = owner.fault_by_path.get(path)
        if name is None:
            return self.send(404, html_page("404", "<h1>404 Not Found</h1>"))
        return getattr(self, "fault_" + name.replace("-", "_"))()

    # faults (see cases.FAULTS)

    def fault_always_503(self):
        self.send(503, html_page("503", "<h1>503 Service Unavailable</h1>"))

    def fault_stall_headers(self):
        self.record(0, self.stall())

    def fault_stall_body(self):
        body = html_page("年度报告", "<p>" + "正在加载……" * 2000 + "</p>")
        self.send_response(200)
        self.send_header("Content-Type", UTF8)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:2000])
        self.record(200, self.stall())
        self.close_connection = True

    def fault_truncated(self):
        body = html_page("年度报告", "<p>" + "一、总体情况。" * 3000 + "</p>")
        self.send_response(200)
        self.send_header("Content-Type", UTF8)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:len(body) // 5])
        self.close_now()
        self.record(200, f"cut after {len(body) // 5} of {len(body)} bytes")

    def fault_redirect_loop(self):
        self.send(302, b"", headers=[("Location", cases.LOOP_B)])

    def fault_huge_10mb(self):
        self.stream(200, cases.HUGE["huge-10mb"], UTF8, chunked=False, first=b"<html><body>")

    def fault_huge_100mb(self):
        self.stream(200, cases.HUGE["huge-100mb"], UTF8, chunked=True, first=b"<html><body>")

    def fault_binary(self):
        # a gzip-compressed page sent without Content-Encoding: bytes, labelled text/html
        page = html_page("年度报告", "<p>" + "".join(random.Random(8).choice("一二三四五六") for _ in range(20000)))
        self.send(200, gzip.compress(page, mtime=0), UTF8)

    def fault_empty(self):
        self.send(200, b"", UTF8)

    def fault_js_challenge(self):
        self.send(200, ACW, "text/html", headers=[("Set-Cookie", "acw_tc=2f6fc1a716; path=/; HttpOnly")])

    def fault_js_challenge_412(self):
        self.send(412, RUISHU, headers=[("Set-Cookie", "FSSBBIl1UgzbN7NO=5sZ1yBBTZYgHpNx8; Path=/")])

    def fault_waf(self):
        self.send(200, WAF)


class FaultPortal:
    "Routes and counters shared by the two sites; the response log."

    def __init__(self, edition: int = 1, log: Path | None = None, stall_seconds: float = 30.0,
                 which: str = "all"):
        self.configure(edition, which)
        self.good_by_path = {g["path"]: g for g in cases.GOOD}
        self.fault_by_path = {f["path"]: f["name"] for f in cases.FAULTS}
        self.fault_path = {f["name"]: f["path"] for f in cases.FAULTS}
        self.stall_seconds = stall_seconds
        self.lock = threading.Lock()
        self.seq = 0
        self.log = open(log, "a", encoding="utf-8") if log else None

    def configure(self, edition: int, which: str) -> None:
        """Edition 2 changes one report's text; cases 'good' lists the good reports only. The request
        counters start again, so every run meets each failure (503 then 200, …) the same way."""
        if which not in ("all", "good"):
            raise ValueError(f"cases must be 'all' or 'good', not {which!r}")
        self.good, self.titles = load_good(edition)
        self.edition, self.cases, self.only_good = edition, which, which == "good"
        self.counts = {}

    def hit(self, path: str) -> int:
        "How many times `path` has been asked for, this one included."
        with self.lock:
            self.counts[path] = self.counts.get(path, 0) + 1
            return self.counts[path]

    def record(self, site: str, path: str, status: int, outcome: str) -> None:
        with self.lock:
            self.seq += 1
            if self.log is not None:
                self.log.write(f"{self.seq}\t{site}\t{path}\t{status}\t{outcome}\t{time.time():.3f}\n")
                self.log.flush()


def bind(port: int, owner: FaultPortal) -> list[SiteServer]:
    "The fault portal and the blocked portal on one port (port 0: the first bind picks it); DOWN_HOST free."
    sites = (("faults", cases.HOST), ("blocked", cases.BLOCKED_HOST))
    return sitesservers.bind(port, sites, owner, Handler, cases.DOWN_HOST, "the fault portal")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", type=Path, help="append one line per response")
    ap.add_argument("--edition", type=int, default=1, help="2: one good report's text has changed")
    ap.add_argument("--stall", type=float, default=30.0, help="seconds a stalled response waits at most")
    ap.add_argument("--cases", choices=("all", "good"), default="all", help="good: list the good reports only")
    a = ap.parse_args(argv)
    owner = FaultPortal(a.edition, a.log, a.stall, a.cases)
    return sitesservers.serve(bind(a.port, owner))


class FaultServer(ServerProcess):
    name = "fault server"

    """The fault portal as a subprocess, for a test.

        with FaultServer(log=tmp / "responses.log") as faults:
            faults.start_urls()            # fault portal, blocked portal, down portal
            faults.url(cases.LIST)
            faults.responses()             # the log, parsed
    """

    def __init__(self, log: Path | str | None = None, edition: int = 1, port: int = 0, stall: float = 30.0,
                 cases: str = "all"):
        super().__init__(port)
        self.log, self.edition, self.stall, self.cases = log, edition, stall, cases

    def command(self) -> list[str]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--port", str(self.requested),
               "--edition", str(self.edition), "--stall", str(self.stall), "--cases", self.cases]
        if self.log:
            cmd += ["--log", str(self.log)]
        return cmd

    def url(self, path: str = "/", host: str = cases.HOST) -> str:
        return f"http://{host}:{self.port}{path}"

    def start_urls(self) -> list[str]:
        return [self.url("/"), self.url("/", cases.BLOCKED_HOST), self.url("/", cases.DOWN_HOST)]

    def configure(self, edition: int | None = None, which: str | None = None) -> str:
        """Switch edition / case set of the running server between two crawls on the same URLs; the
        request counters restart. The control request is logged: it separates the runs in the log."""
        from urllib.parse import urlencode
        from urllib.request import urlopen

        query = urlencode({k: v for k, v in (("edition", edition), ("cases", which)) if v is not None})
        with urlopen(self.url(cases.CONTROL + "?" + query), timeout=10) as reply:
            return reply.read().decode()

    def responses(self) -> list[dict]:
        if not self.log or not Path(self.log).exists():
            return []
        out = []
        for line in Path(self.log).read_text("utf-8").splitlines():
            seq, site, path, status, outcome, at = line.split("\t")
            out.append({"seq": int(seq), "site": site, "path": path, "status": int(status),
                        "outcome": outcome, "at": float(at)})
        return out


if __name__ == "__main__":
    sys.exit(main())
