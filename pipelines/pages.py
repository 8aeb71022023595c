"""A report paged over several URLs, made one: the bodies of its pages joined in page order.

A CMS pages a long article (TRS ``createPageHTML(3, 0, "t20240115_5521", "htm")`` and
``t20240115_5521_1.htm``, ``_2.htm``; other CMSs 第1页 2 3 下一页 under the body), each page with the full
chrome and metadata block. Each page goes through the stages on its own (its chrome, title and block
are removed as on any page); the report is the first page's metadata over every page's body.
"""
from __future__ import annotations

import dataclasses

from pipelines.clean import Cleaned
from pipelines.record import Page
from pipelines.script import detect_script
from pipelines.tables.stats import parse_stats


def join_pages(pages: list[Page]) -> Page:
    """One page for the report: the first page's capture and metadata; text, tables, attachments and
    errors of all, in order; ``pages`` the URLs. A single page comes back unchanged."""
    first = pages[0]
    if len(pages) == 1:
        return first
    texts = [p.text for p in pages if p.text]
    joined = dataclasses.replace(first, errors=[e for p in pages for e in p.errors])
    joined.pages = [p.capture.url for p in pages]
    joined.text = "\n".join(texts)
    joined.text_hans = "\n".join(p.text_hans for p in pages if p.text_hans)
    joined.pinyin_annotations = sum(p.pinyin_annotations or 0 for p in pages)
    joined.script = detect_script(joined.text)
    cleaned = [p.cleaned for p in pages if p.cleaned is not None]
    if cleaned:
        joined.cleaned = Cleaned(text="\n".join(c.text for c in cleaned),
                                 tables=[t for c in cleaned for t in c.tables],
                                 removed=[r for c in cleaned for r in c.removed],
                                 spam_found=any(c.spam_found for c in cleaned), container=cleaned[0].container)
    seen, attachments = set(), []
    for p in pages:
        for item in p.attachments or ():
            if item["url"] not in seen:
                seen.add(item["url"])
                attachments.append(item)
    joined.attachments = attachments
    if first.stats is not None:   # the tables may run over several pages: read them all together
        joined.stats = parse_stats(joined.cleaned.tables, joined.text_hans,
                                   first.metadata.report_year if first.metadata else None)
    return joined
