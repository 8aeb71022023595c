"""Issue 22: nothing vanishes silently. One crawl, through the real `scrapy crawl` command, of the hostile
portal (tests/hostile): a gzip bomb that unpacks to 5 GiB, a real report gzip-compressed past the page
limit, a gzip stream cut short, bodies shorter than announced, a bodyless report page, an empty list
page and attachment; and three portals that yield nothing (a homepage redirecting off its host, a
robots.txt forbidding everything, an empty homepage). Every response that is not stored is one
`errors` row of its kind; every portal that yields nothing says why. Cases: tests/hostile/cases.py.
"""
from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from tests.conftest import run_crawl
from tests.hostile import cases
from tests.hostile.server import HostileServer

# the default page limit (8 MiB): the bomb's 5 MB of gzip arrive whole, and it is the unpacking that stops
SETTINGS = ("DOWNLOAD_TIMEOUT=5", f"XXGK_PAGE_MAXSIZE={cases.PAGE_MAXSIZE}")


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    with HostileServer(log=tmp / "responses.log") as server:
        done = run_crawl(server.start_urls(), tmp / "archive", *SETTINGS, timeout=240)
        responses = server.responses()
        urls = {f["name"]: server.url(f["path"]) for f in cases.FAULTS}
        urls.update(good=server.url(cases.GOOD["path"]), empty_list=server.url(cases.EMPTY_LIST),
                    attachment=server.url(cases.ATTACHMENT),
                    **{host: server.url("/", host) for host in cases.PORTAL_HOSTS},
                    elsewhere=server.url("/", cases.ELSEWHERE))
    db = Database(tmp / "archive" / "reports.db")
    yield {"done": done, "db": db, "urls": urls, "responses": responses}
    db.close()


def errors_for(crawl, url: str) -> list[tuple]:
    return [(r["stage"], r["kind"], r["message"]) for r in
            crawl["db"].query("select stage, kind, message from errors where url = ?", [url])]


def test_the_run_finishes(crawl):
    assert crawl["done"].returncode == 0, crawl["done"].stderr[-3000:]
    (run,) = crawl["db"].query("select finish_reason from runs")
    assert run["finish_reason"] == "finished"


def test_the_good_report_is_stored(crawl):
    row = crawl["db"]["reports"].get(crawl["urls"]["good"])
    assert row["text"] and row["error"] is None
    assert errors_for(crawl, crawl["urls"]["good"]) == []


@pytest.mark.parametrize("fault", [f for f in cases.FAULTS if not f.get("lead")], ids=lambda f: f["name"])
def test_a_dropped_response_is_one_errors_row_of_its_kind(crawl, fault):
    url = crawl["urls"][fault["name"]]
    assert crawl["db"]["reports"].count_where("url = ?", [url]) == 0
    errors = errors_for(crawl, url)
    assert [(stage, kind) for stage, kind, _ in errors] == [(fault["stage"], fault["kind"])]
    assert fault.get("message", "") in errors[0][2]


@pytest.mark.parametrize("fault", [pytest.param(f, id=f["name"]) for f in cases.FAULTS if f.get("lead")])
def test_a_report_page_without_text_is_never_an_empty_report(crawl, fault):
    url = crawl["urls"][fault["name"]]
    rows = [dict(r) for r in crawl["db"].query("select text, error from reports where url = ?", [url])]
    assert errors_for(crawl, url), "no errors row"
    assert all(r["text"] or r["error"] for r in rows), rows


def test_the_gzip_bomb_arrived_whole_and_was_not_unpacked_past_the_limit(crawl):
    bomb = next(f for f in cases.FAULTS if f["name"] == "gzip-bomb")
    sent = [r for r in crawl["responses"] if r["path"] == bomb["path"]]
    assert len(sent) == 1 and sent[0]["outcome"].startswith("sent ")
    size = int(sent[0]["outcome"].split()[1])
    assert size < cases.PAGE_MAXSIZE < cases.BOMB_SIZE   # under the download limit: unpacking is what stops it
    (_, _, message), = errors_for(crawl, crawl["urls"]["gzip-bomb"])
    stopped_at = int(message.rsplit("stopped at ", 1)[1].split()[0])
    assert cases.PAGE_MAXSIZE < stopped_at < cases.PAGE_MAXSIZE + (1 << 20)


@pytest.mark.parametrize("what", ["empty_list", "attachment"])
def test_an_empty_list_page_or_attachment_is_an_errors_row(crawl, what):
    errors = errors_for(crawl, crawl["urls"][what])
    assert [(stage, kind) for stage, kind, _ in errors] == [("fetch", "empty")]


NOTHING = {
    cases.REDIRECT_HOST: ("fetch", "nothing_fetched", "redirected to {elsewhere}, off the portal's hosts"),
    cases.ROBOTS_HOST: ("fetch", "nothing_fetched", "refused before download: Forbidden by robots.txt"),
    cases.EMPTY_HOST: ("fetch", "empty", "HTTP 200 with 0 bytes"),   # its own row says why: no second one
}


@pytest.mark.parametrize("host", sorted(NOTHING))
def test_a_portal_that_yields_nothing_says_why(crawl, host):
    url = crawl["urls"][host]
    stage, kind, message = NOTHING[host]
    errors = errors_for(crawl, url)
    assert [(s, k) for s, k, _ in errors] == [(stage, kind)]
    assert message.format(elsewhere=crawl["urls"]["elsewhere"]) in errors[0][2]
    name = url.split("//")[1].rstrip("/")   # a start_urls portal is named by its host
    lines = [line for line in crawl["done"].stderr.splitlines() if f"portal {name}: 0 pages fetched, because" in line]
    assert len(lines) == 1, crawl["done"].stderr[-3000:]


def test_the_portal_with_reports_is_not_reported(crawl):
    assert "portal " + crawl["urls"][cases.HOST].split("//")[1].rstrip("/") + ":" not in crawl["done"].stderr


def test_every_errors_row_is_counted_in_the_run(crawl):
    run = next(crawl["db"].query("select * from runs"))
    stats = json.loads(run["stats"])
    counted = sum(v for k, v in stats.items() if k.startswith("xxgk/errors/"))
    assert counted == crawl["db"]["errors"].count == run["errors"]
