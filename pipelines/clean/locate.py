"""Stage 2 of cleaning, body location: the known CMS containers first (Hanweb comment markers, TRS/UCAP
ids and classes), then a data table that holds most of the page's text with the article around it, then
trafilatura's main-content finder mapped back onto our tree, then the whole body."""
from __future__ import annotations

import logging
from itertools import islice
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.clean.options import CleanOptions
from pipelines.clean.patterns import CLASS_SPLIT_RE, CONTAINER_RULES, HANWEB_COMMENT_BEGIN, HANWEB_COMMENT_END, \
    HANWEB_END_NAMES, HANWEB_START_NAMES

if TYPE_CHECKING:
    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)


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
    table = _content_table(root)
    if table is not None:
        return _table_block(table), "table"
    if options.use_trafilatura and not _larger_than(root, options.max_fallback_elements):
        body = _trafilatura_body(root)
        if body is not None:
            # prefer our own subtree holding what trafilatura chose: document order and
            # rowspan/colspan survive there (trafilatura moves text around tables)
            anchored = _anchor(root, body)
            return (anchored if anchored is not None else body), "trafilatura"
    body = root.find("body")
    return (body if body is not None else root), "body"


def _larger_than(root: HtmlElement, limit: int) -> bool:
    "More than ``limit`` elements (counted no further than that)."
    return next(islice(root.iter(), limit, None), None) is not None


_TABLE_SHARE = 0.5          # a data table holding this share of the page's non-link text is its content
_TABLE_MIN_CHARS = 200      # ... and at least this much
_TABLE_BLOCK_LINKS = 0.25   # the block around it holds at most this share of link text (menus stop the climb)


def _content_table(root: HtmlElement) -> HtmlElement | None:
    """The data table (no table inside it) holding most of the page's readable text, when one does:
    a disclosure form (处罚信息公开表) or a report printed as one table, whose page may carry far more
    markup of menus before it than text. Trafilatura, led by its class names, may keep a blurb of
    the menu instead (a div.text with the agency's functions) and drop the table."""
    body = root.find("body")
    body = body if body is not None else root
    best, best_chars = None, 0
    for table in body.iter("table"):
        if table.find(".//table") is None:
            links = _link_chars(table)
            chars = _chars(table) - links
            if chars > best_chars and links <= chars:       # a table mostly of links is a list
                best, best_chars = table, chars
    if best is None or best_chars < _TABLE_MIN_CHARS:
        return None
    return best if best_chars >= _TABLE_SHARE * (_chars(body) - _link_chars(body)) else None


def _table_block(table: HtmlElement) -> HtmlElement:
    """The table with the article around it (its intro, other tables, its signature, its heading and
    byline for the line stage to drop): the widest link-sparse ancestor below <body>. The table holds
    half the page's text, so no ancestor holds more than twice its text; the menus, lists of links
    and navigation bars around an article make its wider ancestors link-dense."""
    block = table
    for anc in table.iterancestors():
        if anc.tag in ("body", "html"):
            break
        if _link_chars(anc) > _TABLE_BLOCK_LINKS * _chars(anc):
            break
        block = anc
    return block


_ANCHOR_SAMPLES = 8      # paragraphs of trafilatura's output looked up in our tree
_ANCHOR_PREFIX = 16      # characters that identify a paragraph
_ANCHOR_SLACK = 1.5      # our subtree may hold this much more text than trafilatura kept
_ANCHOR_FLOOR = 0.6      # ... and must hold this much of it (its longest paragraphs may be one part of it)
_ANCHOR_BLOCKS = ("p", "div", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                  "span", "font", "center", "blockquote", "pre")


def _anchor(root: HtmlElement, body: etree._Element) -> HtmlElement | None:
    """The smallest element of our tree holding trafilatura's longest paragraphs, unless it
    holds much more text than trafilatura kept (then it is a page wrapper, chrome included) or
    much less (a blurb of long paragraphs beside a table of short cells it kept too)."""
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
    if common is None or not _ANCHOR_FLOOR * kept <= _chars(common) <= _ANCHOR_SLACK * kept:
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

    # a failure here is the clean stage's error, never a silently empty text (a missing optional
    # module of trafilatura's fallback path once emptied pages that way)
    doc = trafilatura.bare_extraction(root, include_tables=True, include_comments=False,
                                      favor_recall=True, with_metadata=False)
    body = getattr(doc, "body", None) if doc is not None else None
    if body is None or not len(_squash("".join(body.itertext()))):
        return None
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag in _TRAFILATURA_TAGS:
            if el.tag == "cell" and el.get("span"):
                el.set("colspan", el.get("span"))
            el.tag = _TRAFILATURA_TAGS[el.tag]
    return body
