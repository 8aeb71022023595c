"""Issue 8: hostile portals, bad bytes and faults never crash a run or lose a page.

End to end, through the real `scrapy crawl` command, over the fault portal (tests/faults): three runs
into one ARCHIVE_DIR —

1. killed (SIGKILL) when the server has sent its second good report: a deterministic event, counted by
   the server, not a timer;
2. a full run: every good report stored, every fault in `errors` with its kind, the run finished;
3. the portal's edition 2 (one report changed), good reports only: a new version, nothing else new.

Then a full disk, before and during a run (simulated with RLIMIT_FSIZE: every write past the limit
fails, as on a full disk), and detect_block / detect_junk on their own. Cases: tests/faults/cases.py.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator

from crawler.demo import crawl_command
from pipelines.faults import detect_block, detect_junk, visible_text
from pipelines.quality import bigram_f1
from tests.conftest import ROOT, run_crawl
from tests.faults import cases
from tests.faults.server import ACW, RUISHU, WAF, FaultServer
from crawler.demo.portal import PORTAL_DIR

PORTAL = PORTAL_DIR
MANIFEST = json.loads((PORTAL / "manifest.json").read_text("utf-8"))
REPORTS = {r["id"]: r for r in MANIFEST["reports"]}
# stalls give up after 2 s (3 attempts: 6 s); the calendar trap is cut at 30 list pages; pages are cut at
# 2 MiB (default 8 MiB) so that even a loaded machine meets the limit of the streamed 100 MB page before
# DOWNLOAD_TIMEOUT; attachments keep their default limit (64 MiB)
SETTINGS = ("DOWNLOAD_TIMEOUT=2", "XXGK_MAX_LIST_PAGES=30", f"XXGK_PAGE_MAXSIZE={2 * 1024 * 1024}")
SPAM_TOKENS = ("躲猫猫", "彩票论坛", "大赢家", "时时彩", "11选5", "快乐十分", "狗狗币")
KILL_AFTER_GOOD = 2       # run 1 dies when the server has sent this many good reports
CALENDAR_BOUND = 150      # requests the calendar trap may cost with XXGK_MAX_LIST_PAGES=30
DISK_LIMIT = 3 * 1024 * 1024 // 2  # bytes any one file may reach in the disk-full run (above the 1 MiB pre-check)
HANG = 60                 # seconds after which a run that should have ended is declared hung (a hang is forever)

# Today's spider names these failures after Scrapy's exception classes, or not at all; the report of
# issue 8 holds the diff for crawler/spiders/portals.py (on_error) and crawler/middlewares.py.
SPIDER_KINDS: dict[str, str] = {}  # kinds the spider does not name yet: none


def pending(kind: str, stage: str = "fetch"):
    reason = SPIDER_KINDS.get(f"{kind}@{stage}") or (SPIDER_KINDS.get(kind) if stage == "fetch" else None)
    return [pytest.mark.xfail(strict=True, reason=f"issue 8, spider: {reason}")] if reason else []


# --- the runs --------------------------------------------------------------------------------------------

def crawl_args() -> list[str]:
    return [a for s in SETTINGS for a in ("-s", s)]


def kill_on_event(server: FaultServer, archive: Path, out: Path) -> dict:
    "Run a crawl and SIGKILL it once the server has sent KILL_AFTER_GOOD good reports."
    good = {g["path"] for g in cases.GOOD}
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with open(out, "w") as fh:
        proc = subprocess.Popen(crawl_command(server.start_urls()[:1], archive, *crawl_args()),
                                cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60  # a guard only: the kill is triggered by the count below
        while proc.poll() is None and time.monotonic() < deadline:
            sent = [r for r in server.responses() if r["path"] in good and r["status"] == 200]
            if len(sent) >= KILL_AFTER_GOOD:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        if proc.poll() is None and time.monotonic() >= deadline:
            proc.kill()
        proc.wait(timeout=30)
    # what the killed run left behind, before the next run touches it
    db = Database(archive / "reports.db")
    left = {"returncode": proc.returncode, "integrity": db.execute("pragma integrity_check").fetchone()[0],
            "reports": [dict(r) for r in db.query("select url, text, sha256 from reports")]}
    db.close()
    return left


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Two archives. `killed`: a run killed on an event, then the next run (good reports only, no
    stalls, to stay quick). `archive`: a full run over every case, then edition 2 (good reports only)."""
    tmp = tmp_path_factory.mktemp("faults")
    killed_dir, archive, log = tmp / "killed", tmp / "archive", tmp / "responses.log"
    with FaultServer(log=log, cases="good") as server:
        killed = kill_on_event(server, killed_dir, tmp / "killed.log")
        server.configure(edition=1, which="good")
        resumed = run_crawl(server.start_urls()[:1], killed_dir, *SETTINGS, timeout=120)
        server.configure(edition=1, which="all")
        full = run_crawl(server.start_urls(), archive, *SETTINGS, timeout=180)
        server.configure(edition=2, which="good")
        again = run_crawl(server.start_urls()[:1], archive, *SETTINGS, timeout=120)
        responses = server.responses()
        urls = {"good": {g["id"]: server.url(g["path"]) for g in cases.GOOD},
                "fault": {f["name"]: server.url(f["path"]) for f in cases.FAULTS},
                "blocked": server.url("/", cases.BLOCKED_HOST), "down": server.url("/", cases.DOWN_HOST),
                "attachment": server.url(cases.ATTACHMENT)}
    # the control requests separate the runs in the server's log
    bounds = [0] + [r["seq"] for r in responses if r["path"].startswith(cases.CONTROL)] + [10 ** 9]
    segments = {name: [r for r in responses if lo < r["seq"] < hi and not r["path"].startswith(cases.CONTROL)]
                for name, lo, hi in zip(("killed", "resumed", "full", "again"), bounds, bounds[1:])}
    db, kdb = Database(archive / "reports.db"), Database(killed_dir / "reports.db")
    run_ids = [r["run_id"] for r in db.query("select run_id from runs order by started_at, rowid")]
    killed_ids = [r["run_id"] for r in kdb.query("select run_id from runs order by started_at, rowid")]
    yield {"killed": killed, "resumed": resumed, "full": full, "again": again, "db": db, "killed_db": kdb,
           "urls": urls, "responses": segments, "archive": archive,
           "run_ids": dict(zip(("full", "again"), run_ids)), "killed_run_ids": dict(zip(("killed", "resumed"),
                                                                                       killed_ids))}
    db.close()
    kdb.close()


