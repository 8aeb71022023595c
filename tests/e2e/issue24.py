"""What the demo portal's issue-24 cases (crawler/demo/portal/shapes.py) wait for on this branch.

The demo cases and their tests were written beside the crawler work of issue 24, which lands on main in
parallel. A test that fails here only because that work is not on this branch carries one of these marks,
strict: once the work is merged, the test passes, the suite fails on the XPASS, and the mark is lifted.
"""
from __future__ import annotations

import pytest

ARCHIVE = ("issue 24, lead: list detection (pipelines/discovery/reports.py). '历年年报（2014—2018年）' leads to an "
           "archive column; fetched as a report, its list page is judged one (title '历年年报（2014', column "
           "context) and stored, and the 5 reports it lists are never fetched")
VIEWER = ("issue 24, lead: viewer embeds (pipelines/discovery/links.py): the PDF an <iframe> pdf.js viewer "
          "(file=, URL-encoded or not), an <embed src> or an <object data> shows is the report's attachment, "
          "fetched and archived; the viewer page is not")
REPROCESS = ("issue 24, lead: python -m crawler.reprocess joins a paged report's pages (role report_page) as the "
             "crawl did")
PAGED_RERUN = ("issue 24, lead: a re-run that finds a paged report unchanged (first page 304, the others "
               "fetched again) leaves its row as it is: fetched_at, run_id and http_status are rewritten today")
ATTACHMENT_TEXT = ("issue 16 (attachments): the text of the file a viewer shows becomes the report's text, "
                   "text_source 'attachment'")


def waiting(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


def per_report(reports: list[dict], **reasons: str) -> list:
    """``reports`` as parameters, each marked with the reason its shape waits for: ``listed_archive=ARCHIVE``
    marks the reports whose manifest ``shape`` is 'listed-archive'; ``text_source_attachment=…`` those whose
    ``text_source`` is 'attachment'."""
    out = []
    for r in reports:
        keys = {f"listed_{r['shape'][7:]}" if (r.get("shape") or "").startswith("listed-") else "",
                f"text_source_{r.get('text_source')}"}
        reason = next((reasons[k] for k in sorted(keys) if k in reasons), None)
        out.append(pytest.param(r, id=r["id"], marks=waiting(reason)) if reason else pytest.param(r, id=r["id"]))
    return out
