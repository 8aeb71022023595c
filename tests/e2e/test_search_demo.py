"""Search on the demo crawl, against the demo portal's source texts: a Simplified or Traditional term of
any length finds every report, of either script, whose source says it; through `sqlite-utils search`
as the README shows it, and through the reading room's query (pipelines.store.search.where_clause)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.demo.portal import PORTAL_DIR
from pipelines.script import to_simplified
from pipelines.store.search import where_clause

QUERIES = ["政务公开", "政務公開", "行政复议", "依申请公开", "公开", "預算", "预算", "复议", "税", "费"]


def expected(demo_archive, query: str) -> set[str]:
    "The URLs of the reports whose source text (title and body, in Simplified) holds the term."
    term = to_simplified(query)
    return {demo_archive["urls"][r["id"]] for r in demo_archive["manifest"]["reports"]
            if term in to_simplified(r["title"] + "\n" + (PORTAL_DIR / r["expected_text"]).read_text("utf-8"))}


def sqlite_utils_search(db: Path, table: str, query: str) -> set[str]:
    column = "url" if table == "reports" else "title"
    out = subprocess.run([str(Path(sys.executable).parent / "sqlite-utils"), "search", str(db), table, query,
                          "-c", column, "--nl"], capture_output=True, text=True, check=True).stdout
    return {json.loads(line)[column] for line in out.splitlines()}


@pytest.mark.parametrize("query", QUERIES)
def test_the_reading_room_query_finds_what_the_sources_say(demo_archive, query):
    db = Database(demo_archive["db"])
    where, params = where_clause(query)
    found = {r["url"] for r in db.query(f"select url from reports where {where}", params)}
    assert found == expected(demo_archive, query)
    assert found, query


@pytest.mark.parametrize("query", ["政务公开", "行政复议", "公开", "复议", "税", "费"])
def test_sqlite_utils_search_finds_both_scripts(demo_archive, query):
    db = Database(demo_archive["db"])
    hits = expected(demo_archive, query)
    assert any(db["reports"].get(u)["script"] == "hant" for u in hits), "the case needs a Traditional report"
    if len(query) >= 3:
        assert sqlite_utils_search(demo_archive["db"], "reports", query) == hits
    else:   # one or two characters: the terms index, by name (its title column reads reports.title)
        titles = {db["reports"].get(u)["title"] for u in hits}
        assert sqlite_utils_search(demo_archive["db"], "reports_terms", query) == titles


@pytest.mark.parametrize("query", ["公开", "预算", "复议", "信息", "年度"])
def test_a_two_character_query_returns_the_rows_like_returns(demo_archive, query):
    db = Database(demo_archive["db"])
    where, params = where_clause(query)
    found = {r["url"] for r in db.query(f"select url from reports where {where}", params)}
    like = {r["url"] for r in db.query("select url from reports where text_hans like :q or text like :q "
                                       "or title like :q", {"q": f"%{query}%"})}
    assert found == like
