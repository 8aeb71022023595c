"""The metadata block (目录信息) and bylines, read by label text, never by position (domain.md §3.5).

The page becomes a list of visible lines ("segments", each with the block element it came from);
labels are found in them with labels.py. See ``read_pairs`` for how a label meets its value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from pipelines.labels import LABEL_RE, LABELS, OTHER_LABELS, normalize_label, spaced
from pipelines.metadata.html import CJK, CJK_RE, norm_space, squash

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul br option".split())
# elements that hold one label/value pair (value may sit in a child block)
_PAIR_TAGS = frozenset({"tr", "li", "dd", "dt"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BODY_IDS = frozenset({"zoom", "zoomcon", "UCAP-CONTENT", "ucap-content", "vsb_content", "Zoom", "fontzoom"})
_BODY_CLASSES = frozenset({"TRS_Editor", "TRS_UEDITOR", "trs_editor_view", "article-content", "main-txt",
                           "pages_content", "art_con", "zw", "wzcon", "news_content", "con_text"})
# inside the body, stop after this many segments in a row that hold no label
_BODY_PATIENCE = 8
# without a known body container, stop after this many prose lines below the title
_PROSE_PATIENCE = 4
_PROSE_CHARS = 50
_MAX_VALUE = 100
# a metadata line, even a run of several pairs, is shorter than this; a longer one is prose
_LONGEST_LINE = 160
_MAX_SEGMENTS = 1500
# 'label:' inline runs may start after a short lead-in ('【', '信息'), never deep inside prose
_MAX_LEAD = 20

_KNOWN_LABELS = sorted({v for vs in LABELS.values() for v in vs} | set(OTHER_LABELS), key=len, reverse=True)
# a segment that is only a known label: table cells carry no colon ('索引号' | value)
_PURE_LABEL_RE = re.compile(r"^(" + "|".join(spaced(label) for label in _KNOWN_LABELS) + r")\s*[:：]?$")
# norm_space leaves at most one space between characters: such a segment is at most a label's
# characters, a space after each but the last, a space and a colon
_PURE_LABEL_MAX = 2 * max(len(label) for label in _KNOWN_LABELS) + 1
# an unknown label ('责任部门：' on 07), trusted only inside a block that has known labels too
_GENERIC_LABEL_RE = re.compile(f"^([{CJK}]{{2,8}}|[{CJK}](?:\\s+[{CJK}]){{1,7}})\\s*[:：]\\s*(.*)$")
_VALUE_SEPARATORS = " \t|｜丨"
_BRACKETS = {"【": "】", "[": "]", "（": "）", "(": ")", "〔": "〕"}
_CLOSERS = {close: open_ for open_, close in _BRACKETS.items()}
_CLOSING = {"【": "】", "[": "]", "〔": "〕"}


class Segment:
    "One line of visible text, as a reader sees it, and the block element it came from."
    __slots__ = ("text", "block", "in_body", "heading")

    def __init__(self, text: str, block, in_body: bool, heading: bool = False):
        self.text, self.block, self.in_body, self.heading = text, block, in_body, heading

    @property
    def group(self):
        """The element holding one pair: the nearest tr/li/dd/dt, else the block's parent (so that
        sibling <div>label</div><div>value</div> pair up)."""
        node = self.block
        while node is not None:
            if node.tag in _PAIR_TAGS:
                return node
            node = node.getparent()
        return self.block.getparent() if self.block.getparent() is not None else self.block


@dataclass
class Pair:
    label: str            # normalised ('索引号')
    value: str
    known: bool           # a labels.py label, or a generic one awaiting confirmation
    group: object         # the element holding this pair (tr, dd, li, or the parent of its blocks)


def _is_body_container(el) -> bool:
    if el.tag == "ucapcontent" or el.get("id") in _BODY_IDS:
        return True
    if el.tag == "meta" and (el.get("name") or "").lower() == "contentstart":
        return True
    cls = el.get("class")
    return bool(cls) and not _BODY_CLASSES.isdisjoint(cls.split())


def _label_matches(text: str) -> list[re.Match]:
    """Inline 'label：' matches in a line. Two-character labels (时间, 来源, 分类) must not be glued
    to a preceding CJK character: '办理时间：' and '单位名称：' are not metadata labels."""
    out = []
    if ":" not in text and "：" not in text:  # every label ends in a colon: without one, no regex
        return out
    for m in LABEL_RE.finditer(text):
        if len(normalize_label(m.group(1))) <= 2 and m.start() > 0 and CJK_RE.match(text[m.start() - 1]):
            continue
        out.append(m)
    return out


def _clean_value(value: str) -> str:
    """Whitespace normalised, separators and *unbalanced* brackets trimmed: '【发布时间：X】' leaves
    'X】', but a 文号 '[2021]3号' keeps its brackets."""
    value = norm_space(value).strip(_VALUE_SEPARATORS)
    if not value.strip("".join(_BRACKETS) + "".join(_CLOSERS) + _VALUE_SEPARATORS):
        return ""  # '【】': an empty value in brackets
    if len(value) > 1 and _BRACKETS.get(value[0]) == value[-1] and value[-1] not in value[1:-1]:
        value = value[1:-1].strip(_VALUE_SEPARATORS)  # '【X政办〔2021〕1号】': a wrapper, not part of it
    while value:
        first, last = value[0], value[-1]
        if first in _BRACKETS and _BRACKETS[first] not in value[1:] or first in _CLOSERS:
            value = value[1:].strip(_VALUE_SEPARATORS)
        elif last in _CLOSERS and _CLOSERS[last] not in value[:-1] or last in _BRACKETS:
            value = value[:-1].strip(_VALUE_SEPARATORS)
        else:
            break
    return value


def read_segments(tree, title_el, title: str | None = None) -> tuple[list[Segment], list[Segment], list[str]]:
    """Visible lines before the body and the first lines of it, lines after the body, and the
    prose lines below the title (a stand-in for the body when the caller has no cleaned text).

    One walk; it stops early, so long pages cost little more than their head."""
    root = tree.find("body")
    if root is None:
        root = tree
    title_key = squash(title) or None
    before: list[Segment] = []
    after: list[Segment] = []
    prose: list[str] = []
    buf: list[str] = []
    blocks = [root]
    # how many of ``blocks`` are headings (or the title): a line inside any of them is a heading
    headings = int(_heads(root, title_el))
    body = None
    body_done = False
    idle = 0
    below_title = title_el is None
    prose_seen = 0
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))

    def flush() -> bool:
        "End the current line; False once enough has been read."
        nonlocal idle, prose_seen
        text = norm_space("".join(buf))
        buf.clear()
        if not text:
            return True
        in_body = body is not None and not body_done
        # squash only shortens a line: one shorter than the title cannot be it
        heading = headings > 0 or (title_key is not None and len(text) >= len(title_key) and squash(text) == title_key)
        seg = Segment(text, blocks[-1], in_body, heading)
        (after if body_done else before).append(seg)
        # a metadata line starts with its label; prose that mentions '时间：' deep inside does not count
        lead = None
        if len(text) < _LONGEST_LINE:
            head = text[:_MAX_LEAD + 12]
            if ":" in head or "：" in head:  # every label ends in a colon: without one, no regex
                lead = LABEL_RE.search(head)
        has_label = (lead is not None and lead.start() <= 4) or _pure_label(text) is not None
        if below_title and not has_label and len(prose) < 12:
            prose.append(text)
        if in_body:
            idle = 0 if has_label else idle + 1
        elif body is None and below_title and len(text) >= _PROSE_CHARS and not has_label:
            prose_seen += 1
            if prose_seen >= _PROSE_PATIENCE:
                return False
        # a block is a few dozen lines: past this, the page is label soup or one long body
        return len(before) < _MAX_SEGMENTS and len(after) < _MAX_SEGMENTS // 4

    muted = False  # inside the body, past the lines worth reading
    skipped: set = set()  # the elements themselves: id() of an lxml proxy is reused once it is freed
    for event, el in walker:
        if event == "comment" or event == "pi":  # only the tail of a comment is text
            if not muted and el.tail:
                buf.append(el.tail)
            continue
        tag = el.tag
        if event == "start":
            if muted:
                walker.skip_subtree()
                skipped.add(el)
                continue
            if body is None and _is_body_container(el):
                if not flush():
                    break
                # ContentStart (an empty <meta>) marks the start of its parent's body
                body = el.getparent() if tag == "meta" and el.getparent() is not None else el
            if tag in _BLOCK_TAGS:
                if not flush():
                    break
                blocks.append(el)
                headings += _heads(el, title_el)
            if el.text:
                buf.append(el.text)
            continue
        if el in skipped:
            continue
        if el is title_el:
            below_title = True
        if tag in _BLOCK_TAGS:
            if not flush():
                break
            headings -= _heads(blocks.pop(), title_el)
        if el is body and not body_done:
            if not flush():
                break
            body_done, muted = True, False
            if any(_label_matches(s.text) or _pure_label(s.text) for s in before):
                break  # the block was above the body; the footer has nothing for us
        elif body is not None and not body_done and idle >= _BODY_PATIENCE:
            muted = True
        if not muted and el.tail:
            buf.append(el.tail)
    else:
        flush()
    return before, after, prose


def _heads(block, title_el) -> bool:
    return block.tag in _HEADING_TAGS or block is title_el


def _pure_label(text: str) -> re.Match | None:
    "``_PURE_LABEL_RE.match`` for a line as read_segments makes it (norm_space'd)."
    return _PURE_LABEL_RE.match(text) if len(text) <= _PURE_LABEL_MAX else None


def read_pairs(segments: list[Segment]) -> list[Pair]:
    """Label/value pairs, read by label text. A label alone on its line (table cell, <dt>, UCAP
    <label>) takes the next line as its value only when both sit in the same pair element; an
    inline run splits at each known label, so an empty value never swallows the next label."""
    pairs: list[Pair] = []
    pending: tuple[str, bool, object] | None = None  # (label, known, group)

    def add(label: str, value: str, known: bool, group) -> None:
        if len(value) <= _MAX_VALUE:
            pairs.append(Pair(label, value, known, group))

    for seg in segments:
        text = seg.text
        inline = _label_matches(text)
        pure = _pure_label(text)
        # the generic label ends in a colon too
        generic = None if (inline or pure or (":" not in text and "：" not in text)) else _GENERIC_LABEL_RE.match(text)
        if pending is not None:
            label, known, group = pending
            pending = None
            joins = seg.group is group or (group.tag == "dt" and seg.group.tag == "dd"
                                           and seg.group.getprevious() is group)
            if joins and not seg.heading and not inline and not pure and not generic and len(text) <= _MAX_VALUE:
                add(label, _clean_value(text), known, group)
                continue
            add(label, "", known, group)
        if pure:
            pending = (normalize_label(pure.group(1)), True, seg.group)
        elif inline and inline[0].start() <= _MAX_LEAD:
            for i, m in enumerate(inline):
                end = inline[i + 1].start() if i + 1 < len(inline) else len(text)
                closing = _CLOSING.get(text[:m.start()].rstrip()[-1:])
                if closing and closing in text[m.end():end]:
                    # '【浏览次数：】【字体：大 中 小】': a bracketed pair ends at its bracket
                    end = text.index(closing, m.end())
                value = _clean_value(text[m.end():end])
                label = normalize_label(m.group(1))
                if not value and i + 1 == len(inline):
                    pending = (label, True, seg.group)  # 'label：' ends the line: value may follow
                else:
                    add(label, value, True, seg.group)
        elif generic:
            label, value = normalize_label(generic.group(1)), _clean_value(generic.group(2))
            if value:
                add(label, value, False, seg.group)
            else:
                pending = (label, False, seg.group)
    if pending is not None:
        label, known, group = pending
        add(label, "", known, group)
    # an unknown label counts when known labels vouch for its block: the same <dl>/<table>/<ul>
    # (pair elements dd/tr/li), or the same container of <p>/<div> lines; never the page body
    # itself ('您当前的位置：' is chrome, not metadata)
    # (sets of elements, not id()s: an lxml proxy's id is reused once it is freed)
    groups = {p.group for p in pairs if p.known}
    blocks = {p.group.getparent() for p in pairs if p.known and p.group.tag in _PAIR_TAGS}
    return [p for p in pairs if p.known or (
        p.group.tag not in ("body", "html")
        and (p.group in groups or (p.group.tag in _PAIR_TAGS and p.group.getparent() in blocks)))]
