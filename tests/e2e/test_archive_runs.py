"""Archival runs, end to end: re-runs over a loopback portal with real `scrapy crawl` processes.

The demo portal is served in this process (its routes, crawler/demo/portal/server.py's handler) with
what these tests need on top: ETag / Last-Modified and 304s (the demo server sends no validators),
page edits between runs, a log of responses, and a gate that holds every request after the n-th
report page, so a crawl is killed on a deterministic event, never on a timer.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator

from crawler import settings as project
from crawler.demo import crawl_command
from crawler.downloadermiddlewares.conditionalget import ConditionalGetMiddleware
from crawler.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from crawler.frontier import Frontier
from pipelines.warc import IDENTICAL_PAYLOAD, SERVER_NOT_MODIFIED, Exchange, RollingWarcWriter, write_exchange
from tests.conftest import ROOT, run_crawl
from crawler.demo.portal.server import HERE, Handler, bind_all, load_routes, route_key

MANIFEST = json.loads((HERE / "manifest.json").read_text("utf-8"))
REPORTS = {r["id"]: r for r in MANIFEST["reports"]}
SQLITE_UTILS = Path(sys.executable).parent / "sqlite-utils"
LOCAL = threading.local()   # the request headers of the handler thread, for Routes.get
EDITED, CHROME = "plain-001", "plain-yjglj"   # two utf-8 report pages of the plain site
SENTENCE = ("一是加强队伍建设。".encode(), "一是全面加强队伍建设。".encode())
COUNTER = ("字号：".encode(), "浏览次数：1234&nbsp;&nbsp;字号：".encode())   # a visit counter in the chrome


def split(path: str) -> tuple[str, str]:
    parts = urlsplit(path)
    return parts.path, parts.query


class Routes(dict):
    """A site's route table that adds validators and answers conditional requests with 304."""

    def __init__(self, portal: Portal, base: dict):
        super().__init__(base)
        self.portal = portal

    def get(self, key, default=None):
        entry = super().get(key, default)
        if entry is None or not self.portal.validators or entry[0] != 200:
            return entry
        status, headers, data = entry
        validators = [("ETag", '"%s"' % hashlib.sha1(data).hexdigest()[:16]),
                      ("Last-Modified", self.portal.modified.get(key, "Mon, 01 Mar 2021 08:00:00 GMT"))]
        asked = getattr(LOCAL, "headers", None) or {}
        etag, since = asked.get("If-None-Match"), asked.get("If-Modified-Since")
        if (etag == validators[0][1]) if etag else (since == validators[1][1]):
            return 304, validators, b""
        return status, [*headers, *validators], data


class GatedHandler(Handler):
    def serve(self, with_body: bool, form: str = "") -> None:
        if not self.server.portal.pass_gate():
            self.close_connection = True   # the crawler this request came from was killed
            return
        LOCAL.headers = self.headers
        super().serve(with_body, form)


