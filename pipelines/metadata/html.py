"""Reading a page as a person sees it: parse once, drop what is hidden, normalise whitespace; and
the national <meta name=…> tags. Shared by the metadata modules (title, block, fields)."""
from __future__ import annotations

import re
from typing import Callable

from lxml import etree

from pipelines.html import drop_tree as _drop_tree
from pipelines.html import hides, hiding_rules, parse_page

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


def parse_html(html: str):
    "The page's tree up to its last </html> (``pipelines.html.parse_page``); None when there is none."
    if not html or html.isspace():  # strip() would copy the whole page to find that out
        return None
    return parse_page(html).root


def prune_hidden(tree, watch_tags: frozenset[str] = frozenset(),
                 watch: Callable[[str | None, str | None], bool] | None = None) -> list:
    """Drop what a reader never sees, keeping each element's tail text in place.

    The same walk picks out the elements a caller would otherwise walk the page again to find:
    those whose tag is in ``watch_tags`` or whose class and id ``watch(cls, id)`` accepts (called
    only when there is one). Those still in the tree are returned, in document order."""
    dropped = list(tree.iter(*_DROP_TAGS))
    hiding = hiding_rules(el for el in dropped if el.tag == "style")
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
        if hides(hiding, style, has_hidden, cls, id_):
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
    """First non-empty value of each national meta tag; 'null' placeholders count as absent. A tag
    beside a <title> outside <head> is another document's: an include with its own <!DOCTYPE> and
    <html>, which the parser leaves in the body, says nothing of this page."""
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        name = _GOV_META.get((el.get("name") or "").strip().lower())
        if not name or name in found:
            continue
        parent = el.getparent()
        if parent is not None and parent.tag != "head" and parent.find("title") is not None:
            continue
        value = norm_space(el.get("content"))
        if value.lower() not in _NULL_VALUES:
            found[name] = value
    return found

