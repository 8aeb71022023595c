"""Issue 23: the demo portal's pages in three shapes real portals have (crawler/demo/portal/shapes.py),
through ``pipelines.extract`` as a crawl would store them.

A table-bodied article after ~195 KB of menu, spam glued inside the last paragraph after a legitimate
sentence, and pages whose only title is the <title> with the site's name. Expected values come from
the generator (manifest.json, expected/*.txt, shapes.py), never from our output.
"""
from __future__ import annotations

import json

import pytest

from crawler.demo.portal import PORTAL_DIR
from crawler.demo.portal.shape_pages import FUNCTIONS_BLURB, UNITS_BLURB
from crawler.demo.portal.shapes import LEGIT_CLOSING
from pipelines.extract import extract_page
from pipelines.quality import bigram_f1

MANIFEST = json.loads((PORTAL_DIR / "manifest.json").read_text("utf-8"))
SITES = {s["name"]: s for s in MANIFEST["sites"]}
SHAPED = [r for r in MANIFEST["reports"] if r.get("family")]
FIELDS = ("title", "index_no", "publisher", "published", "written", "doc_no", "category", "report_year")
# Word's document properties the TRS pages carry, in comments and as bare elements
WORD_JUNK = ("Administrator", "7.8 磅", "MicrosoftInternetExplorer4", "微软中国")


def _row(rep: dict) -> dict:
    site = SITES[rep["site"]]
    path, _, query = rep["path"].partition("?")
    (entry,) = [f for f in site["files"] if f["path"] == path and f["query"] == query]
    body = (PORTAL_DIR / site["root"] / entry["file"]).read_bytes()
    return extract_page(body, url=f"http://{site['host']}{rep['path']}", content_type=entry["content_type"])


@pytest.fixture(scope="module")
def rows() -> dict[str, dict]:
    return {rep["id"]: _row(rep) for rep in SHAPED}


def test_every_family_has_pages():
    assert {r["family"] for r in SHAPED} == {"table-body", "glued-spam", "site-title"}
    assert len([r for r in SHAPED if r["family"] == "site-title"]) >= 4


@pytest.mark.parametrize("rep", SHAPED, ids=lambda r: r["id"])
def test_text_is_the_report(rows, rep):
    row = rows[rep["id"]]
    expected = (PORTAL_DIR / rep["expected_text"]).read_text("utf-8")
    assert bigram_f1(row["text"], expected, title=rep["title"]) >= 0.99
    assert not [junk for junk in WORD_JUNK if junk in row["text"]]


@pytest.mark.parametrize("rep", SHAPED, ids=lambda r: r["id"])
def test_title_and_metadata_are_the_pages(rows, rep):
    row = rows[rep["id"]]
    assert {f: row[f] for f in FIELDS} == {f: rep[f] for f in FIELDS}


@pytest.mark.parametrize("rep", [r for r in SHAPED if r["family"] == "table-body"], ids=lambda r: r["id"])
def test_the_table_is_the_body_not_the_menus_blurb(rows, rep):
    row = rows[rep["id"]]
    assert FUNCTIONS_BLURB not in row["text"] and UNITS_BLURB not in row["text"]
    assert row["text"].splitlines()[0].startswith("序号 | 公开事项")
    assert LEGIT_CLOSING in row["text"]


@pytest.mark.parametrize("rep", [r for r in SHAPED if r["family"] == "glued-spam"], ids=lambda r: r["id"])
def test_glued_spam_goes_and_the_sentence_stays(rows, rep):
    row = rows[rep["id"]]
    words = set(rep["spam_text"].split())
    assert row["text"].splitlines()[-1] == LEGIT_CLOSING
    assert not [w for w in words if w in row["text"]] and row["spam_found"] == 1
    spam = [r["text"] for r in json.loads(row["removed"]) if r["kind"] == "spam"]
    assert spam and all(set(text.split()) <= words for text in spam)
    assert not [r for r in json.loads(row["removed"]) if LEGIT_CLOSING in r["text"]]
