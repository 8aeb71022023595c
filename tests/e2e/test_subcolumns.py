"""End to end: a 年报 column split into year and group sub-columns, crawled by `scrapy crawl portals`.

Two county portals in tests/data/subcolumns/ (a TRS site in GBK, a Hanweb site in UTF-8), served on
loopback by the demo portal's server. Their 政府信息公开年报 column links "2023年", "2022年度",
"乡镇（街道）", "县政府部门" (itself split into "2023年部门年报" and "2022年度") and "乡镇": lists of the
departments' and townships' reports, which the column page does not list itself. It also links a
"2022年部门预算" look-alike, and "2021年度报告", which looks like a year sub-column but is the
report itself. The manifest lists the report pages and their headings; nothing else may be stored.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator

from crawler.demo.portal.server import PortalServer
from tests import paths
from tests.conftest import ROOT, run_crawl

DATA = paths.DATA / "subcolumns"
MANIFEST = json.loads((DATA / "manifest.json").read_text("utf-8"))
REPORTS = MANIFEST["reports"]
COLUMN = "政府信息公开年报"   # the column's link text on both sites: the context every report carries


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("subcolumns")
    log = tmp / "requests.log"
    with PortalServer(root=DATA, log=log) as server:
        done = run_crawl(server.start_urls(), tmp / "archive")
        url = server.url
    db = Database(tmp / "archive" / "reports.db")
    runs = list(db["runs"].rows)
    return {"done": done, "db": db, "url": url, "archive": tmp / "archive",
            "requests": [tuple(line.split("\t")) for line in log.read_text("utf-8").splitlines()],
            "stats": json.loads(runs[-1]["stats"]) if runs else {}}


def expected(crawl) -> dict[str, dict]:
    return {crawl["url"](r["site"], r["path"]): r for r in REPORTS}


def test_crawl_exits_cleanly(crawl):
    assert crawl["done"].returncode == 0, crawl["done"].stderr[-3000:]
    assert "Traceback" not in crawl["done"].stderr


def test_every_report_of_every_sub_column_is_stored_with_its_title(crawl):
    rows = {r["url"]: r for r in crawl["db"]["reports"].rows}
    want = expected(crawl)
    assert sorted(set(want) - set(rows)) == []
    for url, report in want.items():
        assert rows[url]["title"] == report["title"], url
        assert rows[url]["report_year"] == report["report_year"], url
        assert rows[url]["error"] is None, (url, rows[url]["error"])
    assert sorted(set(rows) - set(want)) == []   # chrome, sub-column pages and look-alikes are not reports
    assert list(crawl["db"].query("select url, stage, kind from errors")) == []


def test_lookalike_is_neither_stored_nor_fetched(crawl):
    rows = {r["url"] for r in crawl["db"]["reports"].rows}
    for page in MANIFEST["not_reports"]:
        assert crawl["url"](page["site"], page["path"]) not in rows
        assert not [p for s, p, _ in crawl["requests"] if s == page["site"] and p == page["path"]]
    assert crawl["stats"].get("xxgk/discovery/rejected/lookalike:budget", 0) >= 1


def test_sub_columns_are_walked_as_lists(crawl):
    stats = crawl["stats"]
    # 2023年, 2022年度 (TRS); 2022年度 under 县政府部门, and 2021年度报告 (Hanweb)
    assert stats.get("xxgk/discovery/followed/subcolumn:year") == 4
    # 乡镇（街道） (TRS); 县政府部门, 乡镇, 2023年部门年报 (Hanweb)
    assert stats.get("xxgk/discovery/followed/subcolumn:group") == 4
    fetched = Counter((s, p) for s, p, _ in crawl["requests"])
    assert fetched[("trs-qingxi", "/xxgk/c100231/index_1.html")] == 1   # a sub-column's own paging


def test_year_link_to_a_report_is_fetched_again_as_one(crawl):
    """'2021年度报告' on the column page is followed as a year sub-column; the page is the report, so it is
    asked for once more as a report: one row, two fetches, and only the second is a report capture."""
    (report,) = [r for r in REPORTS if r.get("listed_as")]
    fetched = [status for s, p, status in crawl["requests"] if s == report["site"] and p == report["path"]]
    assert fetched == ["200", "200"]
    assert crawl["stats"].get("xxgk/discovery/subcolumn_as_report") == 1
    url = crawl["url"](report["site"], report["path"])
    roles = [role for target, role, _ in warc_contexts(crawl["archive"]) if target == url]
    assert roles == ["list", "report"]


def test_reports_carry_the_columns_name(crawl):
    "An ambiguous title ('青溪县卫生健康委员会2023年度报告') is settled by the list it came from."
    contexts = {url: context for url, role, context in warc_contexts(crawl["archive"]) if role == "report"}
    assert {url: contexts.get(url) for url in expected(crawl)} == {url: COLUMN for url in expected(crawl)}


def test_rebuild_from_warc_finds_the_same_reports(crawl, tmp_path):
    "The report fetched again as one is a report capture in WARC: the rebuild stores it too."
    out = tmp_path / "rebuilt.db"
    done = subprocess.run([sys.executable, "-m", "crawler.reprocess", str(crawl["archive"]), "--db", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    rebuilt = {r["url"]: r["title"] for r in Database(out)["reports"].rows}
    assert rebuilt == {url: r["title"] for url, r in expected(crawl).items()}


def warc_contexts(archive: Path) -> list[tuple[str, str | None, str | None]]:
    "(target URI, XXGK-Role, XXGK-Context) of every response and revisit record, in order."
    out = []
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit"):
                    h = record.rec_headers
                    role, context = h.get_header("XXGK-Role"), h.get_header("XXGK-Context")
                    out.append((h.get_header("WARC-Target-URI"), role and unquote(role),
                                context and unquote(context)))
    return out
