"""Stage 1 of cleaning: DOM hygiene before any text is read (domain.md §5.1, §5.3)."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

import lxml.html
from lxml import etree

from .patterns import (
    BAD_CHARS_RE,
    DROP_TAGS,
    HIDDEN_STYLE_RE,
    HTML_END_RE,
    SPAM_LEXICON_RE,
    HIDDEN_RULE_RE,
    SIMPLE_CLASS_RE,
    WS_RE,
    XML_DECL_RE,
)
from .spam import looks_like_spam

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from pipelines.clean.options import CleanOptions

AUDIT_CHARS = 500  # removed texts are kept for audit, truncated to this length

# lxml.html's parser picks each element's class in a Python callback (special classes for form
# fields), paid on every element the cleaner touches; the cleaner needs none of those classes,
# so a C-level lookup hands out plain HtmlElement proxies. Processing instructions are never text:
# the parser leaves them out (their neighbouring texts join, as dropping each with its tail kept did)
_PARSER = lxml.html.HTMLParser(remove_pis=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


def audit(kind: str, text: str) -> dict[str, str]:
    "One `removed` entry, text whitespace-collapsed and truncated."
    text = WS_RE.sub(" ", text).strip()
    return {"kind": kind, "text": text[:AUDIT_CHARS] + ("…" if len(text) > AUDIT_CHARS else "")}


def sanitize(html: str) -> str:
    "Drop what lxml refuses (XML declaration with encoding, NUL, lone surrogates) or hides text."
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


def hidden_classes(styles: Iterable[HtmlElement]) -> frozenset[str]:
    "Classes the page's own <style> blocks hide with a plain `.cls{display:none}` rule."
    classes: set[str] = set()
    for style in styles:
        css = style.text or ""
        for m in HIDDEN_RULE_RE.finditer(css):   # few matches: look back to the rule's selectors
            start = css.rfind("}", 0, m.start()) + 1
            brace = css.find("{", start, m.start())
            if brace < 0:
                continue
            for sel in css[start:brace].split(","):
                if cls := SIMPLE_CLASS_RE.match(sel.strip()):
                    classes.add(cls.group(1))
    return frozenset(classes)


def element_text(el: HtmlElement) -> str:
    "Text of a subtree with element boundaries as spaces (keeps link-farm tokens apart)."
    return " ".join(t for t in el.itertext() if t.strip())


def _suspicious_script(code: str) -> bool:
    "Referrer-conditional code (快照劫持) or gambling vocabulary: worth keeping in the audit."
    if "document.referrer" in code:
        return True
    if "document.write" not in code:
        return False
    return sum(1 for _ in zip(range(3), SPAM_LEXICON_RE.finditer(code))) >= 3


def _is_hidden(el: HtmlElement) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and _hiding_style(style)


@lru_cache(maxsize=4096)
def _hiding_style(style: str) -> bool:
    "Cached: Word-exported pages repeat a few inline styles on every cell, paragraph and span."
    return bool(HIDDEN_STYLE_RE.search(style))


def _drop(el: HtmlElement) -> None:
    "Remove an element but keep its tail text in place."
    if el.getparent() is not None:
        el.drop_tree()


def _record_hidden(el: HtmlElement, removed: list[dict], options: CleanOptions) -> bool:
    "Audit a hidden subtree; True when it was a spam run (hidden link farms are the classic form)."
    text = element_text(el)
    if not text:
        return False
    spam = looks_like_spam(text, options)
    removed.append(audit("spam" if spam else "hidden", text))
    return spam


def drop_unwanted(root: HtmlElement, protect: str | None, removed: list[dict],
                  options: CleanOptions) -> bool:
    """Drop never-text tags, comments-as-content and hidden subtrees in place.

    Args:
        protect: XPath of body containers; an element hidden by a stylesheet class is kept when
            it holds one (tabs and responsive layouts hide by class legitimately).
    Returns:
        True when a dropped hidden subtree was spam-shaped.
    """
    spam = False
    if _is_hidden(root):               # the root has no parent to be dropped from: empty it
        spam = _record_hidden(root, removed, options)
        root.clear()
        return spam
    drops = list(root.iter(*DROP_TAGS))
    classes = hidden_classes(el for el in drops if el.tag == "style")   # <style> is one of them
    for el in drops:
        if el.tag == "script" and el.text and _suspicious_script(el.text):
            removed.append(audit("script", el.text))
        _drop(el)
    # a walk of root's own subtree costs half the XPath //*[@style or @hidden]; elements beside
    # the root element (a broken page) never were dropped: they fail _detached. _is_hidden is
    # inlined: this runs for every element of the page
    for el in [el for el in root.iter(etree.Element)
               if el.get("hidden") is not None or ((style := el.get("style")) and _hiding_style(style))]:
        if el.getparent() is None or _detached(el, root):
            continue
        spam |= _record_hidden(el, removed, options)
        _drop(el)
    if classes:
        for el in list(root.iter()):
            cls = el.get("class") if isinstance(el.tag, str) else None
            if not cls or not classes.intersection(cls.split()) or _detached(el, root):
                continue
            if protect and el.xpath(protect):
                continue
            spam |= _record_hidden(el, removed, options)
            _drop(el)
    return spam


def _detached(el: HtmlElement, root: HtmlElement) -> bool:
    "True when an ancestor was already dropped (the element hangs off a removed subtree)."
    for anc in el.iterancestors():
        if anc is root:
            return False
    return el is not root