class Portal:
    def __init__(self, validators: bool = True):
        self.validators = validators
        self.modified: dict[str, str] = {}
        self.log: list[tuple[str, str, int]] = []
        self.lock = threading.Lock()
        self.reports = {(r["site"], route_key(*split(r["path"]))) for r in MANIFEST["reports"]}
        self.gate_after: int | None = None
        self.tripped, self.released = threading.Event(), threading.Event()
        self.aborted = False

    def __enter__(self) -> Portal:
        self.servers = bind_all(load_routes(HERE), 0, None)
        self.port = self.servers[0].server_address[1]
        try:
            sites = load_routes(HERE, self.port)   # self-links with the port filled in
        except TypeError:
            sites = load_routes(HERE)
        self.sites = {site["name"]: site for site, _ in sites}
        for server, (site, routes) in zip(self.servers, sites):
            server.routes = Routes(self, routes)
            server.portal = self
            server.RequestHandlerClass = GatedHandler
            server.record = lambda path, status, name=site["name"]: self.record(name, path, status)
            server.handle_error = lambda request, address: None   # resets from a killed crawler
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.open_gate(abort=True)
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def url(self, site: str, path: str) -> str:
        return f"http://{self.sites[site]['host']}:{self.port}{path}"

    def start_urls(self) -> list[str]:
        return [self.url(s["name"], s["homepage"]) for s in MANIFEST["sites"]]

    def is_report(self, site: str, path: str) -> bool:
        return (site, route_key(*split(path))) in self.reports

    def record(self, site: str, path: str, status: int) -> None:
        with self.lock:
            self.log.append((site, path, status))
            if self.gate_after is not None and self.is_report(site, path):
                self.gate_after -= 1
                if self.gate_after == 0:
                    self.tripped.set()

    def take_log(self) -> list[tuple[str, str, int]]:
        with self.lock:
            log, self.log = self.log, []
        return log

    # the gate: hold every request after the n-th report page ---------------------------------

    def close_gate_after(self, reports: int) -> None:
        self.gate_after, self.aborted = reports, False
        self.tripped.clear()
        self.released.clear()

    def pass_gate(self) -> bool:
        if self.tripped.is_set():
            self.released.wait(timeout=120)
            return not self.aborted
        return True

    def open_gate(self, abort: bool) -> None:
        self.aborted = abort
        self.gate_after = None
        self.released.set()
        self.tripped.clear()

    # edits between runs -------------------------------------------------------------------------

    def edit(self, report_id: str, old: bytes, new: bytes) -> None:
        report = REPORTS[report_id]
        server = next(s for s in self.servers if s.name == report["site"])
        key = route_key(*split(report["path"]))
        status, headers, data = dict.__getitem__(server.routes, key)
        assert old in data, f"{report_id}: {old!r} not in the page"
        server.routes[key] = (status, headers, data.replace(old, new, 1))
        self.modified[key] = formatdate(usegmt=True)


