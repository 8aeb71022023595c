"""Every link a real portal hides: anchors, frames, Hanweb datastore records, inline-script URLs.

Pure functions on decoded HTML text + base URL; see contract.md "Discovery" and domain.md §3.2/§3.7.
"""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

from pipelines.discovery.embeds import viewer_file
from pipelines.discovery.keywords import ELLIPSES
from pipelines.discovery.urls import canonicalize_url
from pipelines.html import ParsedPage, parse, parse_page, text_content

SOURCES = ("a", "frame", "embed", "datastore", "script", "paging")   # embed: a file the page shows (embeds.py)
SKIP_SCHEMES: tuple[str, ...] = ("javascript:", "mailto:", "tel:", "data:", "about:", "vbscript:", "sms:", "file:")

# a dataproxy.jsp response: the whole document is the datastore, no HTML around it
_XML_DATASTORE_RE = re.compile(r"^\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?<datastore\b", re.IGNORECASE)
_RECORD_RE = re.compile(r"<record\b[^>]*>(.*?)</record\s*>", re.IGNORECASE | re.DOTALL)
_CDATA_RE = re.compile(r"^\s*<!\[CDATA\[(.*?)\]\]>\s*$", re.DOTALL)
_WS_RE = re.compile(r"\s+")
_REFRESH_URL_RE = re.compile(r"url\s*=\s*['\"]?([^'\";\s]+)", re.IGNORECASE)

