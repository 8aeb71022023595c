"""Does a list page show a list that only its script builds? The render decision's evidence (issue 17).

A page is worth a browser when reading it is not enough: its list is bound to data by a template
(Vue ``v-for``, Angular ``ng-repeat``, avalon ``ms-repeat``/``ms-for``, ``{{…}}`` placeholders), an
application's mount point holds no links (``<div id="app"></div>``), a list container is empty,
or its script declares more entries (``recordCount``, ``totalRecord``) than the page shows and no
paging leads to the rest. A list whose endpoint the page itself gives (``scripted.list_queries``)
is read without a browser and needs none. Pure functions over the page's shared parse.
"""
from __future__ import annotations

import re

from lxml import etree

from pipelines.discovery.links import SKIP_SCHEMES
from pipelines.html import ParsedPage

BINDING_ATTRS = ("v-for", "ng-repeat", "ms-repeat", "ms-for", "x-for", "data-ng-repeat", "v-bind:href",
                 ":href", "ms-attr-href", "ng-href", "th:each")
MOUNT_ATTRS = ("ng-app", "data-ng-app", "ms-controller", "ms-important", "data-v-app", "v-cloak")
MOUNT_IDS = frozenset({"app", "root", "vue-app", "main-app"})
# class/id tokens that name an entry list (compared lower-case, whole tokens)
LIST_NAMES = frozenset({
    "list", "lists", "lb", "newslist", "news-list", "news_list", "gl-ul", "list-ul", "listul", "xxgk-list",
    "xxgk_list", "article-list", "articlelist", "data-list", "datalist", "doclist", "doc-list", "list-content",
    "listcontent", "info-list", "infolist", "zfxxgk_list", "result-list",
})
_DECLARED_RE = re.compile(
    r"\b(?:recordCount|totalRecord|totalRecords|recordTotal|totalCount)\b['\"]?\s*[:=]\s*['\"]?(\d{1,7})", re.I)
_MUSTACHE_RE = re.compile(r"\{\{\s*[\w$.\[\]]+\s*\}\}")
# scripts that build pages: an app bundle or a front-end framework (an empty static column loads none)
_APP_SCRIPT_RE = re.compile(r"(?:^|/)(?:app|main|index|vue|angular|avalon|react|require|list|chunk|bundle|vendor)"
                            r"[\w.-]*\.js(?:\?|$)", re.I)


def _tokens(el) -> set[str]:
    return set(((el.get("class") or "") + " " + (el.get("id") or "")).lower().split())


def _linked(el) -> int:
    "Links in ``el`` a reader can follow (not javascript:, not '#')."
    n = 0
    for a in el.iter("a"):
        href = (a.get("href") or "").strip().lower()
        if href and not href.startswith("#") and not href.startswith(SKIP_SCHEMES):
            n += 1
    return n


def _has_script(root) -> bool:
    return next(root.iter("script"), None) is not None


def _fills(root, el) -> bool:
    """Is there a script that would fill the empty container ``el``: an inline script naming its id or
    a class of it, or an app or framework script the page loads?"""
    names = [n for n in ((el.get("id") or "").split() + (el.get("class") or "").split()) if len(n) > 1]
    for script in root.iter("script"):
        src = script.get("src")
        if src:
            if _APP_SCRIPT_RE.search(src.strip()):
                return True
        elif script.text and any(n in script.text for n in names):
            return True
    return False


def declared_total(html: str) -> int | None:
    "The largest entry count a script of the page declares (``recordCount: '57'``, ``totalRecord = 60``)."
    found = [int(m.group(1)) for m in _DECLARED_RE.finditer(html or "")]
    return max(found) if found else None


def shown_entries(root) -> int:
    "Entries the page shows: links inside its list containers (``ul``, ``ol`` and LIST_NAMES elements)."
    seen: set[int] = set()
    n = 0
    for el in root.iter("ul", "ol", "table", "div", "dl"):
        if el.tag in ("div", "dl", "table") and not (_tokens(el) & LIST_NAMES):
            continue
        if any(id(p) in seen for p in el.iterancestors()):
            continue
        seen.add(id(el))
        n += _linked(el)
    return n


def script_built(page: ParsedPage | None, html: str, *, paging: list | None = None, queries: list | None = None,
                 records: int = 0) -> str | None:
    """Why this list page's list looks built by its script ('template:v-for', 'app-shell',
    'empty-list', 'declared:57>10'), or None: nothing suggests it, or the page's own endpoints
    (``queries``) already reach its entries. ``records``: Hanweb datastore records it embeds."""
    if queries:
        return None
    root = page.root if page is not None else None
    if root is None or not _has_script(root):
        return None
    for el in root.iter(etree.Element):
        attrs = el.attrib
        if not attrs:
            continue
        for name in BINDING_ATTRS:
            if name in attrs:
                return f"template:{name}"
        if (el.get("id") or "").lower() in MOUNT_IDS or any(name in attrs for name in MOUNT_ATTRS):
            if _linked(el) == 0:
                return "app-shell"
    for el in root.iter("ul", "ol", "div", "table", "dl"):
        tokens = _tokens(el)
        if tokens & LIST_NAMES and _linked(el) == 0 and not records:
            text = "".join(el.itertext())
            if _MUSTACHE_RE.search(text):
                return "template:{{}}"
            if len(text.strip()) < 40 and _fills(root, el):   # not an empty static column
                return "empty-list"
    total = declared_total(html)
    if total is not None and not paging:
        shown = shown_entries(root) + records
        if total > shown:
            return f"declared:{total}>{shown}"
    return None
