"""End to end (issue 17): `scrapy crawl portals` over the scripted-lists demo portal, through the real
loopback server and, where a list needs one, the system Chromium.

- with the browser (XXGK_RENDER=auto): every report of the provincial template (10 printed + 15 only via
  its search API), of the Hanweb column (46–60 only via a dataproxy POST) and of the single-page app;
  nothing else; no request robots.txt forbids, the browser's included; one browser, every page closed;
- XXGK_RENDER=never: the Hanweb groups and the API list still, the app's list counted as not rendered;
- no Chromium: one warning line, the same static reading, never a crash;
- the WARC replays the API answers: each POST's request record holds its form, and the answer beside
  it is what the endpoint answers that form (computed from the demo's spec, not from our output);
- pages that misbehave in the browser: an errors row each (stage render), the crawl goes on;
- the classic demo portal, which has no script-built list, starts no browser.
"""
from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
import urllib.robotparser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator

from crawler.demo.portal import PORTAL_DIR, endpoints, scriptpages
from crawler.demo.portal.scriptsites import SCRIPTED_DIR
from crawler.demo.portal.server import PortalServer
from crawler.rendering import unavailable
from scrapy.settings import Settings
from tests.conftest import run_crawl

MANIFEST = json.loads((SCRIPTED_DIR / "manifest.json").read_text("utf-8"))
SITES = {s["name"]: s for s in MANIFEST["sites"]}
LISTS = ("trs-province", "hanweb-jpage", "spa-app")
NO_BROWSER = unavailable(Settings({"XXGK_CHROMIUM": "/usr/bin/chromium"}))
needs_browser = pytest.mark.skipif(NO_BROWSER is not None, reason=f"no browser: {NO_BROWSER}")


def crawl_sites(tmp: Path, names, *settings: str) -> dict:
    log = tmp / "requests.log"
    with PortalServer(root=SCRIPTED_DIR, log=log) as server:
        done = run_crawl([server.url(n, "/") for n in names], tmp / "archive", *settings, timeout=300)
        want = {server.url(r["site"], r["path"]) for r in MANIFEST["reports"] if r["site"] in names}
        by_site = {n: {server.url(r["site"], r["path"]) for r in MANIFEST["reports"] if r["site"] == n} for n in names}
        hosts = {n: server.url(n, "")[len("http://"):] for n in names}
    db = Database(tmp / "archive" / "reports.db")
    runs = list(db["runs"].rows)
    return {"done": done, "db": db, "want": want, "by_site": by_site, "hosts": hosts,
            "stored": {r["url"] for r in db["reports"].rows}, "archive": tmp / "archive",
            "requests": [tuple(line.split("\t")) for line in log.read_text("utf-8").splitlines()],
            "stats": json.loads(runs[-1]["stats"]) if runs else {}}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    if NO_BROWSER is not None:
        pytest.skip(f"no browser: {NO_BROWSER}")
    return crawl_sites(tmp_path_factory.mktemp("rendered"), LISTS)


@pytest.fixture(scope="module")
def static(tmp_path_factory):
    return crawl_sites(tmp_path_factory.mktemp("static"), LISTS, "XXGK_RENDER=never")


def test_with_the_browser_every_report_and_nothing_else(rendered):
    assert rendered["done"].returncode == 0, rendered["done"].stderr[-3000:]
    assert "Traceback" not in rendered["done"].stderr
    assert rendered["stored"] == rendered["want"]


def test_only_the_app_was_rendered_one_browser_every_page_closed(rendered):
    stats = rendered["stats"]
    assert stats["xxgk/render/script_built"] == stats["xxgk/render/rendered"] == 1
    assert stats["xxgk/render/snapshots"] == 3          # 12 reports, 5 a page: 下一页 twice
    assert stats["playwright/browser_count"] == 1
    assert stats["playwright/page_count"] == stats["playwright/page_count/closed"]


def test_no_request_robots_txt_forbids_the_browsers_included(rendered):
    robots = {}
    for site, path, _status in rendered["requests"]:
        if site not in robots:
            parser = urllib.robotparser.RobotFileParser()
            parser.parse((SCRIPTED_DIR / SITES[site]["root"] / "robots.txt").read_text("utf-8").splitlines())
            robots[site] = parser
        assert robots[site].can_fetch("xxgk-archive", path), (site, path)
    assert rendered["stats"]["xxgk/render/robots_refused"] >= 1   # the app's /stat/track.js


def test_without_the_browser_the_groups_and_the_api_are_still_read(static):
    assert static["done"].returncode == 0, static["done"].stderr[-3000:]
    for site in ("trs-province", "hanweb-jpage"):
        assert static["by_site"][site] <= static["stored"], site
    assert not static["by_site"]["spa-app"] & static["stored"]
    assert static["stored"] <= static["want"]
    stats = static["stats"]
    assert stats["xxgk/render/not_rendered"] == stats["xxgk/render/not_rendered/never"] == 1
    assert "playwright/browser_count" not in stats and "xxgk/render/browser_started" not in stats


def test_the_later_entries_came_only_through_posts(static):
    posts = {path for site, path, _ in static["requests"] if path.startswith(("/fjdzapp/search", "/module/web/jpage"))}
    assert posts == {"/fjdzapp/search", "/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15"}


def spec_of(site: str, path: str) -> bytes:
    f = next(f for f in SITES[site]["files"] if f.get("endpoint") and f["path"] == path)
    return (SCRIPTED_DIR / SITES[site]["root"] / f["file"]).read_bytes()


