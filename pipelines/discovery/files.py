"""Links to files (PDF, Word, Excel, archives): the ``attachments`` of a report page."""
from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit

from pipelines.discovery.links import Link, extract_links

ATTACHMENT_EXTS: frozenset[str] = frozenset({
    "pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "zip", "rar", "ofd",  # OFD: the Chinese fixed-layout format
})
# /module/download/downfile.jsp?filename=…pdf (Hanweb) and similar download endpoints name the file in a param
FILENAME_PARAMS: frozenset[str] = frozenset({"filename", "fullfilename", "file", "fname", "name", "filepath", "path",
                                            "downfile"})
_TEXT_EXT_RE = re.compile(r"\S\.(" + "|".join(sorted(ATTACHMENT_EXTS)) + r")(?![A-Za-z0-9])", re.IGNORECASE)


def attachment_type(url: str, text: str = "") -> str | None:
    """Extension ('pdf', 'docx', …) when the URL is a file attachment: by path extension, by a filename
    query parameter (download endpoints), or by a link text naming the file ('附件：…年度报告.pdf')."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    ext = _ext(parts.path.rsplit("/", 1)[-1])
    if ext:
        return ext
    for pair in parts.query.split("&"):
        name, _, value = pair.partition("=")
        if unquote_plus(name).lower() in FILENAME_PARAMS:
            ext = _ext(unquote_plus(value))
            if ext:
                return ext
    m = _TEXT_EXT_RE.search(text) if text else None
    return m.group(1).lower() if m else None


def _ext(name: str) -> str | None:
    stem, dot, ext = name.rpartition(".")
    ext = ext.strip().lower()
    return ext if dot and stem and ext in ATTACHMENT_EXTS else None


def attachment_links(links: list[Link]) -> list[Link]:
    "The links that point at PDF/DOC/DOCX/WPS/XLS/XLSX/ET/ZIP/RAR/OFD files, and the files a page shows."
    return [link for link in links if link.source == "embed" or attachment_type(link.url, link.text)]


def report_attachments(html: str, url: str, encoding: str = "utf-8",
                       links: list[Link] | None = None) -> list[dict[str, str | None]]:
    """The `attachments` column of a report page: {url, name, type} for each file it links, in page order.
    From the raw page alone (or the ``links`` extract_links found on it), so a rebuild from WARC can
    recompute it."""
    links = extract_links(html, url, encoding) if links is None else links
    return [{"url": link.url, "name": link.text or None,
             "type": attachment_type(link.url, link.text)}
            for link in attachment_links(links)]
