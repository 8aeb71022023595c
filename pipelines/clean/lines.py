"""Stage 4 of cleaning: line-level removal of spam runs, the metadata block, chrome and the title copy.

Only block lines ('p') are judged; table rows are report data (a metadata *table* is dropped
whole while rendering, see ``is_metadata_table``). Every removal is audited in ``removed``.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .dom import audit
from .patterns import (
    CHROME_MARK_RES,
    CHROME_START_RES,
    CHROME_WORD_SPLIT_RE,
    CHROME_WORDS,
    EMPTY_BYLINE_RE,
    SENTENCE_MARK_RE,
    WEAK_CHROME_RE,
)
from .render import Line
from .spam import spam_spans, token_spans
from pipelines.labels import LABEL_RE, LABELS, OTHER_LABELS, normalize_label

if TYPE_CHECKING:
    from pipelines.clean.options import CleanOptions
    from pipelines.tables import Table

_LABEL_WORDS = frozenset(normalize_label(v) for vs in LABELS.values() for v in vs) | frozenset(
    normalize_label(v) for v in OTHER_LABELS
)
# labels too generic to prove a metadata block on their own ('时间：' can open a report line)
_WEAK_LABELS = frozenset(("时间", "時間", "来源", "來源", "名称", "名稱", "标题", "標題", "分类", "分類", "作者",
                          "编辑", "編輯", "字号", "字號"))
_QUALITY_DROP_RE = re.compile(r"[\W_]+")
META_LINE_MAX = 200        # a metadata line is short; a long line that opens with 时间： is prose
META_VALUE_MAX = 40        # a value on its own line (dl/dd layouts) is short
HEAD_WINDOW = 12           # the metadata block and title copy sit in the first lines of a body


# --- spam ---------------------------------------------------------------------------------

_RUN_BREAK = "。"   # stands in for a table row in the token stream: never part of a run


def remove_spam(lines: list[Line], options: CleanOptions, removed: list[dict]) -> tuple[list[Line], bool]:
    """Cut spam runs; a run may span consecutive block lines (one keyword per <p>/<li>), or start
    inside a line (appended to a paragraph's last sentence).

    Returns the lines left and whether any run was cut.
    """
    where: list[tuple[int, int, int]] = []      # (line index, start, end) of each token
    tokens: list[str] = []
    for i, line in enumerate(lines):
        if line.kind != "p":                    # table rows break runs
            where.append((i, 0, 0))
            tokens.append(_RUN_BREAK)
            continue
        text = line.text
        for a, b in token_spans(text):
            where.append((i, a, b))
            tokens.append(text[a:b])
    spans = spam_spans(tokens, options)
    if not spans:
        return lines, False
    cut: dict[int, list[tuple[int, int]]] = {}
    for a, b in spans:
        removed.append(audit("spam", " ".join(tokens[a:b])))
        for k in range(a, b):
            i, start, end = where[k]
            cut.setdefault(i, []).append((start, end))
    out: list[Line] = []
    for i, line in enumerate(lines):
        ranges = cut.get(i)
        if ranges is None:
            out.append(line)
            continue
        kept = _without(line.text, ranges)
        if not kept:
            continue
        # what is left stays when it is a sentence (the one the run was appended to) or most of the
        # line; else the line goes whole (the run's odd first token, a footer the run is glued to)
        if _has_sentence(kept) or len(token_spans(kept)) * 2 > len(token_spans(line.text)):
            out.append(Line(kept))
        else:
            removed.append(audit("spam", kept))
    return out, True


def _without(text: str, ranges: list[tuple[int, int]]) -> str:
    "The text with the character ranges taken out (whitespace collapsed)."
    parts, pos = [], 0
    for start, end in sorted(ranges):
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return " ".join(" ".join(parts).split())


# --- chrome ----------------------------------------------------------------------------------

CHROME_LINE_MAX = 300      # a footer line can be long (several identifiers); beyond that it is prose


def _has_sentence(text: str) -> bool:
    return bool(SENTENCE_MARK_RE.search(text))


# the start patterns as one alternation: one match() per line instead of one per pattern
_CHROME_START_RE = re.compile("|".join(f"(?:{r.pattern})" for r in CHROME_START_RES), re.I)
CHROME_WORDS_MAX = 80      # a longer line is not a row of widget words


def is_chrome_line(text: str) -> bool:
    "Strong chrome: a breadcrumb, footer identifier or widget, or a line made only of chrome words."
    if len(text) <= CHROME_LINE_MAX:
        if _CHROME_START_RE.match(text):
            return True
        # a report sentence may mention IPv6 or 扫一扫; chrome lines are not sentences
        if not _has_sentence(text) and any(r.search(text) for r in CHROME_MARK_RES):
            return True
    if len(text) > CHROME_WORDS_MAX:
        return False
    words = [w for w in CHROME_WORD_SPLIT_RE.split(text) if w]
    return bool(words) and all(w in CHROME_WORDS for w in words)


def remove_chrome(lines: list[Line], removed: list[dict]) -> list[Line]:
    """Drop chrome lines; weak footer lines (联系电话, 地址 …) only inside a footer that a strong
    chrome line opened, so a report's own contact line survives."""
    out: list[Line] = []
    in_footer = False
    for line in lines:
        text = line.text
        if line.kind != "p":
            in_footer = False
            out.append(line)
        elif is_chrome_line(text):
            in_footer = True
            removed.append(audit("chrome", text))
        elif EMPTY_BYLINE_RE.match(text) or (in_footer and WEAK_CHROME_RE.match(text)):
            removed.append(audit("chrome", text))
        else:
            in_footer = False
            out.append(line)
    return out


# --- metadata block ------------------------------------------------------------------------

def _labels_in(text: str) -> list[str]:
    return [normalize_label(m.group(1)) for m in LABEL_RE.finditer(text)]


def _meta_strength(text: str) -> int:
    """0: not a metadata line; 1: one generic label ('来源：…'); 2: one specific label
    ('索引号：…'); 3: several labels ('索引号：… 发布机构：…')."""
    if len(text) > META_LINE_MAX or not LABEL_RE.match(text):
        return 0
    labels = _labels_in(text)
    if len(labels) >= 2:
        return 3
    return 1 if labels[0] in _WEAK_LABELS else 2


def _is_label_only(text: str) -> bool:
    m = LABEL_RE.match(text)
    return bool(m) and not text[m.end():].strip()


def remove_metadata(lines: list[Line], removed: list[dict]) -> list[Line]:
    """Drop the metadata block: label lines in the head or tail of the body (and several-label
    lines anywhere), the value line after a bare label (dl/dd layouts), and generic-label lines
    that sit next to another metadata line. The metadata step reads these from the page."""
    n = len(lines)
    strength = [_meta_strength(l.text) if l.kind == "p" else 0 for l in lines]
    drop = [False] * n
    for i in range(n):
        edge = i < HEAD_WINDOW or i >= n - HEAD_WINDOW // 2
        if strength[i] == 3 or (strength[i] == 2 and edge):
            drop[i] = True
    for i in range(n):   # value lines under a bare label, and generic labels inside the block
        if drop[i] and _is_label_only(lines[i].text) and i + 1 < n and strength[i + 1] == 0 \
                and lines[i + 1].kind == "p" and len(lines[i + 1].text) <= META_VALUE_MAX:
            drop[i + 1] = True
        if strength[i] == 1 and ((i > 0 and drop[i - 1]) or (i + 1 < n and drop[i + 1])):
            drop[i] = True
    out = []
    for line, gone in zip(lines, drop):
        if gone:
            removed.append(audit("metadata", line.text))
        else:
            out.append(line)
    return out


def is_metadata_table(table: Table) -> bool:
    "A table whose cells are mostly metadata labels (索引号 | … | 发布机构 | …) is the block, not data."
    if len(table.rows) > 10:
        return False
    cells = [c.text for row in table.rows for c in row if c.text]
    if not cells:
        return False
    labels = 0
    for c in cells:
        key = normalize_label(c)
        if key in _LABEL_WORDS or (LABEL_RE.match(c) and len(c) <= META_LINE_MAX):
            labels += 1
    return labels >= 2 and labels * 3 >= len(cells)


# --- title copy ------------------------------------------------------------------------------

def _key(text: str) -> str:
    "Comparable form: no whitespace, no punctuation (as the quality measure sees it)."
    return _QUALITY_DROP_RE.sub("", text)


def remove_title(lines: list[Line], title: str | None, removed: list[dict]) -> list[Line]:
    """Drop a leading copy of the title: lines near the top that together spell the title (a
    heading split by <br>), or a first line that is a large part of it (the heading without the
    agency name). Short unpunctuated lines above such a copy are page header (site name)."""
    key = _key(title or "")
    if len(key) < 4:
        return lines
    top = min(len(lines), HEAD_WINDOW)
    for start in range(top):
        end = _spells(lines, start, key)
        if end:
            if not all(_headerish(l) for l in lines[:start]):
                return _drop_range(lines, start, end, removed, "title")
            if start:
                removed.append(audit("chrome", " ".join(l.text for l in lines[:start])))
            return _drop_range(lines, 0, end, removed, "title", start)
        if lines[start].kind == "p" and not _headerish(lines[start]):
            break
    first = next((i for i, l in enumerate(lines[:top]) if l.kind == "p"), None)
    if first is not None:
        head = _key(lines[first].text)
        if len(head) >= max(6, len(key) // 2) and head in key:
            return _drop_range(lines, first, first + 1, removed, "title")
    return lines


def _headerish(line: Line) -> bool:
    "A short line without sentence punctuation: a site name or heading, not report prose."
    return line.kind == "p" and len(line.text) <= 30 and not _has_sentence(line.text)


def _spells(lines: list[Line], start: int, key: str) -> int:
    "End index when lines[start:end] together spell ``key`` exactly, else 0."
    acc = ""
    for j in range(start, min(len(lines), start + HEAD_WINDOW)):
        part = _key(lines[j].text)
        if lines[j].kind != "p" or not part or not key.startswith(acc + part):
            return 0
        acc += part
        if acc == key:
            return j + 1
    return 0


def _drop_range(lines: list[Line], a: int, b: int, removed: list[dict], kind: str,
                audit_from: int | None = None) -> list[Line]:
    removed.append(audit(kind, " ".join(l.text for l in lines[audit_from or a:b])))
    return lines[:a] + lines[b:]
