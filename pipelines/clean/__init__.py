"""Cleaning stage: decoded HTML -> report body text, tables and an audit of what was removed.

Pure (no scrapy). Stages, each in its own module: 1 DOM hygiene (clean_dom), 2 body location
(here), 3 rendering to lines and tables (clean_render), 4 spam/chrome/metadata/title removal
(clean_lines). Thresholds come from ``CleanOptions``, built once by the caller from settings.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipelines.clean import dom as clean_dom
from pipelines.clean import lines as clean_lines
from pipelines.clean.locate import _squash, locate_body
from pipelines.clean.options import CleanOptions
from pipelines.clean.render import Renderer
from pipelines.clean.spam import lexicon_terms, looks_like_spam
from pipelines.html import ParsedPage, parse_page
from pipelines.tables import Table

__all__ = ["Cleaned", "CleanOptions", "clean_html", "locate_body"]

if TYPE_CHECKING:
    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)


@dataclass
class Cleaned:
    "The cleaned page; ``text`` is what the reports table stores (contract.md)."
    text: str
    tables: list[Table] = field(default_factory=list)   # pipelines.tables.Table: cells with their spans
    removed: list[dict] = field(default_factory=list)
    spam_found: bool = False
    container: str | None = None


def clean_html(html: str, *, title: str | None = None, options: CleanOptions | None = None,
               page: ParsedPage | None = None) -> Cleaned:
    """Clean one decoded page.

    Args:
        html: the decoded page (str; decoding is the previous stage's job).
        title: the report heading, so that a leading copy of it is left out of ``text``.
        options: thresholds; defaults when None.
        page: ``html`` as the other stages parsed it (``pipelines.html.parse_page``); the cleaner
            changes its tree, so it reads it last. Parsed here when None.
    Returns:
        A ``Cleaned``. A failure raises: the stage runner records it as the page's error.
    """
    options = options or CleanOptions()
    removed: list[dict] = []
    parsed = page if page is not None else parse_page(html)
    root, tail = parsed.root, parsed.tail
    # 1. DOM hygiene: text after the last </html>, never-text tags, hidden subtrees
    spam = False
    if root is not None:
        spam = clean_dom.drop_unwanted(root, _PROTECT_XPATH, removed, options)
    if tail.strip():
        root, tail_spam = _judge_tail(root, parsed, removed, options)
        spam |= tail_spam
    if root is None:
        return Cleaned(text="", removed=removed, spam_found=spam)
    # 2. body location: known CMS containers, then trafilatura, then the whole body
    body, container = locate_body(root, options)
    # 3. rendering: lines and tables (a metadata table is dropped here)
    renderer = Renderer(keep_table=lambda table: _keep_table(table, removed))
    renderer.render(body)
    lines = renderer.lines
    # 4. line-level removal: spam runs, chrome, the metadata block, the title copy
    lines, line_spam = clean_lines.remove_spam(lines, options, removed)
    lines = clean_lines.remove_chrome(lines, removed)
    lines = clean_lines.remove_metadata(lines, removed)
    lines = clean_lines.remove_title(lines, title, removed)
    kept_tables = sorted({l.table for l in lines if l.table is not None})
    return Cleaned(
        text="\n".join(l.text for l in lines),
        tables=[renderer.tables[i] for i in kept_tables],
        removed=removed,
        spam_found=spam or line_spam,
        container=container,
    )


def _keep_table(table: Table, removed: list[dict]) -> bool:
    if clean_lines.is_metadata_table(table):
        removed.append(clean_dom.audit("metadata", " / ".join(table.text_rows())))
        return False
    return True


def _judge_tail(root: HtmlElement | None, parsed: ParsedPage, removed: list[dict],
                options: CleanOptions) -> tuple[HtmlElement | None, bool]:
    """Decide about text after the last </html>: spam-shaped -> drop and flag; the only
    substantial text of the page -> keep (a broken template); otherwise drop as appended junk."""
    tail_root = parsed.tail_root
    if tail_root is None:
        return root, False
    hidden_spam = clean_dom.drop_unwanted(tail_root, None, removed, options)
    text = clean_dom.element_text(tail_root)
    if not text:
        return root, hidden_spam
    if looks_like_spam(text, options):
        removed.append(clean_dom.audit("spam", text))
        return root, True
    page_chars = len(_squash(root.text_content())) if root is not None else 0
    if page_chars < options.min_tail_chars <= len(_squash(text)):
        if root is None:
            return tail_root, hidden_spam
        body, tail_body = root.find("body"), tail_root.find("body")
        (body if body is not None else root).extend(list(tail_body if tail_body is not None else tail_root))
        return root, hidden_spam
    # appended after </html> is junk already; with two gambling terms it is an injection, even
    # when too short to be run-shaped
    if len(lexicon_terms(text)) >= 2:
        removed.append(clean_dom.audit("spam", text))
        return root, True
    removed.append(clean_dom.audit("after_html", text))
    return root, hidden_spam


# a body container is never dropped for carrying a stylesheet-hidden class
_PROTECT_XPATH = "descendant-or-self::*[self::ucapcontent or @id='UCAP-CONTENT' or @id='zoom' or " \
                 "contains(@class, 'TRS_Editor') or contains(@class, 'TRS_UEDITOR') or " \
                 "self::meta[@name='ContentStart']]"
