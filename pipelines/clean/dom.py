"""Stage 1 of cleaning: DOM hygiene before any text is read (domain.md §5.1, §5.3)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from pipelines.clean.patterns import DROP_TAGS, SPAM_LEXICON_RE, WS_RE
from pipelines.clean.spam import looks_like_spam
from pipelines.html import Hiding, hides, hiding_rules, is_hidden

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from pipelines.clean.options import CleanOptions

AUDIT_CHARS = 500  # removed texts are kept for audit, truncated to this length

def audit(kind: str, text: str) -> dict[str, str]:
    "One `removed` entry, text whitespace-collapsed and truncated."
    text = WS_RE.sub(" ", text).strip()
    return {"kind": kind, "text": text[:AUDIT_CHARS] + ("…" if len(text) > AUDIT_CHARS else "")}


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
    drops = list(root.iter(*DROP_TAGS))
    hiding = hiding_rules(el for el in drops if el.tag == "style")   # <style> is one of them
    if is_hidden(root, hiding):        # the root has no parent to be dropped from: empty it
        spam = _record_hidden(root, removed, options)
        root.clear()
        return spam
    for el in drops:
        if el.tag == "script" and el.text and _suspicious_script(el.text):
            removed.append(audit("script", el.text))
        _drop(el)
    # a walk of root's own subtree costs half the XPath //*[@style or @hidden]; elements beside
    # the root element (a broken page) never were dropped: they fail _detached. First what hides
    # itself (style, hidden), then what the page's class and id rules hide: a body container is
    # kept then, tabs and responsive layouts hide by class legitimately, and with the body the
    # report would go
    for by_name in (False, True):
        for el in [el for el in root.iter(etree.Element)
                   if el.attrib and _hidden_by(el, hiding if by_name else _NOT_BY_NAME)]:
            if el.getparent() is None or _detached(el, root):
                continue
            if by_name and protect and el.xpath(protect):
                continue
            spam |= _record_hidden(el, removed, options)
            _drop(el)
    return spam


_NOT_BY_NAME = Hiding(frozenset(), frozenset())


def _hidden_by(el: HtmlElement, hiding: Hiding) -> bool:
    style = cls = id_ = None
    attr = False
    for name, value in el.items():
        if name == "style":
            style = value
        elif name == "class":
            cls = value
        elif name == "id":
            id_ = value
        elif name == "hidden":
            attr = True
    return hides(hiding, style, attr, cls, id_)


def _detached(el: HtmlElement, root: HtmlElement) -> bool:
    "True when an ancestor was already dropped (the element hangs off a removed subtree)."
    for anc in el.iterancestors():
        if anc is root:
            return False
    return el is not root
