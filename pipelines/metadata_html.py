"""Reading a page as a person sees it: parse once, drop what is hidden, normalise whitespace; and
the national <meta name=…> tags. Shared by the metadata modules (title, block, fields)."""
from __future__ import annotations

import re
from typing import Iterable

import lxml.html
from lxml import etree

from pipelines.clean_patterns import HIDDEN_STYLE_RE

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
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_html(html: str) -> etree._Element | None:
    if not html or not html.strip():
        return None
    # bytes + explicit encoding: lxml refuses str input that carries an XML encoding declaration,
    # and must not re-decode by the page's own <meta charset> (the decoder already did that)
    # control characters survive parsing but make lxml refuse the text when a tail is moved
    data = _CONTROL_RE.sub("", html).encode("utf-8", "replace")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False, remove_pis=True)
    try:
        return lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _css_hidden_selectors(tree) -> tuple[set[str], set[str]]:
    """Classes and ids a page's own <style> hides with a top-level ``.x{display:none}`` rule
    (02 hides its nav that way). Rules inside @media blocks apply only to some screens: skipped."""
    classes: set[str] = set()
    ids: set[str] = set()
    for style in tree.iter("style"):
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
    style = el.get("style")
    if style and _HIDDEN_STYLE_RE.search(style):
        return True
    if el.get("hidden") is not None:
        return True
    cls = el.get("class")
    if cls:
        tokens = set(cls.split())
        if tokens & _HIDDEN_CLASSES or (classes and tokens & classes):
            return True
    return bool(ids) and el.get("id") in ids


# only elements with these attributes (or tags) can be hidden: preselected in C
_MAYBE_HIDDEN_XPATH = etree.XPath(
    "//*[@style or @hidden or @class or @id or " + " or ".join(f"self::{tag}" for tag in _DROP_TAGS) + "]")


def prune_hidden(tree) -> None:
    "Drop what a reader never sees; ``drop_tree`` keeps each element's tail text in place."
    classes, ids = _css_hidden_selectors(tree)
    doomed = [el for el in _MAYBE_HIDDEN_XPATH(tree) if el.tag in _DROP_TAGS or is_hidden(el, classes, ids)]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def norm_space(text: str | None) -> str:
    return WS_RE.sub(" ", text or "").strip()


def squash(text: str | None) -> str:
    return WS_RE.sub("", text or "")


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