def rows(crawls, sql: str, params=()) -> list[dict]:
    return [dict(r) for r in crawls["db"].query(sql, params)]


def errors_for(crawls, url: str) -> list[dict]:
    return rows(crawls, "select run_id, stage, kind, message from errors where url = ?", [url])


# --- runs finish ---------------------------------------------------------------------------------------

def test_every_run_of_the_fault_portal_finishes(crawls):
    for name in ("resumed", "full", "again"):
        assert crawls[name].returncode == 0, (name, crawls[name].stderr[-3000:])


def test_full_run_finishes_cleanly(crawls):
    done = crawls["full"]
    assert done.returncode == 0, done.stderr[-3000:]
    # no component of ours raised (Scrapy itself logs a traceback when robots.txt of a portal that
    # is down cannot be fetched: noise, reported in issue 8)
    for ours in ("crawler", "pipelines"):
        where = done.stderr.find(f'File "{ROOT / ours}')
        assert where < 0, done.stderr[max(0, where - 2000):where + 1000]
    run = crawls["db"]["runs"].get(crawls["run_ids"]["full"])
    assert run["finish_reason"] == "finished"


def test_a_crawl_contacts_nothing_but_its_portals(crawls):
    # Scrapy's CookiesMiddleware asks tldextract for the public suffix list, which it would download
    # from publicsuffix.org the first time a site sets a cookie (the WAF and challenge pages do)
    assert "publicsuffix" not in crawls["full"].stderr


