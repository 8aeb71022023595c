"""Gone and returned reports decided at the end of a run (pipelines.store.gone), how much an edit changed
(pipelines.store.edits), and a run's report (pipelines.store.runreport), on real reports.db files."""
from __future__ import annotations

import hashlib

import pytest

from pipelines.store import Store, edits, gone
from pipelines.store.runreport import UnknownRun, run_report

HOST = "127.0.0.9"
URLS = [f"http://{HOST}/detail.jsp?id={n}" for n in range(1, 6)]


def row(url: str, text: str, run: str, at: str, stats: dict | None = None) -> dict:
    return {"url": url, "site": HOST, "title": "2020年政府信息公开工作年度报告", "text": text,
            "sha256": hashlib.sha256(text.encode()).hexdigest(), "fetched_at": at, "report_year": 2020,
            "run_id": run, "stats": stats}


def start(store: Store, run: str, at: str) -> None:
    store.db["runs"].insert({"run_id": run, "started_at": at, "finished_at": at[:-1] + "9Z",
                             "finish_reason": "finished", "mode": "normal"}, replace=True)


def crawl(store: Store, run: str, at: str, present: list[str], *, listed=None, gaps=(), refused=(), **kw) -> dict:
    "A run that stored ``present``, listed ``listed`` (default: the same), and saw ``refused`` answer 404."
    start(store, run, at)
    for url in present:
        store.save_report(row(url, "一、总体情况", run, at))
    for url in refused:
        store.record_error(run, url, "fetch", "http_404", "HTTP 404")
    listed = present if listed is None else listed
    walk = gone.PortalWalk("p", [HOST], {u: "年报" for u in listed}, list(gaps))
    return gone.decide(store.db, gone.RunWalk(run, [walk], **kw))[0]


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "reports.db")
    crawl(s, "r1", "2024-01-01T00:00:00Z", URLS)
    yield s
    s.close()


def state(store: Store) -> dict:
    return {r["url"]: (r["gone_at"], r["gone_reason"], r["returned_at"]) for r in store.db["reports"].rows}


def test_unlisted_and_404_go_gone_and_a_listed_one_returns(store):
    verdict = crawl(store, "r2", "2024-01-02T00:00:00Z", URLS[2:4], refused=[URLS[4]], listed=URLS[2:])
    assert verdict["walk"] == "complete" and verdict["gone"] == 3
    assert state(store)[URLS[0]] == ("r2", "unlisted", None)
    assert state(store)[URLS[4]] == ("r2", "http_404", None)
    # listed again: the unlisted one is back, the 404 one (listed all along) only once it answers
    crawl(store, "r3", "2024-01-03T00:00:00Z", URLS[:4], listed=URLS)
    now = state(store)
    assert now[URLS[0]] == (None, None, "r3") and now[URLS[4]] == ("r2", "http_404", None)
    crawl(store, "r4", "2024-01-04T00:00:00Z", URLS)
    assert state(store)[URLS[4]] == (None, None, "r4")
    assert store.db["reports"].count == 5


@pytest.mark.parametrize("gap", [{"gaps": ["list:http_500"]}, {"gaps": ["list_page_limit"]},
                                 {"mode": "window"}, {"resumed": True}, {"finish_reason": "shutdown"},
                                 {"cluster": True}])
def test_an_incomplete_walk_concludes_nothing_unlisted_but_a_404_still_counts(store, gap):
    verdict = crawl(store, "r2", "2024-01-02T00:00:00Z", URLS[1:3], refused=[URLS[4]], **gap)
    assert verdict["walk"] != "complete"
    assert {u for u, s in state(store).items() if s[0]} == {URLS[4]}


def test_a_portal_losing_every_report_at_once_is_a_problem_not_deletions(store):
    verdict = crawl(store, "r2", "2024-01-02T00:00:00Z", [], listed=[])
    assert verdict["problem"] and verdict["gone"] == 0
    assert not any(s[0] for s in state(store).values())
    assert store.db["report_events"].count == 0


def test_changed_chars_counts_what_an_edit_added_and_removed():
    text = "一、总体情况\n本年度共收到申请10件。\n二、主动公开情况"
    assert edits.changed_chars(text, text) == (0, 0)
    assert edits.changed_chars(text, text.replace("共收到", "共依法收到")) == (2, 0)
    assert edits.changed_chars(text, text.replace("\n二、主动公开情况", "")) == (0, len("二、主动公开情况"))
    assert edits.changed_chars(text, text + "\n三、其他") == (len("三、其他"), 0)
    big = "甲" * (edits.CHAR_DIFF_LIMIT + 1)
    assert edits.changed_chars("头\n" + big, "头\n" + big + "乙") == (len(big) + 1, len(big))   # counted whole


def test_versions_say_how_much_changed_and_whether_the_figures_did(tmp_path):
    store = Store(tmp_path / "reports.db")
    url = URLS[0]
    figures = {"template": "2019", "values": [{"section": "申请", "row_key": "本年新收政府信息公开申请数量",
                                              "col_key": "总计", "value": 10, "raw": "10"}], "checks": []}
    store.save_report(row(url, "共收到申请10件。", "r1", "2024-01-01T00:00:00Z", figures))
    store.save_report(row(url, "共依法收到申请10件。", "r2", "2024-01-02T00:00:00Z", figures))
    more = {**figures, "values": [{**figures["values"][0], "value": 12, "raw": "12"}]}
    store.save_report(row(url, "共依法收到申请12件。", "r3", "2024-01-03T00:00:00Z", more))
    got = [(v["first_run"], v["chars_added"], v["chars_removed"], v["stats_changed"])
           for v in store.db.query("select * from versions order by first_seen")]
    assert got == [("r1", None, None, None), ("r2", 2, 0, 0), ("r3", 1, 1, 1)]
    store.close()


def test_run_report_tells_new_changed_gone_and_returned_per_portal(store):
    start(store, "r2", "2024-01-02T00:00:00Z")
    store.save_report(row(URLS[1], "一、总体情况（修订）", "r2", "2024-01-02T00:00:01Z"))
    crawl(store, "r2", "2024-01-02T00:00:00Z", URLS[1:])
    report = run_report(store.db, "r2")
    (portal,) = report.portals
    assert report.previous["run_id"] == "r1"
    assert [r["url"] for r in portal.changed] == [URLS[1]] and [r["url"] for r in portal.gone] == [URLS[0]]
    assert run_report(store.db, "r1").portals[0].new and run_report(store.db).run["run_id"] == "r2"
    with pytest.raises(UnknownRun):
        run_report(store.db, "nope")
