"""Lines as a document reader gives them → paragraphs as a report page's ``text`` holds them.

A PDF (and OCR) knows lines, not paragraphs: a sentence wrapped at the right margin comes out in two
lines, and a phrase cut by that break would escape a full-text search. A line that reaches the
margin of its block and does not end a sentence is joined to the next one.
"""
from __future__ import annotations

import re
import unicodedata

# a line ending in one of these ends its paragraph even when it reaches the margin
SENTENCE_END = frozenset("。！？：；!?:;")
# a line this close to the widest line of its block (in display width) reached the margin
MARGIN_SHARE = 0.9
# at least this wide to count as a block's margin: a table of short lines has no wrapped text
MIN_WRAP_WIDTH = 20
# page furniture: '- 3 -', '第 3 页 共 12 页', '3 / 12', a bare page number
PAGE_NUMBER_RE = re.compile(r"^[\s\-—–－·•]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,3}(?:\s*/\s*\d{1,3})?)"
                            r"[\s\-—–－·•]*$")


def width(line: str) -> int:
    "Display width: wide (CJK, full-width) characters count 2."
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def glue(left: str, right: str) -> str:
    "Join two pieces of one paragraph: no space between CJK (Chinese has none), one between words."
    if not left or not right:
        return left + right
    if is_wide(left[-1]) or is_wide(right[0]) or left[-1] in "-/":
        return left + right
    return left + " " + right


def paragraphs(lines: list[str], margin: int | None = None) -> list[str]:
    """Join the lines that wrapped at the margin (the widest line, unless the caller knows it from
    the whole document); drop blank lines and page numbers."""
    lines = [ln.strip() for ln in lines]
    lines = [ln for ln in lines if ln and not PAGE_NUMBER_RE.match(ln)]
    if not lines:
        return []
    margin = margin or max(width(ln) for ln in lines)
    out: list[str] = []
    open_ = False
    for ln in lines:
        if open_ and out:
            out[-1] = glue(out[-1], ln)
        else:
            out.append(ln)
        open_ = (margin >= MIN_WRAP_WIDTH and width(ln) >= MARGIN_SHARE * margin
                 and ln[-1] not in SENTENCE_END)
    return out


def cell_text(text: str | None) -> str:
    "A table cell's lines as one string (a cell wraps inside its column like a paragraph does)."
    if not text:
        return ""
    out = ""
    for piece in (p.strip() for p in text.splitlines()):
        out = glue(out, piece) if out else piece
    return out
