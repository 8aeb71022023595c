"""Cleaning stage: decoded HTML -> report body text, tables and an audit of what was removed.

Pure (no scrapy). Stages, each in its own module: 1 DOM hygiene (clean_dom), 2 body location
(here), 3 rendering to lines and tables (clean_render), 4 spam/chrome/metadata/title removal
(clean_lines). Thresholds come from ``CleanOptions``, built once by the caller from settings.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from . import dom as clean_dom, lines as clean_lines
from .patterns import (
    CLASS_SPLIT_RE,
    CONTAINER_RULES,
    HANWEB_COMMENT_BEGIN,
    HANWEB_COMMENT_END,
    HANWEB_END_NAMES,
    HANWEB_START_NAMES,
)
from .render import Renderer
from .spam import lexicon_terms, looks_like_spam

if TYPE_CHECKING:
    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CleanOptions:
    "Thresholds of the cleaner (settings XXGK_CLEAN_*); defaults measured on tests/data/clean."
    spam_min_run: int = 5               # tokens in a spam run (domain.md §5.3: ≥5 short tokens)
    spam_min_hits: int = 3              # lexicon hits a run needs, whatever its length
    spam_min_distinct: int = 3          # distinct lexicon terms a run needs (a real list repeats one)
    spam_min_hit_ratio: float = 0.4     # share of run tokens that hit the lexicon
    spam_max_token_chars: int = 24      # a longer token is prose, not a keyword
    spam_max_gap: int = 2               # non-hit tokens allowed between two hits of one run
    min_container_chars: int = 20       # a container with less text is empty (try the next locator)
    min_tail_chars: int = 50            # text after </html> kept when the page before it has less
    use_trafilatura: bool = True        # general fallback when no known container matches


@dataclass
class Cleaned:
    "The cleaned page; ``text`` is what the reports table stores (contract.md)."
    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    spam_found: bool = False
    container: str | None = None


def clean_html(html: str, *, title: str | None = None, options: CleanOptions | None = None) -> Cleaned:
    """Clean one decoded page.

    Args:
        html: the decoded page (str; decoding is the previous stage's job).
        title: the report heading, so that a leading copy of it is left out of ``text``.
        options: thresholds; defaults when None.
    Returns:
        A ``Cleaned``; never raises (a page that breaks the cleaner yields empty text and an
        ``error`` entry in ``removed``).
    """
    options = options or CleanOptions()
    try:
        if isinstance(html, (bytes, bytearray)):   # a caller skipped decoding: best effort
            html = bytes(html).decode("utf-8", errors="replace")
        return _clean(html if isinstance(html, str) else str(html or ""), title, options)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop a crawl
        logger.warning("clean_html failed: %r", exc)
        return Cleaned(text="", removed=[clean_dom.audit("error", repr(exc))])


def _clean(html: str, title: str | None, options: CleanOptions) -> Cleaned:
    removed: list[dict] = []
    # 1. DOM hygiene: text after the last </html>, never-text tags, hidden subtrees
    html = clean_dom.sanitize(html)
    page, tail = clean_dom.split_after_html(html)
    root = clean_dom.parse(page)
    spam = False
    if root is not None:
        spam = clean_dom.drop_unwanted(root, _PROTECT_XPATH, removed, options)
    if tail.strip():
        root, tail_spam = _judge_tail(root, tail, removed, options)
        spam |= tail_spam
    if root is None:
        return Cleaned(text="", removed=removed, spam_found=spam)
    # 2. body location: known CMS containers, then trafilatura, then the whole body
    body, container = locate_body(root, options)
    # 3. rendering: lines and tables (a metadata table is dropped here)
    renderer = Renderer(keep_table=lambda grid, rows: _keep_table(grid, rows, removed))
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


def _keep_table(grid: list[list[str]], rows: list[str], removed: list[dict]) -> bool:
    if clean_lines.is_metadata_table(grid, rows):
        removed.append(clean_dom.audit("metadata", " / ".join(rows)))
        return False
    return True


def _judge_tail(root: HtmlElement | None, tail: str, removed: list[dict],
                options: CleanOptions) -> tuple[HtmlElement | None, bool]:
    """Decide about text after the last </html>: spam-shaped -> drop and flag; the only
    substantial text of the page -> keep (a broken template); otherwise drop as appended junk."""
    tail_root = clean_dom.parse(tail)
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


# --- 2. body location -----------------------------------------------------------------------

# a body container is never dropped for carrying a stylesheet-hidden class
_PROTECT_XPATH = "descendant-or-self::*[self::ucapcontent or @id='UCAP-CONTENT' or @id='zoom' or " \
                 "contains(@class, 'TRS_Editor') or contains(@class, 'TRS_UEDITOR') or " \
                 "self::meta[@name='ContentStart']]"


def _squash(text: str) -> str:
    "The text without whitespace, NBSP and U+3000 included (str.split() drops what WS_RE matches)."
    return "".join(text.split())


def _chars(el: HtmlElement) -> int:
    "Visible text length, whitespace excluded."
    return len(_squash(el.text_content()))


def _link_chars(el: HtmlElement) -> int:
    return sum(len(_squash(a.text_content())) for a in el.iter("a"))


def _between(start: HtmlElement, end: HtmlElement) -> HtmlElement | None:
    "Move the siblings between two markers into a new <div> (None unless they share a parent)."
    parent = start.getparent()
    if parent is None or end.getparent() is not parent:
        return None
    box = parent.makeelement("div")
    box.text = start.tail
    start.tail = None
    node = start.getnext()
    while node is not None and node is not end:
        nxt = node.getnext()
        box.append(node)        # moves the node, its tail included
        node = nxt
    parent.insert(parent.index(end), box)
    return box


def _hanweb_range(root: HtmlElement) -> HtmlElement | None:
    "Hanweb marks the body with <meta name=ContentStart/ContentEnd> or <!--<$[信息内容]>begin/end-->."
    starts, ends, begin, end = [], [], None, None
    # one walk for both kinds of marker: the <meta> of the whole document (an early </html> leaves
    # elements beside the root element), the comments of root's subtree
    for top in _top_elements(root):
        for node in top.iter("meta", etree.Comment):
            if node.tag == "meta":
                name = node.get("name")
                if name in HANWEB_START_NAMES:
                    starts.append(node)
                elif name in HANWEB_END_NAMES:
                    ends.append(node)
            elif top is root:
                text = node.text or ""
                if begin is None and HANWEB_COMMENT_BEGIN in text:
                    begin = node
                elif HANWEB_COMMENT_END in text:
                    end = node
    if starts and ends:
        box = _between(starts[0], ends[-1])
        if box is not None:
            return box
    if begin is not None and end is not None:
        return _between(begin, end)
    return None


def _top_elements(root: HtmlElement) -> list[HtmlElement]:
    "The document's top-level elements in document order: root and any beside it."
    before = [el for el in root.itersiblings(preceding=True) if isinstance(el.tag, str)]
    return [*reversed(before), root, *(el for el in root.itersiblings() if isinstance(el.tag, str))]


_RULE_CLASSES = frozenset().union(*(rule.classes for rule in CONTAINER_RULES))
_RULE_IDS = frozenset().union(*(rule.ids for rule in CONTAINER_RULES))
_RULE_TAGS = frozenset().union(*(rule.tags for rule in CONTAINER_RULES))
# every class and id attribute and every element a rule names by tag, in document order (an element
# before its attributes, its attributes before its children); the whole document, not only root's
# subtree: a broken page (an early </html>) leaves elements beside the root element. Attribute values
# come from C, where reading class and id off each classed element in Python cost as much as the scan
_RULE_CANDIDATES = etree.XPath(" | ".join(("//@class", "//@id", *(f"//{t}" for t in sorted(_RULE_TAGS)))))


def _containers(root: HtmlElement) -> dict[str, list[HtmlElement]]:
    "The elements each container rule matches, in document order (one pass for all rules)."
    found: dict[str, list[HtmlElement]] = {rule.name: [] for rule in CONTAINER_RULES}
    for node in _RULE_CANDIDATES(root):
        if isinstance(node, str):       # an attribute's value, which knows its name and element
            if node.attrname == "class":
                tokens = _RULE_CLASSES.intersection(CLASS_SPLIT_RE.split(node))
                if not tokens:
                    continue            # most classed elements: no rule to try
                rules = [rule for rule in CONTAINER_RULES if not rule.classes.isdisjoint(tokens)]
            elif node in _RULE_IDS:
                rules = [rule for rule in CONTAINER_RULES if node in rule.ids]
            else:
                continue
            el = node.getparent()
        else:
            el = node
            rules = [rule for rule in CONTAINER_RULES if el.tag in rule.tags]
        for rule in rules:              # an element two of whose nodes match a rule is listed once
            matched = found[rule.name]
            if not matched or matched[-1] is not el:
                matched.append(el)
    return found


def _best(candidates: list[HtmlElement]) -> tuple[HtmlElement | None, int]:
    """The candidate with the most non-link text; descend into a nested candidate that holds
    most of it (a wide .content wrapper around the real one)."""
    scored = [(max(_chars(el) - _link_chars(el), 0), el) for el in candidates]
    if not scored:
        return None, 0
    score, best = max(scored, key=lambda s: s[0])
    for inner_score, el in sorted(scored, key=lambda s: s[0], reverse=True):
        if el is not best and inner_score >= 0.8 * score and best in el.iterancestors():
            best, score = el, inner_score
    return best, score


def locate_body(root: HtmlElement, options: CleanOptions) -> tuple[HtmlElement, str]:
    """Stage 2: the body subtree and the name of the locator that found it."""
    box = _hanweb_range(root)
    if box is not None and _chars(box) >= options.min_container_chars:
        return box, "hanweb"
    found = _containers(root)
    for rule in CONTAINER_RULES:
        best, score = _best(found[rule.name])
        if best is not None and score >= options.min_container_chars:
            return best, rule.name
    if options.use_trafilatura:
        body = _trafilatura_body(root)
        if body is not None:
            # prefer our own subtree holding what trafilatura chose: document order and
            # rowspan/colspan survive there (trafilatura moves text around tables)
            anchored = _anchor(root, body)
            return (anchored if anchored is not None else body), "trafilatura"
    body = root.find("body")
    return (body if body is not None else root), "body"


_ANCHOR_SAMPLES = 8      # paragraphs of trafilatura's output looked up in our tree
_ANCHOR_PREFIX = 16      # characters that identify a paragraph
_ANCHOR_SLACK = 1.5      # our subtree may hold this much more text than trafilatura kept
_ANCHOR_BLOCKS = ("p", "div", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                  "span", "font", "center", "blockquote", "pre")


def _anchor(root: HtmlElement, body: etree._Element) -> HtmlElement | None:
    """The smallest element of our tree holding trafilatura's longest paragraphs, unless it
    holds much more text than trafilatura kept (then it is a page wrapper, chrome included)."""
    paras = sorted({_squash("".join(p.itertext())) for p in body.iter("p", "head", "item", "cell")},
                   key=len, reverse=True)
    wanted = {p[:_ANCHOR_PREFIX] for p in paras[:_ANCHOR_SAMPLES] if len(p) >= _ANCHOR_PREFIX}
    if not wanted:
        return None
    found: dict[str, HtmlElement] = {}
    for el in root.iter(*_ANCHOR_BLOCKS):       # document order: a later (deeper) match wins
        key = _squash(el.text_content())[:_ANCHOR_PREFIX]
        if key in wanted:
            found[key] = el
    if len(found) < min(2, len(wanted)):
        return None
    common = _common_ancestor(list(found.values()))
    kept = len(_squash("".join(body.itertext())))
    if common is None or _chars(common) > _ANCHOR_SLACK * kept:
        return None
    return common


def _common_ancestor(els: list[HtmlElement]) -> HtmlElement | None:
    chain = [els[0], *els[0].iterancestors()]
    for el in els[1:]:
        mine = {id(a) for a in (el, *el.iterancestors())}
        chain = [a for a in chain if id(a) in mine]
    return chain[0] if chain else None


# trafilatura's output tags -> HTML, so one renderer reads both
_TRAFILATURA_TAGS = {"row": "tr", "cell": "td", "lb": "br", "list": "ul", "item": "li", "head": "h2",
                     "hi": "span", "ref": "a", "quote": "blockquote", "graphic": "span"}


def _trafilatura_body(root: HtmlElement) -> HtmlElement | None:
    import trafilatura  # imported late: pages with a known container never pay for it

    try:
        doc = trafilatura.bare_extraction(root, include_tables=True, include_comments=False,
                                          favor_recall=True, with_metadata=False)
    except Exception as exc:  # noqa: BLE001 - the fallback must not break the page
        logger.debug("trafilatura failed: %r", exc)
        return None
    body = getattr(doc, "body", None) if doc is not None else None
    if body is None or not len(_squash("".join(body.itertext()))):
        return None
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag in _TRAFILATURA_TAGS:
            if el.tag == "cell" and el.get("span"):
                el.set("colspan", el.get("span"))
            el.tag = _TRAFILATURA_TAGS[el.tag]
    return body
