"""Search across both scripts and every term length (pipelines.store.search): the trigram index with
text_hans, the terms index for one- and two-character terms, kept in step as reports change."""
from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from pipelines.store import Store, schema
from pipelines.store.search import split_terms, terms, where_clause

HANT = "本機關2020年政務公開工作總體情況，收到行政復議申請3件，預算公開。"
HANS = "本机关2020年政务公开工作总体情况，收到行政复议申请3件。"


def row(url: str, text: str, title: str = "年度报告", when: str = "2021-01-01T00:00:00Z",
        text_hans: str | None = None) -> dict:
    return {"url": url, "title": title, "text": text, "text_hans": text_hans or text, "sha256": str(hash(text)),
            "fetched_at": when, "run_id": "r1"}


def found(db: Database, query: str) -> list[str]:
    where, params = where_clause(query)
    return sorted(r["url"] for r in db.query(f"select url from reports where {where}", params))


def like(db: Database, query: str) -> list[str]:
    "What LIKE finds: the reference. Simplified text, and the title as written and in Simplified."
    from pipelines.script import to_simplified

    hits = []
    for r in db.query("select url, title, text, text_hans from reports"):
        haystack = "\n".join(x or "" for x in (r["title"], to_simplified(r["title"] or ""), r["text"], r["text_hans"]))
        if all(t in haystack for t in split_terms(query)):
            hits.append(r["url"])
    return sorted(hits)


def store_with_both_scripts(tmp_path) -> Store:
    store = Store(tmp_path / "reports.db", fts_batch=1)
    store.save_report(row("http://h/hant", HANT, title="額濟納旗2020年政府信息公開年度報告",
                          text_hans="本机关2020年政务公开工作总体情况，收到行政复议申请3件，预算公开。"))
    store.save_report(row("http://h/hans", HANS, title="鄂温克旗2020年政府信息公开年度报告"))
    return store


def test_terms_are_every_character_and_every_adjacent_pair():
    assert set(terms("公开，税").split()) == {"公", "开", "，", "税", "公开", "开，", "，税"}
    assert terms(None, "") == ""


def test_a_simplified_query_finds_both_scripts_through_sqlite_utils_search(tmp_path):
    store = store_with_both_scripts(tmp_path)
    # the table's own index, as `sqlite-utils search … reports TERM` and Datasette's search box use it
    assert store.db["reports"].detect_fts() == "reports_fts"
    assert sorted(r["url"] for r in store.db["reports"].search("政务公开")) == ["http://h/hans", "http://h/hant"]
    # one and two characters: the terms index, by its own name
    assert {r["title"] for r in store.db["reports_terms"].search("公开")} == \
        {"額濟納旗2020年政府信息公開年度報告", "鄂温克旗2020年政府信息公开年度报告"}
    assert [r["title"] for r in store.db["reports_terms"].search("预算")] == ["額濟納旗2020年政府信息公開年度報告"]
    store.close()


def test_a_traditional_query_is_folded_and_finds_both_scripts(tmp_path):
    store = store_with_both_scripts(tmp_path)
    for query in ("政務公開", "復議", "稅 公開", "政府信息公開"):
        assert found(store.db, query) == like(store.db, query), query
    assert found(store.db, "政務公開") == ["http://h/hans", "http://h/hant"]
    assert found(store.db, "复议 申请") == ["http://h/hans", "http://h/hant"]
    assert found(store.db, "预算") == ["http://h/hant"]
    assert found(store.db, "税务") == []
    store.close()


def test_query_syntax_is_taken_as_text(tmp_path):
    store = store_with_both_scripts(tmp_path)
    for query in ('"政务', "公开*", "NOT 公开", "(复议)", "-预算", "  ", ""):
        where, params = where_clause(query)
        list(store.db.query(f"select url from reports where {where}", params))   # no FTS5 syntax error
    assert found(store.db, "") == ["http://h/hans", "http://h/hant"]
    store.close()


def test_both_indexes_follow_a_changed_and_a_deleted_report(tmp_path):
    store = store_with_both_scripts(tmp_path)
    store.save_report(row("http://h/hans", "本机关财政预算情况", when="2021-02-01T00:00:00Z"))
    assert found(store.db, "复议") == ["http://h/hant"]
    assert found(store.db, "财政") == found(store.db, "财政预算") == ["http://h/hans"]
    store.db.execute("delete from reports where url = 'http://h/hant'")   # by hand, as a user might
    store.index_pending()
    assert found(store.db, "公开") == found(store.db, "政务公开") == []
    assert store.db.execute("select count(*) from reports_terms_stale").fetchone()[0] == 0
    store.db.execute("insert into reports_fts(reports_fts) values('integrity-check')")
    # the terms index holds one entry per report left, and it is this report's
    assert store.db.execute("select count(*) from reports_terms where reports_terms match '预'").fetchone()[0] == 1
    store.close()


def test_an_archive_from_before_is_given_both_indexes_when_opened(tmp_path):
    old = Database(tmp_path / "reports.db")
    schema.migrations.apply(old, stop_before="search_both_scripts")
    old["reports"].insert(row("http://h/hant", HANT, text_hans="本机关2020年政务公开工作总体情况"))
    old.close()
    store = Store(tmp_path / "reports.db")
    assert found(store.db, "政务公开") == found(store.db, "公开") == ["http://h/hant"]
    assert store.db["reports_fts"].columns_dict.keys() >= {"title", "text", "text_hans"}
    store.close()


HAN = "公开预算税政务复议申请情况"


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(alphabet=HAN + "，。 2", min_size=0, max_size=40), min_size=1, max_size=6),
       query=st.text(alphabet=HAN + "2", min_size=1, max_size=4))
def test_any_term_finds_what_like_finds(tmp_path_factory, texts, query):
    db = Database(sqlite3.connect(":memory:"))
    schema.apply(db)
    for i, text in enumerate(texts):
        db.execute("insert into reports (url, title, text, text_hans) values (?, 't', ?, ?)", [f"u{i}", text, text])
    schema.index_pending(db)
    assert found(db, query) == like(db, query)
