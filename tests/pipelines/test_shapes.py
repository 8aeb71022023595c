"""Discovery on the shapes of issue 24, page by page: the file a viewer, an <embed> or an <object> shows,
and the other pages of an article paged over several URLs (tests/data/shapes, expected.json from the
viewers' documentation)."""
from __future__ import annotations

import json

import pytest

from pipelines.discovery import canonicalize_url, extract_links, page_links, report_attachments
from tests.paths import DATA

SHAPES = DATA / "shapes"
CASES = json.loads((SHAPES / "expected.json").read_text("utf-8"))

def html(case: dict) -> str:
    return (SHAPES / case["page"]).read_bytes().decode(case["encoding"])


def params(cases: list[dict], waits: dict[str, str]) -> list:
    return [pytest.param(c, id=c["page"], marks=pytest.mark.xfail(strict=True, reason=waits[c["page"]]))
            if c["page"] in waits else pytest.param(c, id=c["page"]) for c in cases]


WITH_FILES = [c for c in CASES if c["files"] or c["viewer"]]


@pytest.mark.parametrize("case", params(WITH_FILES, {}))
def test_the_file_a_page_shows_is_its_link(case):
    urls = [link.url for link in extract_links(html(case), case["url"], case["encoding"])]
    for f in case["files"]:
        assert canonicalize_url(f["url"]) in urls, case["note"]
    for bad in case["not_links"]:
        assert canonicalize_url(bad) not in urls


@pytest.mark.parametrize("case", params(WITH_FILES, {}))
def test_the_file_a_page_shows_is_its_attachment(case):
    found = report_attachments(html(case), case["url"], case["encoding"])
    assert [(a["url"], a["type"]) for a in found] == \
        [(canonicalize_url(f["url"]), f["type"]) for f in case["files"]], case["note"]


PAGING = [c for c in CASES if c["position"] is not None or c["page"] == "one_page.html"]


@pytest.mark.parametrize("case", params(PAGING, {}))
def test_the_other_pages_of_an_article(case):
    assert page_links(html(case), case["url"], encoding=case["encoding"]) == \
        [canonicalize_url(u) for u in case["pages"]]


@pytest.mark.parametrize("case", params(PAGING, {}))
def test_which_page_of_how_many(case):
    from pipelines.discovery import article_position

    position = article_position(html(case), url=case["url"])
    assert (list(position) if position else None) == case["position"]