# URL string literals in inline scripts and onclick handlers; group 'u' is the literal
_U = r"""(?P<q>['"])(?P<u>[^'"\\\s<>{}]+)(?P=q)"""
SCRIPT_URL_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"\blocation(?:\.href)?\s*=\s*" + _U),          # location.href= / window.location= / top.location=
    re.compile(r"\blocation\.(?:replace|assign)\(\s*" + _U),
    re.compile(r"\bwindow\.open\(\s*" + _U),
    re.compile(r"\bhref\s*=\s*\\?" + _U),                      # document.write('<a href="…">') and a.href='…'
)
# urls[i]='…' arrays, often with titles[i]='…' beside them
_URLS_ARRAY_RE = re.compile(r"\burls\s*\[\s*(?P<i>\w+)\s*\]\s*=\s*" + _U, re.IGNORECASE)
_TITLES_ARRAY_RE = re.compile(r"\btitles?\s*\[\s*(?P<i>\d+)\s*\]\s*=\s*(?P<q>['\"])(?P<t>.*?)(?P=q)", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    url: str     # absolute, canonical (canonicalize_url)
    text: str    # anchor text (or title attribute), whitespace-collapsed; '' if none
    source: str  # one of SOURCES


_last: ParsedPage | None = None   # the previous parse_html call's page


def parse_html(html: str, page: ParsedPage | None = None) -> ParsedPage | None:
    """``html`` parsed (``pipelines.html.parse_page``), or ``page`` when the caller has parsed it already
    (the extraction stages share one parse). Keeps the last parse so that extract_links and page_links
    called on the same str object parse it once. None for an empty page."""
    global _last
    if page is not None:
        return page
    if not html or not isinstance(html, str):
        return None
    if _last is not None and _last.html is html:
        return _last
    _last = parse_page(html)
    return _last


def _roots(page: ParsedPage | None) -> list:
    """The page's tree up to its last </html>. Text appended after it is not read for links: it is
    where injected link farms go, and a browser's parser drops it from the document too."""
    return [page.root] if page is not None and page.root is not None else []


def clean_text(s: str | None) -> str:
    return _WS_RE.sub(" ", s).strip() if s else ""


def resolve(base: str, raw: str | None, encoding: str = "utf-8") -> str | None:
    """Absolute canonical http(s) URL for an href as written, or None for javascript:/mailto:/'#…'/garbage.
    `encoding` is the page's: it encodes raw non-ASCII query characters (canonicalize_url)."""
    if not raw:
        return None
    raw = raw.strip().replace("\t", "").replace("\r", "").replace("\n", "")
    if not raw or raw.startswith("#") or raw.lower().startswith(SKIP_SCHEMES):
        return None
    try:
        absolute = urljoin(base, raw)
    except ValueError:   # an invalid IPv6 literal, a port out of range
        return None
    if not absolute.lower().startswith(("http://", "https://")):
        return None
    return canonicalize_url(absolute, encoding)


def is_datastore_xml(html: str) -> bool:
    return bool(_XML_DATASTORE_RE.match(html[:512]))


def datastore_records(html: str) -> list[str]:
    "HTML of each Hanweb <record> (CDATA unwrapped, or entity-escaped markup unescaped)."
    if "<record" not in html and "<RECORD" not in html:
        return []
    out = []
    for m in _RECORD_RE.finditer(html):
        body = m.group(1)
        c = _CDATA_RE.match(body)
        out.append(c.group(1) if c else htmllib.unescape(body))
    return out


class _Collector:
    "Deduplicates by canonical URL in first-seen order; a later non-empty text fills an empty one."

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._items: list[list[str]] = []

    def add(self, url: str | None, text: str, source: str) -> None:
        if url is None:
            return
        i = self._index.get(url)
        if i is None:
            self._index[url] = len(self._items)
            self._items.append([url, text, source])
        elif text and not self._items[i][1]:
            self._items[i][1] = text

    def links(self) -> list[Link]:
        return [Link(u, t, s) for u, t, s in self._items]


def anchor_text(el) -> str:
    """Visible text, but the title attribute when the text is empty or a truncation of it
    (list pages cut long titles: '2020年政府信息公开工作…' with the full title in @title)."""
    text = clean_text(el.text_content())
    title = clean_text(el.get("title"))
    if not text:
        # <area alt>, or the alt of an image-only link (banner "政府信息公开年报")
        alt = next((clean_text(e.get("alt")) for e in el.iter("area", "img") if e.get("alt")), "")
        return alt or title
    if title and len(title) > len(text):
        stem = text
        for e in ELLIPSES:
            stem = stem.removesuffix(e)
        if stem != text or title.startswith(stem):
            return title
    return text


def page_text(html: str, page: ParsedPage | None = None) -> str:
    "The page's text content (the parse is shared: the one extract_links just made)."
    return "".join(text_content(root) for root in _roots(parse_html(html, page)))


def extract_links(html: str, base_url: str, encoding: str = "utf-8", page: ParsedPage | None = None) -> list[Link]:
    """All links of the page, deduplicated by canonical URL (see module docstring). `encoding` is the
    codec the page was decoded with (for raw Chinese in query strings); `page` its shared parse."""
    out = _Collector()
    if not isinstance(html, str) or not html:
        return []
    enc = encoding or "utf-8"
    base = base_url = base_url or ""
    script_texts: list[tuple[str, str]] = []  # (script or onclick text, label of its element)
    if not is_datastore_xml(html):
        roots = _roots(parse_html(html, page))
        if roots:
            base = _base_href(roots[0], base_url)
        for root in roots:
            _walk(root, base, out, script_texts, enc)
    records = datastore_records(html)
    if records:
        frag = parse("<html><body>" + "".join(records) + "</body></html>")
        if frag is not None:
            for el in frag.iter("a", "area"):
                out.add(resolve(base, el.get("href"), enc), anchor_text(el), "datastore")
    for text, label in script_texts:
        _script_links(text, label, base, out, enc)
    return out.links()


def _base_href(root, base_url: str) -> str:
    for el in root.iter("base"):
        href = (el.get("href") or "").strip()
        if href:
            try:
                return urljoin(base_url, href)
            except ValueError:
                return base_url
    return base_url


def _walk(root, base: str, out: _Collector, script_texts: list[tuple[str, str]], enc: str) -> None:
    "One pass over the tree in document order."
    for el in root.iter(etree.Element):
        tag = el.tag
        if tag in ("a", "area"):
            out.add(resolve(base, el.get("href"), enc), anchor_text(el), "a")
        elif tag in ("iframe", "frame"):
            src = el.get("src")
            shown = viewer_file(src) if src else None
            if shown is not None:
                # a viewer: the file it shows is the link, the viewer page is not; a relative file= is
                # opened by the viewer, against its own address (pdf.js: /pdfjs/web/viewer.html)
                viewer = resolve(base, src, enc) or base
                out.add(resolve(viewer, shown, enc), clean_text(el.get("title")), "embed")
            else:
                out.add(resolve(base, src, enc), clean_text(el.get("title")), "frame")
        elif tag in ("embed", "object"):
            src = el.get("src") if tag == "embed" else (el.get("data") or _object_param(el))
            if src:
                out.add(resolve(base, viewer_file(src) or src, enc), clean_text(el.get("title")), "embed")
        elif tag == "script":
            # type=text/xml is the Hanweb datastore, handled from the raw text (records are CDATA)
            if not el.get("src") and el.text and "xml" not in (el.get("type") or "").lower():
                script_texts.append((el.text, ""))
        elif tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            m = _REFRESH_URL_RE.search(el.get("content") or "")
            if m:
                out.add(resolve(base, m.group(1), enc), "", "script")
        onclick = el.get("onclick")
        if onclick:  # <a href="javascript:;" onclick="window.open('…')">年度报告</a>: keep the label
            script_texts.append((onclick, anchor_text(el)))


def _object_param(el) -> str | None:
    "<object><param name=src|movie|url|filename value=…>: how older pages give an object its file."
    for param in el.iter("param"):
        if (param.get("name") or "").lower() in ("src", "movie", "url", "filename", "file"):
            return param.get("value")
    return None


def _script_links(text: str, label: str, base: str, out: _Collector, enc: str) -> None:
    for pattern in SCRIPT_URL_RES:
        for m in pattern.finditer(text):
            out.add(_script_url(base, m.group("u"), enc), label, "script")
    if "urls" in text.lower():
        titles = {m.group("i"): clean_text(m.group("t")) for m in _TITLES_ARRAY_RE.finditer(text)}
        for m in _URLS_ARRAY_RE.finditer(text):
            out.add(_script_url(base, m.group("u"), enc), titles.get(m.group("i"), ""), "script")


def _script_url(base: str, literal: str, enc: str) -> str | None:
    # a bare word ('top', 'none') is a variable or a target name, not a URL
    if not any(c in literal for c in "/.?"):
        return None
    return resolve(base, literal, enc)
