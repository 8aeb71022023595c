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

VIEWER = ("issue 24, lead: viewer embeds (pipelines/discovery/links.py): the file a viewer's file=/url=/src=/"
          "furl= names, an <embed src>, an <object data>, is the page's link and attachment, not the viewer")
RELATIVE = VIEWER + "; pdf.js opens a relative file= against viewer.html (/pdfjs/web/), not against the page"
STREAM = VIEWER + "; kkFileView's fullfilename= names a download stream's file, and so its type"
MAY_LINK = ("issue 24, lead: may_link_attachments (pipelines/discovery/files.py) promises False only when "
            "report_attachments finds nothing; a Base64 file address (kkFileView) has no '.docx' in the bytes")
POSITION = "issue 24, lead: pipelines.discovery.article_position (page N of M of a paged article)"
SELF_LINK = POSITION + "; the current page linked too (第1页 on page 1, 第2页 on page 2: the issue writes '第1页 2 下一页')"


def html(case: dict) -> str:
    return (SHAPES / case["page"]).read_bytes().decode(case["encoding"])


def params(cases: list[dict], waits: dict[str, str]) -> list:
    return [pytest.param(c, id=c["page"], marks=pytest.mark.xfail(strict=True, reason=waits[c["page"]]))
            if c["page"] in waits else pytest.param(c, id=c["page"]) for c in cases]


WITH_FILES = [c for c in CASES if c["files"] or c["viewer"]]
# the negative cases (WPS WebOffice, a video player) hold already; a page that shows a file waits
LINKS_WAIT = {c["page"]: RELATIVE if c["page"] == "pdfjs_relative.html" else VIEWER for c in CASES if c["files"]}
ATTACHMENTS_WAIT = {**LINKS_WAIT, "kkfileview_stream.html": STREAM}


@pytest.mark.parametrize("case", params(WITH_FILES, LINKS_WAIT))
def test_the_file_a_page_shows_is_its_link(case):
    urls = [link.url for link in extract_links(html(case), case["url"], case["encoding"])]
    for f in case["files"]:
        assert canonicalize_url(f["url"]) in urls, case["note"]
    for bad in case["not_links"]:
        assert canonicalize_url(bad) not in urls


@pytest.mark.parametrize("case", params(WITH_FILES, ATTACHMENTS_WAIT))
def test_the_file_a_page_shows_is_its_attachment(case):
    found = report_attachments(html(case), case["url"], case["encoding"])
    assert [(a["url"], a["type"]) for a in found] == \
        [(canonicalize_url(f["url"]), f["type"]) for f in case["files"]], case["note"]


@pytest.mark.parametrize("case", params([c for c in CASES if c["files"]],
                                        {"kkfileview.html": MAY_LINK, "kkfileview_stream.html": MAY_LINK}))
def test_a_page_that_shows_a_file_may_link_one(case):
    """The cheap byte test that lets most report pages skip the attachment search must not skip these
    (a Base64 file address has no '.pdf' in the page's bytes)."""
    from pipelines.discovery import may_link_attachments

    assert may_link_attachments((SHAPES / case["page"]).read_bytes()), case["note"]


PAGING = [c for c in CASES if c["position"] is not None or c["page"] == "one_page.html"]


@pytest.mark.parametrize("case", params(PAGING, {}))
def test_the_other_pages_of_an_article(case):
    assert page_links(html(case), case["url"], encoding=case["encoding"]) == \
        [canonicalize_url(u) for u in case["pages"]]


@pytest.mark.parametrize("case", params(PAGING, {c["page"]: SELF_LINK if c["page"].startswith("nth_paged") else POSITION
                                                for c in PAGING}))
def test_which_page_of_how_many(case):
    from pipelines.discovery import article_position

    position = article_position(html(case))
    assert (list(position) if position else None) == case["position"]