def test_second_run_finishes_and_finds_one_changed_report(crawls):
    done = crawls["again"]
    assert done.returncode == 0, done.stderr[-3000:]
    run = crawls["db"]["runs"].get(crawls["run_ids"]["again"])
    assert run["finish_reason"] == "finished"
    assert (run["new_reports"], run["new_versions"]) == (0, 1)


# --- good reports -------------------------------------------------------------------------------------

def test_every_good_report_is_stored_and_nothing_else(crawls):
    stored = {r["url"] for r in rows(crawls, "select url from reports")}
    assert stored == set(crawls["urls"]["good"].values())


@pytest.mark.parametrize("good", cases.GOOD, ids=lambda g: g["id"])
def test_good_report_survives_its_fault(crawls, good):
    report = REPORTS[good["id"]]
    url = crawls["urls"]["good"][good["id"]]
    row = crawls["db"]["reports"].get(url)
    assert (row["title"], row["report_year"], row["encoding"]) == \
        (report["title"], report["report_year"], report["encoding"])
    assert row["error"] is None and row["mojibake"] == 0 and "\ufffd" not in row["text"]
    expected = (PORTAL / report["expected_text"]).read_text("utf-8")
    if good["id"] == cases.CHANGED:  # edition 2 added a correction paragraph
        assert "本报告第三部分数据有误" in row["text"]
    assert bigram_f1(row["text"], expected, title=report["title"]) >= 0.95
    assert not [t for t in SPAM_TOKENS if t in row["text"]]
    assert errors_for(crawls, url) == []  # a retry that succeeded is no error


def test_lying_charset_header_is_overruled(crawls):
    row = crawls["db"]["reports"].get(crawls["urls"]["good"]["trs-000"])
    assert "charset=utf-8" in next(g for g in cases.GOOD if g["id"] == "trs-000")["content_type"]
    assert (row["encoding"], row["mojibake"]) == ("gb18030", 0)


@pytest.mark.parametrize("run", ["resumed", "full", "again"])
def test_failing_statuses_are_retried_then_stored(crawls, run):
    served = Counter((r["path"], r["status"]) for r in crawls["responses"][run])
    for good in cases.GOOD:
        for status, n in Counter(good.get("fail", [])).items():
            assert served[(good["path"], status)] == n, (good["id"], status)
        assert served[(good["path"], 200)] == 1, good["id"]


def test_429_retry_waits_for_retry_after(crawls):
    good = next(g for g in cases.GOOD if g.get("retry_after"))
    times = [r for r in crawls["responses"]["full"] if r["path"] == good["path"]]
    assert [r["status"] for r in times] == [429, 200]
    assert times[1]["at"] - times[0]["at"] >= good["retry_after"]


def test_large_attachment_is_fetched_under_its_own_limit(crawls):
    # a 3 MB PDF passes XXGK_ATTACHMENT_MAXSIZE (64 MiB) while pages past XXGK_PAGE_MAXSIZE (2 MiB here) fail
    sent = [r for r in crawls["responses"]["full"] if r["path"] == cases.ATTACHMENT]
    assert [(r["status"], r["outcome"]) for r in sent] == [(200, f"ok after {cases.ATTACHMENT_SIZE} bytes")]
    # its bytes are no PDF past the header: fetched whole, then named by the attachment stage, not the fetch
    errors = [e for e in errors_for(crawls, crawls["urls"]["attachment"]) if e["run_id"] == crawls["run_ids"]["full"]]
    assert [(e["stage"], e["kind"]) for e in errors] == [("attachment", "corrupt")]
    row = crawls["db"]["reports"].get(crawls["urls"]["good"]["plain-001"])
    assert [a["url"] for a in json.loads(row["attachments"])] == [crawls["urls"]["attachment"]]


# --- faults -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", [pytest.param(f, id=f["name"], marks=pending(f["kind"], f["stage"]))
                                   for f in cases.FAULTS])
