"""Issue 24 end to end: pages that are not what their link says, crawled by `scrapy crawl portals`.

The demo portal's cases (crawler/demo/portal/pageshapes.py): a 汇总 page behind a report-titled link listing
the government's and 6 departments' reports; an archive column behind "历年年报（2014—2018年）"; reports
whose page shows a PDF in a pdf.js <iframe> (file= plain and URL-encoded), an <embed> or an <object>; a TRS
report over 3 URLs (createPageHTML), a 第N页 report over 2, a paging loop, and a report whose page 3 answers
500. Every expectation is the generator's (manifest.json: shape, pages, page_texts, error, missing_pages,
text_source, attachments; the expected texts), never our own output.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest
from sqlite_utils import Database

from crawler.demo.portal import PORTAL_DIR
from crawler.demo.portal.server import PortalServer
from pipelines.quality import bigram_f1
from tests.conftest import ROOT, run_crawl
from tests.warcfiles import warc_payloads

MANIFEST = json.loads((PORTAL_DIR / "manifest.json").read_text("utf-8"))
SITES = {s["name"]: s for s in MANIFEST["sites"]}
REPORTS = MANIFEST["reports"]
SHAPED = [r for r in REPORTS if r["shape"]]
PAGED = [r for r in REPORTS if r["pages"]]
VIEWERS = [r for r in REPORTS if (r["shape"] or "").startswith("viewer")]
LISTED = [r for r in REPORTS if (r["shape"] or "").startswith("listed-")]
LISTS = [n for n in MANIFEST["not_reports"] if n["kind"] == "list"]
CONTINUATIONS = [n for n in MANIFEST["not_reports"] if n["kind"] == "continuation"]
ARCHIVE_CAT = 9            # catId of the plain site's archive column (its own columns are 1…8)
PAGED_F1_FLOOR = 0.99   # the bar for a report joined from its pages
TEXT_F1_FLOOR = 0.95    # tests/e2e/test_crawl.py's, for a text read from a file


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shapes")
    log = tmp / "requests.log"
    with PortalServer(log=log) as server:
        done = run_crawl(server.start_urls(), tmp / "archive")
        url = server.url
    db = Database(tmp / "archive" / "reports.db")
    runs = list(db["runs"].rows)
    return {"done": done, "db": db, "url": url, "archive": tmp / "archive",
            "rows": {r["url"]: r for r in db["reports"].rows},
            "requests": [tuple(line.split("\t")) for line in log.read_text("utf-8").splitlines()],
            "stats": json.loads(runs[-1]["stats"]) if runs else {}}


def url(crawl, entry: dict, path: str | None = None) -> str:
    return crawl["url"](entry["site"], path or entry["path"])


def fetched(crawl, site: str, path: str) -> list[str]:
    "Statuses of the requests for exactly this path (and query), in order."
    return [status for s, p, status in crawl["requests"] if (s, p) == (site, path)]


def test_crawl_exits_cleanly(crawl):
    assert crawl["done"].returncode == 0, crawl["done"].stderr[-3000:]
    assert "Traceback" not in crawl["done"].stderr


# --- recall and precision on the pages of issue 24 --------------------------------------------------

def test_recall_and_precision_are_one_on_these_pages(crawl):
    """Every report of these shapes stored, and nothing else of these pages: no 汇总 or archive page, no
    continuation page, no alias of a page."""
    want = {url(crawl, r) for r in SHAPED}
    pages = want | {url(crawl, n) for n in LISTS + CONTINUATIONS}
    stored = set(crawl["rows"]) & pages
    recall, precision = len(stored & want) / len(want), len(stored & want) / max(len(stored), 1)
    assert (recall, precision) == (1.0, 1.0), (sorted(want - stored), sorted(stored - want))


@pytest.mark.parametrize("report", LISTED, ids=lambda r: r["id"])
def test_every_report_a_list_page_lists_is_stored(crawl, report):
    "The 汇总 page's and the archive column's reports, which no other list links."
    row = crawl["rows"].get(url(crawl, report))
    assert row is not None, report["id"]
    expected = (PORTAL_DIR / report["expected_text"]).read_text("utf-8")
    assert (row["title"], row["report_year"]) == (report["title"], report["report_year"])
    assert bigram_f1(row["text"], expected, title=report["title"]) >= TEXT_F1_FLOOR


@pytest.mark.parametrize("page", [pytest.param(n, id=n["path"], marks=())
                                  for n in LISTS] + [pytest.param(n, id=n["path"]) for n in CONTINUATIONS])
def test_list_pages_and_continuation_pages_are_never_rows(crawl, page):
    assert url(crawl, page) not in crawl["rows"], page["why"]


def test_a_report_titled_link_to_a_list_is_read_as_one_and_counted(crawl):
    "The 汇总 page: fetched once (its link read like a report), read for links, never stored; counted."
    (summary,) = [n for n in LISTS if "detail.jsp" in n["path"]]
    assert fetched(crawl, summary["site"], summary["path"]) == ["200"]
    assert crawl["stats"].get("xxgk/discovery/report_link_to_list", 0) >= 1


def test_every_report_titled_link_to_no_report_is_counted(crawl):
    """Read as a list and counted: the 汇总 page and the 301 from "2020年度报告" to a 决算 page (traps.py).
    The archive column's link names a span of years ("历年年报（2014—2018年）"): a column link, fetched as
    a list from the start, not a report-titled link."""
    to_lookalike = [x for x in MANIFEST["links"] if x["kind"] == "redirect"
                    and x["target"] not in {r["id"] for r in REPORTS}]
    report_titled = [n for n in LISTS if f"catId={ARCHIVE_CAT}" not in n["path"]]
    assert crawl["stats"].get("xxgk/discovery/report_link_to_list") == len(report_titled) + len(to_lookalike)


# --- paged reports ----------------------------------------------------------------------------------

@pytest.mark.parametrize("report", PAGED, ids=lambda r: r["id"])
def test_paged_report_is_one_row_of_all_its_pages(crawl, report):
    row = crawl["rows"][url(crawl, report)]
    assert json.loads(row["pages"]) == [url(crawl, report, p) for p in report["pages"]]
    expected = (PORTAL_DIR / report["expected_text"]).read_text("utf-8")
    assert bigram_f1(row["text"], expected, title=report["title"]) >= PAGED_F1_FLOOR
    # the bodies in page order: each page's first and last line where its page puts it
    at = -1
    for name in report["page_texts"]:
        lines = (PORTAL_DIR / name).read_text("utf-8").splitlines()
        for line in (lines[0], lines[-1]):
            if " | " in line:
                continue   # a table row: written as text_rows writes it, compared by the F1 above
            found = row["text"].find(line, at + 1)
            assert found > at, (name, line[:30])
            at = found
    assert row["title"] == report["title"] and row["index_no"] == report["index_no"]
    assert row["final_url"] == url(crawl, report)   # the first page's capture holds the row


@pytest.mark.parametrize("report", [r for r in PAGED if not r["error"]], ids=lambda r: r["id"])
def test_complete_paged_report_has_no_error(crawl, report):
    assert crawl["rows"][url(crawl, report)]["error"] is None
    assert not list(crawl["db"].query("select * from errors where url = ?", [url(crawl, report)]))


def test_paging_loop_ends(crawl):
    "Page 2 links page 1 as …&page=1 (the same bytes): fetched at most once, never a page of its own."
    (report,) = [r for r in PAGED if r["shape"] == "paged-loop"]
    (alias,) = [n for n in CONTINUATIONS if n["path"].endswith("&page=1")]
    assert len(fetched(crawl, alias["site"], alias["path"])) <= 1
    assert json.loads(crawl["rows"][url(crawl, report)]["pages"]) == [url(crawl, report, p) for p in report["pages"]]
    for path in report["pages"]:
        assert fetched(crawl, report["site"], path) == ["200"]


def test_a_continuation_that_fails_makes_the_report_incomplete(crawl):
    "Page 3 answers 500: the row keeps pages 1-2 with error pages:incomplete, the errors row names page 3."
    (report,) = [r for r in PAGED if r["error"]]
    row = crawl["rows"][url(crawl, report)]
    assert report["error"] in row["error"].split("; ")
    assert json.loads(row["pages"]) == [url(crawl, report, p) for p in report["pages"]]
    (error,) = crawl["db"].query("select * from errors where url = ? and stage || ':' || kind = ?",
                                 [url(crawl, report), report["error"]])
    for path in report["missing_pages"]:
        assert url(crawl, report, path) in error["message"]
        assert set(fetched(crawl, report["site"], path)) == {"500"}   # asked (and retried), never stored
    expected = (PORTAL_DIR / report["expected_text"]).read_text("utf-8")   # the pages it has
    assert bigram_f1(row["text"], expected, title=report["title"]) >= PAGED_F1_FLOOR


def test_paged_reports_are_counted(crawl):
    stats = crawl["stats"]
    assert sum(v for k, v in stats.items() if k.startswith("xxgk/discovery/paged_reports/")) == len(PAGED)
    # pages 2.. of each, the failing one's retries aside, and the loop's alias of page 1
    assert sum(v for k, v in stats.items() if k.startswith("xxgk/discovery/report_pages/")) >= \
        sum(len(r["pages"]) - 1 for r in PAGED)


# --- reports shown in a viewer --------------------------------------------------------------------


@pytest.mark.parametrize("report", VIEWERS, ids=lambda r: r["id"])
def test_the_file_a_viewer_shows_is_fetched_archived_and_listed(crawl, report):
    row = crawl["rows"][url(crawl, report)]
    assert json.loads(row["attachments"] or "[]") == [
        {"url": url(crawl, report, a["path"]), "name": a["name"], "type": a["type"]} for a in report["attachments"]]
    payloads = warc_payloads(crawl["archive"])
    files = {f["path"]: f for f in SITES[report["site"]]["files"]}
    for a in report["attachments"]:
        assert fetched(crawl, report["site"], a["path"]) == ["200"]
        data = (PORTAL_DIR / SITES[report["site"]]["root"] / files[a["path"]]["file"]).read_bytes()
        assert payloads[url(crawl, report, a["path"])] == data
    assert not [p for s, p, _ in crawl["requests"] if s == report["site"] and p.startswith("/pdfjs/")]


def test_embedded_files_are_counted(crawl):
    assert crawl["stats"].get("xxgk/discovery/embedded_files") == sum(len(r["attachments"]) for r in VIEWERS)


@pytest.mark.parametrize("report", VIEWERS, ids=lambda r: r["id"])
def test_a_viewer_report_has_its_files_text(crawl, report):
    row = crawl["rows"][url(crawl, report)]
    expected = (PORTAL_DIR / report["expected_text"]).read_text("utf-8")
    assert row.get("text_source") == "attachment"
    assert bigram_f1(row["text"] or "", expected, title=report["title"]) >= TEXT_F1_FLOOR


# --- the rebuild from WARC --------------------------------------------------------------------------

def test_rebuild_from_warc_gives_the_same_rows(crawl, tmp_path):
    out = tmp_path / "rebuilt.db"
    done = subprocess.run([sys.executable, "-m", "crawler.reprocess", str(crawl["archive"]), "--db", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    rebuilt = {r["url"]: r for r in Database(out)["reports"].rows}
    assert rebuilt.keys() == crawl["rows"].keys()
    keys = ("sha256", "pages", "title", "error", "attachments")
    for report in SHAPED:
        u = url(crawl, report)
        if u in crawl["rows"]:
            assert {k: rebuilt[u][k] for k in keys} == {k: crawl["rows"][u][k] for k in keys}, report["id"]


def test_no_page_is_fetched_twice_but_a_failing_one(crawl):
    """One request per URL, the failing continuation's retries aside (Scrapy retries a 500)."""
    counts = Counter((s, p) for s, p, status in crawl["requests"] if not status.startswith("5"))
    assert [k for k, n in counts.items() if n > 1] == []