def test_the_warc_replays_the_api_answers_with_the_forms_that_asked(static):
    exchanges: dict[str, dict] = {}
    for path in sorted((static["archive"] / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    exchanges.setdefault(record.rec_headers.get_header("WARC-Record-ID"), {})["response"] = \
                        (record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read())
                elif record.rec_type == "request":
                    exchanges.setdefault(record.rec_headers.get_header("WARC-Concurrent-To"), {})["request"] = \
                        (record.http_headers.protocol, record.http_headers.get_header("Content-Type"),
                         record.content_stream().read())
    posts = [x for x in exchanges.values() if "request" in x and x["request"][0] == "POST"]
    searched = []
    for x in posts:
        url, answer = x["response"]
        _method, ctype, form = x["request"]
        site = next(n for n, host in static["hosts"].items() if urlsplit(url).netloc == host)
        path = urlsplit(url).path
        params = endpoints.request_params(urlsplit(url).query, form, ctype)
        host_spec = spec_of(site, path).replace(b"{{HOST}}", static["hosts"][site].encode())
        assert answer == endpoints.answer(host_spec, params)[2], (url, form)
        searched.append(params.get("page") or params.get("startrecord"))
    assert sorted(searched) == ["1", "2", "3", "46"]   # the search API's 3 pages, Hanweb's second group
    hanweb = [x["request"][2] for x in posts if "dataproxy" in x["response"][0]]
    assert [dict(endpoints.request_params("", f, None)) for f in hanweb] == [dict(scriptpages.hanweb_ajax_param())]


def test_without_chromium_one_warning_and_the_static_reading(tmp_path):
    done = crawl_sites(tmp_path, LISTS, "XXGK_CHROMIUM=/nonexistent/chromium")
    assert done["done"].returncode == 0 and "Traceback" not in done["done"].stderr
    warnings = [line for line in done["done"].stderr.splitlines() if "WARNING" in line and "Chromium" in line]
    assert len(warnings) == 1, warnings
    assert done["stats"]["xxgk/render/not_rendered/unavailable"] == 1
    assert done["stored"] == done["want"] - done["by_site"]["spa-app"]


def kill_browser_when_held(log: Path, stop: threading.Event) -> None:
    "The hold page's script is in flight (the server holds it): the browser dies, as a crash would."
    while not stop.is_set():
        if log.exists() and "/static/hold.js" in log.read_text("utf-8", "replace"):
            break
        time.sleep(0.05)
    else:
        return
    mine = "--host-resolver-rules=MAP * ~NOTFOUND"
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        # the browser process (not its renderers) of this test's crawl: never another test run's
        if mine in cmdline and "--type=" not in cmdline and descends_from(int(pid), os.getpid()):
            os.kill(int(pid), signal.SIGKILL)


def descends_from(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        pid = int(stat.rsplit(")", 1)[1].split()[1])   # the field after the state: the parent's pid
    return False


@needs_browser
def test_pages_that_misbehave_are_errors_rows_and_the_crawl_goes_on(tmp_path):
    log = tmp_path / "hold.log"
    stop = threading.Event()
    with PortalServer(root=SCRIPTED_DIR, log=log) as server:
        killer = threading.Thread(target=kill_browser_when_held, args=(log, stop), daemon=True)
        killer.start()
        done = run_crawl([server.url("spa-faults", "/")], tmp_path / "archive", "XXGK_RENDER_TIMEOUT=8", timeout=300)
        stop.set()
        want = {server.url(r["site"], r["path"]) for r in MANIFEST["reports"] if r["site"] == "spa-faults"}
        lists = {name: server.url("spa-faults", f"/nb/{name}/") for name in scriptpages.FAULTS}
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[done.stderr.find("Traceback") - 2000:][:5000]
    db = Database(tmp_path / "archive" / "reports.db")
    assert {r["url"] for r in db["reports"].rows} == want, list(db.query("select url, kind, message from errors"))   # the lists behind a dialog and a popup
    rows = {(r["url"], r["kind"]) for r in db.query("select url, kind from errors where stage = 'render'")}
    assert {(lists["loop"], "timeout"), (lists["dialog"], "dialog"), (lists["popup"], "popup"),
            (lists["away"], "navigated"), (lists["hold"], "crashed")} <= rows, rows
    stats = json.loads(list(db["runs"].rows)[-1]["stats"])
    assert stats["xxgk/render/errors/crashed"] == 1 and stats["xxgk/render/script_built"] == len(lists)


def test_a_portal_without_script_built_lists_starts_no_browser(tmp_path):
    manifest = json.loads((PORTAL_DIR / "manifest.json").read_text("utf-8"))
    with PortalServer() as server:
        done = run_crawl(server.start_urls(), tmp_path / "archive", timeout=300)
        want = {server.url(r["site"], r["path"]) for r in manifest["reports"]}
    assert done.returncode == 0, done.stderr[-3000:]
    db = Database(tmp_path / "archive" / "reports.db")
    assert {r["url"] for r in db["reports"].rows} == want
    stats = json.loads(list(db["runs"].rows)[-1]["stats"])
    assert not [k for k in stats if k.startswith(("playwright/", "xxgk/render/"))]
    assert not re.search(r"Starting download handler|Launching browser", done.stderr)   # no Playwright, no Chromium


def test_the_scripted_portal_fixtures_are_what_the_generator_writes(tmp_path):
    from crawler.demo.portal.scriptsites import generate_scripted

    generate_scripted(tmp_path)
    want = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    have = {p.relative_to(SCRIPTED_DIR): p.read_bytes() for p in SCRIPTED_DIR.rglob("*") if p.is_file()}
    assert sorted(have) == sorted(want), "run: python -m crawler.demo.portal.scriptsites"
    assert not [k for k in want if want[k] != have[k]], "run: python -m crawler.demo.portal.scriptsites"
