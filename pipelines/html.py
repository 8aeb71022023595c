"""The page as parsed once, and what a reader never sees on it: the bottom of the stages.

Discovery, metadata and cleaning all read the same parse of a page (``parse_page``): discovery reads it
as it is, metadata a copy it prunes, cleaning the original, last. There is one definition of hidden
(``Hiding`` / ``is_hidden``): a label a reader never sees must not become metadata, nor its text the
report's.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

import lxml.html
from lxml import etree

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# the last </html>: anything after it was appended to the served file (domain.md §5.1)
HTML_END_RE = re.compile(r"</html\s*>", re.I)
XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*>", re.I)
# characters lxml refuses or that only hide text (zero-width, lone surrogates, C0 controls)
BAD_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\u200b-\u200d\u2060\ufeff]")

# lxml.html's parser picks each element's class in a Python callback (special classes for form
# fields), paid on every element a stage touches; none of the stages needs those classes, so a
# C-level lookup hands out plain HtmlElement proxies. Processing instructions are never text: the
# parser leaves them out
_PARSER = lxml.html.HTMLParser(remove_pis=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


def sanitize(html: str) -> str:
    "Drop what lxml refuses (an XML declaration with an encoding, NUL, lone surrogates) or hides text."
    html = XML_DECL_RE.sub("", html, count=1)
    return BAD_CHARS_RE.sub("", html)


def split_after_html(html: str) -> tuple[str, str]:
    "Split at the LAST </html>: what follows was appended to the file (an early one, page 03, is kept)."
    last = None
    for last in HTML_END_RE.finditer(html):
        pass
    if last is None:
        return html, ""
    return html[: last.end()], html[last.end():]


def parse(html: str) -> HtmlElement | None:
    "Parse a document (or fragment) with lxml.html; None when there is nothing to parse."
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


@dataclass
class ParsedPage:
    """One decoded page, parsed once: ``root`` is the page up to its last ``</html>``, ``tail`` the text
    appended after it (parsed on demand, ``tail_root``). The stages share ``root``; a stage that
    changes the tree works on ``copy()``."""

    html: str = field(repr=False)
    root: HtmlElement | None = field(repr=False)
    tail: str = field(default="", repr=False)
    _tail_root: object = field(default=False, repr=False)

    @property
    def tail_root(self) -> HtmlElement | None:
        if self._tail_root is False:
            self._tail_root = parse(self.tail) if self.tail.strip() else None
        return self._tail_root

    def copy(self) -> HtmlElement | None:
        return copy.deepcopy(self.root) if self.root is not None else None


def parse_page(html: str) -> ParsedPage:
    page, tail = split_after_html(sanitize(html))
    return ParsedPage(html, parse(page), tail)


_STRING = etree.XPath("string()", smart_strings=False)


def text_content(el) -> str:
    "The text of a subtree (lxml.html's ``text_content()``, for any element)."
    return _STRING(el)


def drop_tree(el) -> None:
    "Remove an element, keeping its tail text in place (lxml.html's ``drop_tree()``)."
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


# --- what a reader never sees ---------------------------------------------------------------------

# inline CSS that hides an element from a reader (domain.md §5.1); off-screen = 500px or more
_ZERO = r"(?:0+(?:\.0*)?|\.0+)"
HIDDEN_STYLE_RE = re.compile(
    r"display\s*:\s*none"
    r"|visibility\s*:\s*(?:hidden|collapse)"
    rf"|font-size\s*:\s*{_ZERO}(?:px|pt|em|rem|%)?\s*(?:!important\s*)?(?:;|$)"
    rf"|opacity\s*:\s*{_ZERO}\s*(?:!important\s*)?(?:;|$)"
    # off-screen: left:-9999px; not the centring idiom margin-left:-480px, not text-indent:-2em
    r"|(?<![\w-])(?:left|top|right)\s*:\s*-\s*(?:9\d\d|\d{4,})"
    r"|(?<![\w-])text-indent\s*:\s*-\s*\d{3,}"
    r"|(?<![\w-])(?:height|width)\s*:\s*0(?:px)?\s*(?:!important\s*)?;.*overflow\s*:\s*hidden"
    r"|overflow\s*:\s*hidden\s*;.*(?<![\w-])(?:height|width)\s*:\s*0(?:px)?\s*(?:!important\s*)?(?:;|$)"
    r"|clip\s*:\s*rect\(\s*0",
    re.I | re.S,
)
# utility classes that hide text on every CMS we have seen (realpage 01: <span class="hide">)
UTILITY_HIDING_CLASSES = frozenset({"hide", "hidden", "sr-only", "visually-hidden", "screen-reader-text"})
_CSS_TOKEN_RE = re.compile(r"[{}]|[^{}]+")
_SIMPLE_SELECTOR_RE = re.compile(r"^\s*([.#])([A-Za-z_][\w-]*)\s*$")


@dataclass(frozen=True)
class Hiding:
    """What hides an element on this page besides its own style and ``hidden`` attribute: the utility
    classes, and the classes and ids the page's own stylesheet hides (``hiding_rules``)."""

    classes: frozenset[str] = UTILITY_HIDING_CLASSES
    ids: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)
def style_hides(style: str) -> bool:
    "Cached: Word-exported pages repeat a few inline styles on every cell, paragraph and span."
    return HIDDEN_STYLE_RE.search(style) is not None


def hiding_rules(styles: Iterable) -> Hiding:
    """The page's <style> elements read for top-level ``.x{display:none}`` / ``#x{…}`` rules with one
    simple selector (realpage 02 hides its nav that way; ``.tab .x`` or ``a.x:hover`` are states, not
    hiding). Rules inside @media blocks apply only to some screens: skipped."""
    classes: set[str] = set()
    ids: set[str] = set()
    for style in styles:
        css = style.text or ""
        if "none" not in css and "hidden" not in css:
            continue
        depth, selector = 0, ""
        for token in _CSS_TOKEN_RE.findall(css):
            if token == "{":
                depth += 1
            elif token == "}":
                depth = max(depth - 1, 0)
            elif depth == 0:
                selector = token
            elif depth == 1 and not selector.lstrip().startswith("@") and HIDDEN_STYLE_RE.search(token):
                for part in selector.split(","):
                    m = _SIMPLE_SELECTOR_RE.match(part)
                    if m:
                        (classes if m.group(1) == "." else ids).add(m.group(2))
    return Hiding(UTILITY_HIDING_CLASSES | classes, frozenset(ids))


def page_hiding(root) -> Hiding:
    return hiding_rules(root.iter("style")) if root is not None else Hiding()


def hides(hiding: Hiding, style: str | None, hidden_attr: bool, cls: str | None, id_: str | None) -> bool:
    "``is_hidden`` on attribute values already read (walks over every element read them once)."
    return bool((style and style_hides(style)) or hidden_attr
                or (cls and not hiding.classes.isdisjoint(cls.split()))
                or (id_ and id_ in hiding.ids))


def is_hidden(el, hiding: Hiding = Hiding()) -> bool:
    "The one definition: the element itself hides (its style, ``hidden``, a hiding class or id)."
    return hides(hiding, el.get("style"), el.get("hidden") is not None, el.get("class"), el.get("id"))