# --- the demo's pages themselves ------------------------------------------------------------------

def page_bytes(site: str, path: str) -> bytes:
    p, _, q = path.partition("?")
    (entry,) = [f for f in SITES[site]["files"] if (f["path"], f["query"]) == (p, q)]
    return (PORTAL_DIR / SITES[site]["root"] / entry["file"]).read_bytes()


def page_text(site: str, path: str) -> str:
    return page_bytes(site, path).decode(SITES[site]["encoding"])


@pytest.mark.parametrize("report", PAGED, ids=lambda r: r["id"])
def test_each_page_of_a_paged_report_has_the_chrome_and_the_metadata_block(report):
    pages = [page_text(report["site"], p) for p in report["pages"]]
    for text in pages:
        assert f"<h1>{report['title']}</h1>" in text or f">{report['title']}<" in text
        assert report["index_no"] in text and report["publisher"] in text
        assert SITES[report["site"]]["title"] in text   # the site's header and footer
    if report["shape"] == "paged-trs":
        stem = report["pages"][0].rsplit("/", 1)[1].rpartition(".")[0]
        total = len(report["pages"]) + len(report["missing_pages"] or [])
        for i, text in enumerate(pages):
            assert f'createPageHTML({total}, {i}, "{stem}", "html")' in text
            assert f"{stem}_1.html" not in text.split("createPageHTML(_nPageCount")[0]   # only built by script
    else:
        assert ">第1页</a>" in pages[0] and ">2</a>" in pages[0] and ">下一页</a>" in pages[0]