def crawl(portal: Portal, archive: Path, *settings: str) -> subprocess.CompletedProcess:
    done = run_crawl(portal.start_urls(), archive, *settings, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done


def start_crawl(portal: Portal, archive: Path, log: Path) -> subprocess.Popen:
    "A crawl in the background, its log to a file (a pipe nobody reads would stall it when full)."
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with open(log, "w") as fh:
        return subprocess.Popen(crawl_command(portal.start_urls(), archive), cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=fh)


def report_urls(portal: Portal) -> set[str]:
    return {portal.url(r["site"], r["path"]) for r in MANIFEST["reports"]}


def runs(db: Database) -> list[dict]:
    return list(db.query("select * from runs order by started_at, rowid"))


def warc_records(archive: Path, run_id: str) -> list:
    out = []
    for path in sorted((archive / "warc").glob(f"xxgk-{run_id}-*.warc.gz")):
        with open(path, "rb") as fh:
            out += [(r.rec_type, dict(r.rec_headers.headers)) for r in ArchiveIterator(fh)]
    return out


# two, three, four runs over one portal, with validators ----------------------------------------

@pytest.fixture(scope="module")
def reruns(tmp_path_factory):
    archive = tmp_path_factory.mktemp("reruns") / "archive"
    out = {"archive": archive, "logs": [], "reports": []}
    with Portal(validators=True) as portal:
        out["urls"] = {rid: portal.url(r["site"], r["path"]) for rid, r in REPORTS.items()}
        for step in ("first", "unchanged", "edited", "window"):
            if step == "edited":
                portal.edit(EDITED, *SENTENCE)
                portal.edit(CHROME, *COUNTER)
            crawl(portal, archive, *(["XXGK_MODE=window"] if step == "window" else []))
            out["logs"].append([(site, path, status, portal.is_report(site, path))
                                for site, path, status in portal.take_log()])
            out["reports"].append({r["url"]: r for r in Database(archive / "reports.db")["reports"].rows})
    out["db"] = Database(archive / "reports.db")
    out["runs"] = runs(out["db"])
    return out


def captures(db: Database, run_id: str, *roles: str) -> dict[str, tuple[int, str]]:
    "url → (status, record type) of a run's captures in these roles."
    marks = ", ".join("?" * len(roles))
    return {url: (status, kind) for url, status, kind in db.execute(
        f"select url, status, type from captures where run_id = ? and role in ({marks})", [run_id, *roles])}


def test_second_run_revalidates_report_pages_with_304s(reruns):
    db, (first, second) = reruns["db"], [r["run_id"] for r in reruns["runs"][:2]]
    before = captures(db, first, "report", "attachment")
    after = captures(db, second, "report", "attachment")
    assert {u for u, (status, _) in before.items() if status == 200} == \
        {u for u, (status, _) in after.items() if status == 304}
    assert {status for _, _, status, report in reruns["logs"][1] if report} == {304}
    # list pages are fetched in full every time: a new report shows on them, not in a validator
    lists = captures(db, second, "list")
    assert lists and 304 not in {status for status, _ in lists.values()}


def test_unchanged_run_adds_no_version_and_keeps_report_rows(reruns):
    assert reruns["reports"][1] == reruns["reports"][0]
    run = reruns["runs"][1]
    assert (run["finish_reason"], run["new_reports"], run["new_versions"]) == ("finished", 0, 0)
    # the errors of the portal as it is: a continuation page that answers 500 (issue 24), each run
    assert run["errors"] == sum(1 for r in REPORTS.values() if r["error"]) and run["not_modified"] >= len(REPORTS)
    assert json.loads(run["stats"])["xxgk/store/not_modified"] == len(REPORTS)
    seen = {r["url"]: r["last_seen"] for r in reruns["db"].query(
        "select url, max(last_seen) last_seen from versions group by url")}
    assert all(seen[url] >= row["fetched_at"] for url, row in reruns["reports"][0].items())


def test_unchanged_run_writes_revisit_records_not_payloads(reruns):
    first_id, second_id = reruns["runs"][0]["run_id"], reruns["runs"][1]["run_id"]
    originals = {h["WARC-Record-ID"] for t, h in warc_records(reruns["archive"], first_id) if t == "response"}
    second = [h for t, h in warc_records(reruns["archive"], second_id) if t in ("response", "revisit")]
    # every payload of the second run is one the first run holds; only redirect hops are repeated
    payloads = [h for h in second if h["WARC-Type"] == "response"]
    assert all(h.get("WARC-Payload-Digest") and int(h["Content-Length"]) < 1000 for h in payloads)
    revisits = [h for h in second if h["WARC-Type"] == "revisit"]
    assert all(h["WARC-Refers-To"] in originals for h in revisits)
    profiles = [h["WARC-Profile"] for h in revisits]
    assert profiles.count(SERVER_NOT_MODIFIED) == reruns["runs"][1]["not_modified"]
    assert profiles.count(IDENTICAL_PAYLOAD) >= len(MANIFEST["sites"])   # robots.txt at least
    assert reruns["runs"][1]["revisits"] == len(revisits)
    # the rows still point to records holding the payload: the first run's
    for row in reruns["reports"][1].values():
        assert row["warc_file"].startswith(f"xxgk-{first_id}-")


def test_edited_sentence_is_one_new_version_a_visit_counter_none(reruns):
    edited, chrome = reruns["urls"][EDITED], reruns["urls"][CHROME]
    versions = {r["url"]: r["n"] for r in reruns["db"].query("select url, count(*) n from versions group by url")}
    assert versions == {url: 2 if url == edited else 1 for url in reruns["urls"].values()}
    after = reruns["reports"][2]
    assert "一是全面加强队伍建设" in after[edited]["text"] and after[edited]["versions"] == 2
    assert after[chrome]["sha256"] == reruns["reports"][0][chrome]["sha256"]
    run = reruns["runs"][2]
    assert (run["new_versions"], run["new_reports"]) == (1, 0)
    # the counter changed the bytes: a new response record, though not a new version
    changed = reruns["db"].execute(
        "select url from captures where run_id = ? and role = 'report' and type = 'response' and status = 200",
        [run["run_id"]]).fetchall()
    assert sorted(u for (u,) in changed) == sorted([edited, chrome])


def test_window_mode_rechecks_lists_not_known_reports(reruns):
    log = reruns["logs"][3]
    assert not [p for _, p, _, report in log if report]
    assert [p for _, p, s, report in log if "list" in p or "zfxxgknb" in p or "col" in p]
    assert reruns["runs"][3]["mode"] == "window" and reruns["runs"][3]["finish_reason"] == "finished"


def test_rebuild_from_warc_finds_every_version(reruns, tmp_path):
    from crawler.reprocess import rebuild

    rebuild(reruns["archive"], tmp_path / "rebuilt.db")
    rebuilt = Database(tmp_path / "rebuilt.db")
    assert {r["url"]: r["sha256"] for r in rebuilt["reports"].rows} == \
        {r["url"]: r["sha256"] for r in reruns["db"]["reports"].rows}
    assert set(rebuilt.execute("select url, sha256 from versions").fetchall()) == \
        set(reruns["db"].execute("select url, sha256 from versions").fetchall())
    # and the capture index, 304s and revisits included, record for record
    index = "select * from captures order by warc_file, warc_offset"
    assert [{k: v for k, v in r.items() if k != "id"} for r in rebuilt.query(index)] == \
        [{k: v for k, v in r.items() if k != "id"} for r in reruns["db"].query(index)]


def unique_phrase(rows: list[dict], length: int) -> tuple[str, str]:
    "A run of ``length`` Han characters from one report's title found in no other report: (phrase, url)."
    for row in rows:
        for i in range(len(row["title"]) - length + 1):
            phrase = row["title"][i:i + length]
            if all("\u4e00" <= c <= "\u9fff" for c in phrase) and [
                    r["url"] for r in rows if phrase in (r["title"] or "") + (r["text"] or "")] == [row["url"]]:
                return phrase, row["url"]
    raise AssertionError(f"no report has a {length}-character phrase of its own")


def test_full_text_search_finds_a_report_by_three_characters(reruns):
    db, db_path = reruns["db"], str(reruns["archive"] / "reports.db")
    phrase, url = unique_phrase(list(db["reports"].rows), 3)
    found = subprocess.run([str(SQLITE_UTILS), "search", db_path, "reports", phrase, "-c", "url"],
                           capture_output=True, text=True, check=True)
    assert [r["url"] for r in json.loads(found.stdout)] == [url]
    broad = subprocess.run([str(SQLITE_UTILS), "search", db_path, "reports", "政务公开", "-c", "url"],
                           capture_output=True, text=True, check=True)
    assert len(json.loads(broad.stdout)) >= 2
    # trigram needs three characters: a two-character term is a LIKE query (README)
    assert list(db["reports"].search(phrase[:2])) == []
    assert url in [r["url"] for r in db.query("select url from reports where text like ? or title like ?",
                                               [f"%{phrase[:2]}%"] * 2)]


# without validators (the demo server as it is): revisits ----------------------------------------

def test_rerun_without_validators_writes_revisits(tmp_path):
    archive = tmp_path / "archive"
    with Portal(validators=False) as portal:
        crawl(portal, archive)
        before = {r["url"]: r["sha256"] for r in Database(archive / "reports.db")["reports"].rows}
        portal.take_log()
        crawl(portal, archive)
        second = portal.take_log()
    assert {status for site, p, status in second if portal.is_report(site, p)} == {200}
    db = Database(archive / "reports.db")
    first, run = runs(db)
    assert (run["new_reports"], run["new_versions"], run["not_modified"]) == (0, 0, 0)
    assert {r["url"]: r["sha256"] for r in db["reports"].rows} == before
    assert db["versions"].count == len(REPORTS)
    second = captures(db, run["run_id"], "report", "attachment", "list", "section")
    assert {kind for status, kind in second.values() if status == 200} == {"revisit"}
    records = [h for t, h in warc_records(archive, run["run_id"]) if t == "revisit"]
    assert {h["WARC-Profile"] for h in records} == {IDENTICAL_PAYLOAD}
    assert run["revisits"] == len(records)


# interrupted runs ------------------------------------------------------------------------------

def test_sigkill_mid_run_then_resume_stores_every_report_once(tmp_path):
    archive = tmp_path / "archive"
    with Portal(validators=True) as portal:
        # mid-run: some reports stored, some in flight, some not yet found
        portal.close_gate_after(reports=min(4, len(REPORTS) - 1))
        proc = start_crawl(portal, archive, tmp_path / "killed.log")
        assert portal.tripped.wait(timeout=60), "the crawl never reached the report page to kill it at"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        portal.open_gate(abort=True)
        killed_log = portal.take_log()
        state = Database(archive / "state.db")
        left = dict(state.execute("select state, count(*) from frontier group by state").fetchall())
        state.close()
        assert left.get("pending", 0) + left.get("leased", 0) > 0
        crawl(portal, archive)
        resumed_log = portal.take_log()
    db = Database(archive / "reports.db")
    assert sorted(r["url"] for r in db["reports"].rows) == sorted(report_urls(portal))
    assert db["versions"].count == len(REPORTS)
    killed, resumed = runs(db)
    assert killed["finish_reason"] == "killed" and killed["pages_fetched"] >= 1
    assert (resumed["finish_reason"], resumed["resumed"]) == ("finished", 1)
    # the resumed run picked up the pending work: the homepages were done before the kill
    homepages = {s["homepage"] for s in MANIFEST["sites"]}
    assert not [p for _, p, _ in resumed_log if p in homepages]
    fetched = {(site, p) for site, p, _ in killed_log + resumed_log if portal.is_report(site, p)}
    assert len(fetched) == len(REPORTS)
    # and the archive rebuilds from the WARC files, the killed run's included
    from crawler.reprocess import rebuild

    rebuild(archive, tmp_path / "rebuilt.db")
    assert {r["url"]: r["sha256"] for r in Database(tmp_path / "rebuilt.db")["reports"].rows} == \
        {r["url"]: r["sha256"] for r in db["reports"].rows}


def test_sigterm_finishes_as_shutdown_and_the_next_run_resumes(tmp_path):
    archive = tmp_path / "archive"
    with Portal(validators=False) as portal:
        portal.close_gate_after(reports=2)
        proc = start_crawl(portal, archive, tmp_path / "stopped.log")
        assert portal.tripped.wait(timeout=60), "the crawl never reached its second report page"
        proc.send_signal(signal.SIGTERM)
        portal.open_gate(abort=False)   # a graceful stop lets the requests in flight finish
        assert proc.wait(timeout=60) == 0, (tmp_path / "stopped.log").read_text()[-3000:]
        crawl(portal, archive)
    db = Database(archive / "reports.db")
    stopped, resumed = runs(db)
    assert stopped["finish_reason"] == "shutdown" and stopped["finished_at"]
    assert (resumed["finish_reason"], resumed["resumed"]) == ("finished", 1)
    assert sorted(r["url"] for r in db["reports"].rows) == sorted(report_urls(portal))
    assert db["versions"].count == len(REPORTS)


def test_a_second_run_on_a_locked_archive_refuses_to_start(tmp_path):
    import fcntl

    archive = tmp_path / "archive"
    archive.mkdir()
    with open(archive / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = run_crawl(["http://127.0.0.1:9/"], archive, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: another run is using ARCHIVE_DIR {archive} (it holds .lock); not starting"]


def test_every_request_waiting_for_robots_txt_is_checked():
    """A resumed crawl starts with many requests per host waiting for its robots.txt at once;
    Scrapy 2.19's own middleware checks only the first of the waiters (see RobotsTxtMiddleware)."""
    class Engine:
        async def download_async(self, request):
            self.fetched = asyncio.get_running_loop().create_future()
            await self.fetched
            return TextResponse(request.url, body=b"User-agent: *\nDisallow: /preview/\n", request=request)

    async def main() -> list:
        crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
        crawler.engine = Engine()
        middleware = build_from_crawler(RobotsTxtMiddleware, crawler)
        waiting = [asyncio.ensure_future(middleware.process_request(Request(f"http://h/preview/{i}")))
                   for i in range(3)]
        await asyncio.sleep(0)
        crawler.engine.fetched.set_result(None)
        return await asyncio.gather(*waiting, return_exceptions=True)

    assert [type(r) for r in asyncio.run(main())] == [IgnoreRequest] * 3


def test_frontier_resumes_leased_rows_and_forgets_a_finished_crawl(tmp_path):
    frontier = Frontier(tmp_path / "state.db")
    assert frontier.begin(resume=True)["resumed"] is False        # nothing to resume: a fresh crawl
    for url, priority in (("http://h/", 0), ("http://h/list", 20), ("http://h/report", 30)):
        frontier.push(url, url, priority, url.encode())
    assert frontier.seen("http://h/list") and not frontier.seen("http://h/other")
    first, second = frontier.lease(), frontier.lease()
    assert (first[1], second[1]) == (b"http://h/report", b"http://h/list")   # priority first
    frontier.ack(first[0])
    frontier.close()

    frontier = Frontier(tmp_path / "state.db")                    # the process died here
    info = frontier.begin(resume=True)
    assert info == {"resumed": True, "pending": 2, "done": 1, "requeued": 1}
    assert frontier.lease()[1] == b"http://h/list"               # the lost lease comes back
    frontier.finish()
    frontier.close()

    frontier = Frontier(tmp_path / "state.db")
    assert frontier.begin(resume=True) == {"resumed": False, "pending": 0, "done": 0, "requeued": 0}
    frontier.push("http://h/", "http://h/", 0, b"x")
    frontier.close()
    frontier = Frontier(tmp_path / "state.db")
    assert frontier.begin(resume=False)["pending"] == 0           # XXGK_RESUME=False starts afresh
    frontier.close()


def test_conditional_get_asks_with_validators_and_answers_a_304_from_the_archive(tmp_path):
    archive, url = tmp_path / "archive", "http://h/art/1.html"
    body = "<html><body><h1>2020年政府信息公开工作年度报告</h1></body></html>".encode("gb18030")
    headers = [("Content-Type", "text/html; charset=gb2312"), ("ETag", '"v1"'),
               ("Last-Modified", "Mon, 01 Mar 2021 08:00:00 GMT")]
    writer = RollingWarcWriter(archive / "warc", "r0")
    first = write_exchange(writer, Exchange(url=url, status=200, headers=headers, body=body))
    writer.close()
    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(archive), "XXGK_CONDITIONAL_GET": True,
                                         "XXGK_WARC_ENABLED": True, "EXTENSIONS": project.EXTENSIONS})
    middleware = build_from_crawler(ConditionalGetMiddleware, crawler)
    middleware.db.spider_opened(None)
    middleware.db.index.add({"url": url, "date": first.date, "record_id": first.record_id, "type": "response",
                          "status": 200, "digest": first.digest, "warc_file": first.file,
                          "warc_offset": first.offset, "payload_file": first.file,
                          "payload_offset": first.offset, "etag": '"v1"',
                          "last_modified": "Mon, 01 Mar 2021 08:00:00 GMT"})
    request = Request(url, meta={"role": "report"})
    listing = Request("http://h/list.html", meta={"role": "list"})
    middleware.process_request(request), middleware.process_request(listing)
    assert request.headers["If-None-Match"] == b'"v1"'
    assert request.headers["If-Modified-Since"] == b"Mon, 01 Mar 2021 08:00:00 GMT"
    assert request.meta["handle_httpstatus_list"] == [304]
    assert b"If-None-Match" not in listing.headers          # lists are always fetched in full
    answer = middleware.process_response(request, Response(url, status=304, request=request,
                                                           headers={"ETag": '"v1"', "Date": "Tue, 02 Mar 2021"}))
    assert isinstance(answer, HtmlResponse) and (answer.status, answer.body) == (304, body)
    assert answer.headers["Content-Type"] == b"text/html; charset=gb2312"
    assert answer.headers["Date"] == b"Tue, 02 Mar 2021" and "not_modified" in answer.flags
    moved = request.replace(url="http://h/art/2.html")     # a redirect copies headers and meta
    middleware.process_request(moved)
    assert b"If-None-Match" not in moved.headers and "xxgk_previous" not in moved.meta
    middleware.db.spider_closed(None)
