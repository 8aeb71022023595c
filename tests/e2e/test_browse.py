"""The reading room in a real browser: Datasette (python -m crawler.browse, what `make browse` runs) over
a demo crawl's reports.db, pages loaded by headless Chromium, and what a reader sees on them checked
against the demo portal's source texts and manifest."""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import lxml.html
import pytest
import yaml
from sqlite_utils import Database

from crawler.browse import METADATA
from crawler.demo.portal import PORTAL_DIR
from pipelines.script import to_simplified
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def room(demo_archive):
    "The reading room on a free loopback port, for this module."
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "crawler.browse", str(demo_archive["db"]), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1).read()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                time.sleep(0.2)
        yield {"base": base, **demo_archive}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def browser() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs the Debian package)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return CHROMIUM


def seen(room, path: str, name: str) -> tuple[str, lxml.html.HtmlElement]:
    """The page as Chromium renders it: its visible text (scripts and styles out, whitespace
    collapsed) and its DOM. With XXGK_SCREENSHOTS=DIR, a screenshot of it there, for a person to look at."""
    url = room["base"] + path
    flags = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1600"]
    dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120).stdout
    if os.environ.get("XXGK_SCREENSHOTS"):
        shot = Path(os.environ["XXGK_SCREENSHOTS"]) / f"{name}.png"
        subprocess.run([*flags, f"--screenshot={shot}", url], capture_output=True, timeout=120)
    doc = lxml.html.fromstring(dom)
    for node in doc.xpath("//script|//style|//head"):
        node.drop_tree()
    return " ".join(doc.text_content().split()), doc


def source(report: dict) -> str:
    "A demo report as the portal's generator wrote it, in Simplified."
    return to_simplified(report["title"] + "\n" + (PORTAL_DIR / report["expected_text"]).read_text("utf-8"))


def test_the_home_page_introduces_the_catalogue(room):
    text, doc = seen(room, "/", "home")
    assert "xxgk-archive reading room" in text and "政府信息公开年度报告" in text
    assert doc.xpath("//a[@href='/reports/catalogue']")
    assert "_sqlite_migrations" not in text


@pytest.mark.parametrize("query", ["预算", "政務公開", "税"])
def test_a_search_in_the_catalogue_lists_the_reports_that_say_it(room, query):
    reports = room["manifest"]["reports"]
    expected = [r for r in reports if to_simplified(query) in source(r)]
    text, doc = seen(room, "/reports/catalogue?_search=" + urllib.request.quote(query), "search-" + query)
    assert f"{len(expected)} rows where search matches" in text, text[:600]
    titles = [a.text_content() for a in doc.xpath("//table[contains(@class,'rows-and-columns')]//td[contains(@class,'col-title')]//a")]
    assert sorted(titles) == sorted(r["title"] for r in expected)
    # the long columns stay on the reports' own pages
    assert "col-text" not in lxml.html.tostring(doc, encoding="unicode")


def test_a_reports_page_shows_its_title_text_and_tables(room):
    report = next(r for r in room["manifest"]["reports"] if r["id"] == "trs-table2")
    url = room["urls"][report["id"]]
    from datasette.utils import tilde_encode

    text, doc = seen(room, "/reports/reports/" + tilde_encode(url), "report")
    assert doc.xpath("string(//h2[@class='xxgk-title'])").strip() == report["title"]
    lines = (PORTAL_DIR / report["expected_text"]).read_text("utf-8").splitlines()
    assert lines[0].strip() in text                       # the text, as paragraphs
    assert doc.xpath("//div[@class='xxgk-text']/p")
    # a row of the report's first table, each of its cells a cell of an HTML table
    row = next(line for line in lines if " | " in line)
    cells = {td.text_content().strip() for td in doc.xpath("//table[@class='xxgk-table']//td")}
    assert set(row.split(" | ")) <= cells, row


def test_a_saved_query_counts_reports_by_site_and_year(room):
    pairs = {(r["site"], r["report_year"]) for r in room["manifest"]["reports"]}
    text, doc = seen(room, "/reports/reports_by_site_and_year", "by-site-and-year")
    assert f"returning {len(pairs)} rows" in text
    counts = [int(td.text_content()) for td in doc.xpath("//td[contains(@class,'col-reports')]")]
    assert sum(counts) == len(room["manifest"]["reports"])


def test_the_canned_search_finds_a_two_character_term_in_both_scripts(room):
    reports = room["manifest"]["reports"]
    expected = sum("复议" in source(r) for r in reports)
    text, _ = seen(room, "/reports/search?q=" + urllib.request.quote("復議"), "canned-search")
    assert f"returning {expected} rows" in text and expected > 0


def test_every_table_and_column_has_a_description(demo_archive):
    meta = yaml.safe_load(Path(METADATA).read_text("utf-8"))["databases"]["reports"]
    tables = meta["tables"]
    db = Database(demo_archive["db"])
    shown = [t for t in db.table_names() + db.view_names()
             if not re.search(r"_fts|_terms|^_sqlite", t) and not tables.get(t, {}).get("hidden")]
    for name in shown:
        assert tables.get(name, {}).get("description"), f"table {name} has no description"
        columns = db[name].columns_dict
        missing = [c for c in columns if not (tables[name].get("columns") or {}).get(c)]
        assert not missing, f"{name}: no description for {missing}"


def test_the_reports_table_shows_each_long_column_as_one_line(room):
    from crawler.browse.render import EXCERPT

    text, doc = seen(room, "/reports/reports", "reports-table")
    n = len(json.loads((PORTAL_DIR / "manifest.json").read_text("utf-8"))["reports"])
    assert f"{n} rows" in text
    for column in ("text", "text_hans", "tables"):
        cells = [td.text_content().strip() for td in doc.xpath(f"//td[contains(concat(' ', @class, ' '), ' col-{column} ')]")]
        assert len(cells) == n and any(cells) and all(len(c) <= EXCERPT + 1 for c in cells), column