def test_fault_is_an_error_of_its_kind(crawls, fault):
    url = crawls["urls"]["fault"][fault["name"]]
    assert crawls["db"]["reports"].count_where("url = ?", [url]) == 0
    errors = [e for e in errors_for(crawls, url) if e["run_id"] == crawls["run_ids"]["full"]]
    assert [(e["stage"], e["kind"]) for e in errors] == [(fault["stage"], fault["kind"])]
    assert fault.get("message", "") in errors[0]["message"]


@pytest.mark.parametrize("portal,kind", [pytest.param("blocked", "blocked", marks=pending("blocked", "fetch")),
                                         pytest.param("down", "refused", marks=pending("refused"))])
def test_unreachable_portal_is_one_error_and_the_others_go_on(crawls, portal, kind):
    errors = [e for e in errors_for(crawls, crawls["urls"][portal]) if e["run_id"] == crawls["run_ids"]["full"]]
    assert [(e["stage"], e["kind"]) for e in errors] == [("fetch", kind)]


def test_fault_pages_are_not_retried_beyond_the_retry_setting(crawls):
    served = Counter(r["path"] for r in crawls["responses"]["full"])
    by_name = {f["name"]: f["path"] for f in cases.FAULTS}
    for name in ("always-503", "stall-headers", "stall-body", "truncated"):
        assert served[by_name[name]] == 3, name      # RETRY_TIMES = 2
    for name in ("huge-10mb", "huge-100mb", "binary", "empty", "js-challenge", "js-challenge-412", "waf"):
        assert served[by_name[name]] == 1, [r for r in crawls["responses"]["full"] if r["path"] == by_name[name]]


def test_huge_pages_are_cut_off_not_downloaded(crawls):
    sent = {r["path"]: r for r in crawls["responses"]["full"]}
    for name, size in cases.HUGE.items():
        outcome = sent[next(f["path"] for f in cases.FAULTS if f["name"] == name)]["outcome"]
        assert outcome.startswith("client-gave-up after "), outcome
        assert int(outcome.split()[-2]) < min(size, 32 * cases.MB), outcome  # the server's buffers, no more


def test_calendar_trap_is_bounded(crawls):
    calendar = [r for r in crawls["responses"]["full"] if r["path"].startswith(cases.CALENDAR)]
    assert 1 <= len(calendar) <= CALENDAR_BOUND
    stats = json.loads(crawls["db"]["runs"].get(crawls["run_ids"]["full"])["stats"])
    assert stats.get("xxgk/discovery/list_page_limit", 0) + stats.get("xxgk/discovery/trap/calendar", 0) >= 1
    assert not [e for e in rows(crawls, "select url from errors") if "rili.jsp" in e["url"]]


def test_every_failure_is_counted_in_the_run_stats(crawls):
    run = crawls["db"]["runs"].get(crawls["run_ids"]["full"])
    stats = json.loads(run["stats"])
    counted = sum(v for k, v in stats.items() if k.startswith("xxgk/errors/"))
    recorded = crawls["db"]["errors"].count_where("run_id = ?", [run["run_id"]])
    assert counted == recorded == run["errors"] >= len(cases.FAULTS) - 1  # the redirect loop: see its test


