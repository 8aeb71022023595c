"""Reading a page as a person sees it: parse once, drop what is hidden, normalise whitespace; and
the national <meta name=…> tags. Shared by the metadata modules (title, block, fields)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

from lxml import etree

from pipelines.clean.patterns import HIDDEN_STYLE_RE

# national meta tags (《政府网站发展指引》), matched case-insensitively, stored as 'meta:Name'
GOV_META_NAMES = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription",
                  "ColumnKeywords", "ColumnType", "ArticleTitle", "PubDate", "ContentSource",
                  "Keywords", "Author", "Description", "Image", "Url")
_GOV_META = {name.lower(): name for name in GOV_META_NAMES}
# placeholders templates print when a field is unset
_NULL_VALUES = frozenset({"", "null", "none", "undefined", "nil", "暂无", "無", "无"})

WS_RE = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")

# ---------------------------------------------------------------------------------------------
# parsing and visibility

_DROP_TAGS = ("script", "style", "noscript", "template", "textarea", "select", "object", "embed", "svg")
# the cleaner's definition of hidden: a label a reader never sees must not become metadata either
_HIDDEN_STYLE_RE = HIDDEN_STYLE_RE
# utility classes that hide text on every CMS we have seen (01: <span class="hide">)
_HIDDEN_CLASSES = frozenset({"hide", "hidden", "sr-only", "visually-hidden", "screen-reader-text"})
_CSS_TOKEN_RE = re.compile(r"[{}]|[^{}]+")
_SIMPLE_SELECTOR_RE = re.compile(r"^\s*([.#])([A-Za-z_][\w-]*)\s*$")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
_STRING_XPATH = etree.XPath("string()", smart_strings=False)


def parse_html(html: str) -> etree._Element | None:
    if not html or html.isspace():  # strip() would copy the whole page to find that out
        return None
    # bytes + explicit encoding: lxml refuses str input that carries an XML encoding declaration,
    # and must not re-decode by the page's own <meta charset> (the decoder already did that)
    # control characters survive parsing but make lxml refuse the text when a tail is moved
    # (ASCII: in UTF-8 their bytes stand for nothing else, so they are deleted after encoding)
    data = html.encode("utf-8", "replace").translate(None, _CONTROL_BYTES)
    # plain lxml elements: lxml.html's classes cost a Python lookup for every element touched
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=False, remove_pis=True)
    try:
        return etree.fromstring(data, parser=parser)  # None for a document with no elements
    except (etree.ParserError, ValueError):
        return None


def text_content(el) -> str:
    "lxml.html's ``text_content()``, for plain lxml elements too."
    return _STRING_XPATH(el)


def _drop_tree(el) -> None:
    "lxml.html's ``drop_tree()``: the element goes, its tail text stays in place."
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _css_hidden_selectors(styles: Iterable) -> tuple[set[str], set[str]]:
    """Classes and ids a page's own <style> elements hide with a top-level ``.x{display:none}`` rule
    (02 hides its nav that way). Rules inside @media blocks apply only to some screens: skipped."""
    classes: set[str] = set()
    ids: set[str] = set()
    for style in styles:
        css = style.text or ""
        if "none" not in css:
            continue
        depth, selector = 0, ""
        for token in _CSS_TOKEN_RE.findall(css):
            if token == "{":
                depth += 1
            elif token == "}":
                depth = max(depth - 1, 0)
            elif depth == 0:
                selector = token
            elif depth == 1 and ("none" in token or "hidden" in token) \
                    and not selector.lstrip().startswith("@") and _HIDDEN_STYLE_RE.search(token):
                for part in selector.split(","):
                    m = _SIMPLE_SELECTOR_RE.match(part)
                    if m:
                        (classes if m.group(1) == "." else ids).add(m.group(2))
    return classes, ids


def is_hidden(el, classes: Iterable[str] = (), ids: Iterable[str] = ()) -> bool:
    return _hides(el, _HIDDEN_CLASSES.union(classes), ids)


def _hides(el, hiding_classes: frozenset[str], ids: Iterable[str]) -> bool:
    style = el.get("style")
    if style and _style_hides(style):
        return True
    if el.get("hidden") is not None:
        return True
    cls = el.get("class")
    if cls and not hiding_classes.isdisjoint(cls.split()):
        return True
    return bool(ids) and el.get("id") in ids


@lru_cache(maxsize=4096)
def _style_hides(style: str) -> bool:
    "Cached: Word-exported pages repeat a few inline styles on every cell, paragraph and span."
    return _HIDDEN_STYLE_RE.search(style) is not None


def prune_hidden(tree, watch_tags: frozenset[str] = frozenset(),
                 watch: Callable[[str | None, str | None], bool] | None = None) -> list:
    """Drop what a reader never sees, keeping each element's tail text in place.

    The same walk picks out the elements a caller would otherwise walk the page again to find:
    those whose tag is in ``watch_tags`` or whose class and id ``watch(cls, id)`` accepts (called
    only when there is one). Those still in the tree are returned, in document order."""
    dropped = list(tree.iter(*_DROP_TAGS))
    classes, ids = _css_hidden_selectors(el for el in dropped if el.tag == "style")
    hiding_classes = _HIDDEN_CLASSES | classes
    hidden, watched = [], []
    # a plain walk with the tests in Python: cheaper than an XPath predicate on every element;
    # one items() call costs less than the four get()s the tests need
    for el in tree.iter(etree.Element):
        attrs = el.items()
        if not attrs:  # a third of a page's elements
            if el.tag in watch_tags:
                watched.append(el)
            continue
        style = cls = id_ = None
        has_hidden = False
        for name, value in attrs:
            if name == "style":
                style = value
            elif name == "class":
                cls = value
            elif name == "id":
                id_ = value
            elif name == "hidden":
                has_hidden = True
        # _hides, on the values read above (a call per element would cost more than the tests)
        if (style and _style_hides(style)) or has_hidden or (cls and not hiding_classes.isdisjoint(cls.split())) \
                or (ids and id_ in ids):
            hidden.append(el)
        if el.tag in watch_tags or (watch is not None and (cls is not None or id_ is not None) and watch(cls, id_)):
            watched.append(el)
    # in this order, not the page's: where a doomed element sits inside another, or next to it,
    # the text left is the same whichever goes first
    for el in dropped + hidden:
        if el.getparent() is not None:
            _drop_tree(el)
    return [el for el in watched if _in_tree(el, tree)]


def _in_tree(el, root) -> bool:
    "Not inside a dropped subtree: its ancestors lead up to the root."
    top = el
    for top in el.iterancestors():
        pass
    return top is root


# WS_RE's class is exactly str.split()'s whitespace plus these two (checked on every code point),
# and split/join costs less than a regex substitution on the many short strings this module sees
_ZERO_WIDTH = ("\u200b", "\ufeff")


def norm_space(text: str | None) -> str:
    if not text or text.isspace():  # most runs between blocks are bare indentation
        return ""
    if _ZERO_WIDTH[0] in text or _ZERO_WIDTH[1] in text:
        text = text.replace(_ZERO_WIDTH[0], " ").replace(_ZERO_WIDTH[1], " ")
    return " ".join(text.split())


def squash(text: str | None) -> str:
    if not text:
        return ""
    if _ZERO_WIDTH[0] in text or _ZERO_WIDTH[1] in text:
        text = text.replace(_ZERO_WIDTH[0], "").replace(_ZERO_WIDTH[1], "")
    return "".join(text.split())


# ---------------------------------------------------------------------------------------------
# national meta tags

def read_gov_meta(tree) -> dict[str, str]:
    "First non-empty value of each national meta tag; 'null' placeholders count as absent."
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        name = _GOV_META.get((el.get("name") or "").strip().lower())
        if not name or name in found:
            continue
        value = norm_space(el.get("content"))
        if value.lower() not in _NULL_VALUES:
            found[name] = value
    return found