@pytest.mark.parametrize("report", VIEWERS, ids=lambda r: r["id"])
def test_a_viewer_page_shows_its_file_and_links_it_nowhere(report):
    text = page_text(report["site"], report["path"])
    (pdf,) = [a["path"] for a in report["attachments"]]
    shown = {"viewer-pdfjs": f'<iframe src="/pdfjs/web/viewer.html?file={pdf}"',
             "viewer-pdfjs-encoded": '<iframe src="/pdfjs/web/viewer.html?file=' + pdf.replace("/", "%2F") + '"',
             "viewer-embed": f'<embed src="{pdf}"', "viewer-object": f'<object data="{pdf}"'}[report["shape"]]
    assert shown in text
    assert not [s for s in ("href=\"" + pdf, "href='" + pdf) if s in text]
    assert page_bytes(report["site"], pdf).startswith(b"%PDF-")


@pytest.mark.parametrize("report", VIEWERS, ids=lambda r: r["id"])
def test_a_viewer_pdf_holds_the_report_as_text(report):
    """The file's text layer is the report: its title and body (a table's cells each once, as a PDF
    prints them), as the generator wrote them."""
    pdfium = pytest.importorskip("pypdfium2")
    from crawler.demo.portal.generate import build_sites
    from crawler.demo.portal.model import FileLink, Table

    (article,) = [a for s in build_sites() for a in s.articles if a.id == report["id"]]
    lines = [article.title]
    for _, value in article.blocks:
        if isinstance(value, Table):
            lines += [" | ".join(c.text for c in row) for row in value.rows]
        else:
            lines.append(value.line() if isinstance(value, FileLink) else value)
    doc = pdfium.PdfDocument(page_bytes(report["site"], report["attachments"][0]["path"]))
    text = "\n".join(page.get_textpage().get_text_range() for page in doc)
    assert bigram_f1(text, "\n".join(lines)) >= PAGED_F1_FLOOR


def test_the_summary_page_lists_the_year_s_reports():
    (summary,) = [n for n in LISTS if "detail.jsp" in n["path"]]
    text = page_text(summary["site"], summary["path"])
    entries = [r for r in LISTED if r["shape"] == "listed-summary"]
    assert len(entries) == 7   # the district government and 6 departments
    for r in entries:
        assert f'<a href="{r["path"]}" target="_blank">{r["title"]}</a>' in text
    assert f"<h1 class=\"title\">{summary['title']}</h1>" in text