def test_raw_capture_is_kept_for_pages_refused_after_fetching(crawls):
    targets = set()
    for path in sorted((crawls["archive"] / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            targets |= {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh)
                        if r.rec_type in ("response", "revisit")}
    for fault in cases.FAULTS:
        if fault["stage"] == "classify" or fault["name"] == "js-challenge-412":
            assert crawls["urls"]["fault"][fault["name"]] in targets, fault["name"]


# --- nothing twice, a kill loses nothing ------------------------------------------------------------------

def test_nothing_is_stored_twice(crawls):
    reports = rows(crawls, "select url, sha256, versions from reports")
    assert len({r["sha256"] for r in reports}) == len(reports)
    changed = crawls["urls"]["good"][cases.CHANGED]  # edition 2 changed its text: a second version
    assert {r["url"]: r["versions"] for r in reports} == {u: 2 if u == changed else 1
                                                         for u in crawls["urls"]["good"].values()}
    assert crawls["db"]["versions"].count == len(reports) + 1
    for run_id in crawls["run_ids"].values():
        errors = rows(crawls, "select url, stage, kind from errors where run_id = ?", [run_id])
        assert len({tuple(e.values()) for e in errors}) == len(errors), run_id


def test_killed_run_leaves_a_consistent_archive(crawls):
    left = crawls["killed"]
    assert left["returncode"] == -signal.SIGKILL
    assert left["integrity"] == "ok"
    assert len(left["reports"]) <= KILL_AFTER_GOOD  # at most the reports sent before the kill
    for row in left["reports"]:  # one page = one transaction: never half a report
        assert row["text"] and row["sha256"] == hashlib.sha256(row["text"].encode("utf-8")).hexdigest()


def test_run_after_a_kill_completes_the_archive(crawls):
    done, db, ids = crawls["resumed"], crawls["killed_db"], crawls["killed_run_ids"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert db["runs"].get(ids["killed"])["finish_reason"] != "finished"
    assert db["runs"].get(ids["resumed"])["finish_reason"] == "finished"
    reports = [dict(r) for r in db.query("select url, versions from reports")]
    assert sorted(r["url"] for r in reports) == sorted(crawls["urls"]["good"].values())
    assert {r["versions"] for r in reports} == {1} and db["versions"].count == len(reports)


# --- a full disk -------------------------------------------------------------------------------------------

def crawl_with_file_limit(start_urls: list[str], archive: Path, limit: int, timeout: float):
    "A crawl in which no file may grow past `limit` bytes: writes fail with EFBIG, as on a full disk."
    def limit_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(crawl_command(start_urls, archive, *[a for s in SETTINGS for a in ("-s", s)]),
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limit_files)


def test_full_archive_dir_is_one_line_and_exit_2(tmp_path):
    with FaultServer(cases="good") as server:
        done = crawl_with_file_limit(server.start_urls()[:1], tmp_path / "archive", 0, timeout=60)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "ARCHIVE_DIR" in lines[0]


def test_disk_filling_up_mid_run_stops_the_run_and_keeps_what_was_stored(tmp_path):
    archive = tmp_path / "archive"
    with FaultServer(cases="good") as server:
        try:
            done = crawl_with_file_limit(server.start_urls()[:1], archive, DISK_LIMIT, timeout=HANG)
        except subprocess.TimeoutExpired:  # subprocess.run has killed it
            pytest.fail(f"the run did not end within {HANG} s of a full disk")
        assert done.returncode not in (0, None), "a run that could not store its pages must not exit 0"
        assert done.returncode == 1
        assert done.stderr.strip().splitlines()[-1].startswith("error: ARCHIVE_DIR")
        assert "stopped taking writes" in done.stderr
        db = Database(archive / "reports.db")
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        db.close()
        again = run_crawl(server.start_urls()[:1], archive, *SETTINGS, timeout=120)  # space is back
    assert again.returncode == 0
    assert Database(archive / "reports.db")["reports"].count == len(cases.GOOD)


# --- detect_block / detect_junk ------------------------------------------------------------------------------

CHALLENGES = {
    "ruishu-412": (412, RUISHU.decode()),
    "acw-200": (200, ACW.decode()),
    "jiasule-521": (521, "<html><body><script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')"
                        "+('l')+('e')+('a')+('r')+('a')+('n')+('c')+('e')+('=')+(-~[]+'');"
                        "location.href=location.pathname+location.search</script></body></html>"),
    "packer": (200, "<script>eval(function(p,a,c,k,e,d){e=function(c){return c};return p}('0 1',2,2,'a|b'"
                    ".split('|'),0,{}))</script>"),
    "yunsuo": (200, '<html><head><script>var wzwschallenge="RANDOMSTR";var wzwschallengex="STRRANDOM";'
                    "function HashString(s){return s}</script></head><body></body></html>"),
    "bare-script-202": (202, "<html><head><script src='/a1b2c3.js'></script></head><body></body></html>"),
}
BLOCK_PAGES = {
    "safedog": (200, WAF.decode(), "waf"),
    "aliyun": (405, "<html><body><h1>很抱歉，由于您访问的URL有可能对网站造成安全威胁，您的访问被阻断。</h1>"
                    "<p>您的请求ID是: 0bc3a1f1</p></body></html>", "waf"),
    "f5": (200, "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
                "Please consult with your administrator.<br><br>Your support ID is: 1234567890</body></html>",
           "waf"),
    "captcha": (200, "<html><body><form><p>请输入验证码后继续访问</p><img src='/captcha.jpg'>"
                     "<input name=code></form></body></html>", "captcha"),
    "rate": (200, "<html><body><p>您的访问过于频繁，请稍后再试。</p></body></html>", "rate-limit"),
}


@pytest.mark.parametrize("name", sorted(CHALLENGES))
def test_js_challenges_are_detected(name):
    status, text = CHALLENGES[name]
    assert detect_block(status, [("Content-Type", "text/html")], text) == "js-challenge"


@pytest.mark.parametrize("name", sorted(BLOCK_PAGES))
def test_block_pages_are_detected(name):
    status, text, kind = BLOCK_PAGES[name]
    assert detect_block(status, [], text) == kind


def _demo_pages():
    for site in MANIFEST["sites"]:
        for f in site["files"]:
            if f["status"] == 200 and "html" in f["content_type"]:
                yield site, f


def test_no_demo_portal_page_is_a_block_or_junk():
    from pipelines.decode import decode

    flagged = []
    for site, f in _demo_pages():
        body = (PORTAL / site["root"] / f["file"]).read_bytes()
        text = decode(body, f["content_type"]).text
        if detect_block(200, [("Content-Type", f["content_type"])], text) or detect_junk(body, text):
            flagged.append(f["file"])
    assert flagged == []


def test_a_report_that_talks_like_a_block_page_is_a_report():
    # a short report (legacy reports can be ~1000 characters) that mentions firewalls and blocking
    prose = "<p>" + "我局完成网站防火墙升级，拦截攻击请求1200次，访问被拦截的均为恶意请求。" * 35 + "</p>"
    script = "<script>document.cookie='font=16';location.href='#top'</script>"
    assert detect_block(200, {}, f"<html><body>{script}<h1>2020年政府信息公开工作年度报告</h1>{prose}</body></html>") is None
    obfuscated = "<script>_$ab();_$cd();_$ef();</script>"
    assert detect_block(412, {}, f"<html><head>{obfuscated}</head><body>{prose}</body></html>") is None


def test_a_js_redirect_stub_is_not_a_challenge_but_empty():
    stub = "<html><head><script>window.location.href='/xxgk/index.html';</script></head><body></body></html>"
    assert detect_block(200, {}, stub) is None
    assert detect_junk(stub.encode(), stub) == "empty"


@pytest.mark.parametrize("body,text,expected", [
    (b"", "", "empty"), (b" \r\n\t ", " \r\n\t ", "empty"), (b"<html><body></body></html>", None, None),
    (b"<html><body>\n</body></html>", "<html><body>\n</body></html>", "empty"),
    (b"%PDF-1.4\n...", None, "binary"), (b"\x1f\x8b\x08\x00" + bytes(100), None, "binary"),
    (bytes(range(256)) * 4, None, "binary"),
    ("\ufeff<p>UTF-16 页面</p>".encode("utf-16"), "<p>UTF-16 页面</p>", None),
    ("<p>政府信息公开年度报告</p>".encode("gb18030"), "<p>政府信息公开年度报告</p>", None),
])
def test_junk_bodies(body, text, expected):
    assert detect_junk(body, text) == expected


def test_visible_text_drops_scripts_styles_comments():
    html = "<style>p{}</style><script>var a='<p>x</p>';</script><!-- 注释 --><p>正文&amp;表格</p><noscript>请开启</noscript>"
    assert visible_text(html) == "正文&表格"
