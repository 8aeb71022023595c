"""Entries of a list API's JSON answer: the objects that carry a title and a URL (issue 17).

List APIs of government CMSs answer with a list of documents under some key (``docs``, ``data``,
``list``, ``rows``, ``records``, ``result.list`` …), each with a title (``title``, ``doctitle``,
``docTitle`` …), a URL (``url``, ``docpuburl``, ``chnldocurl``, ``link`` …) and a date. Rather than
one reader per CMS, every object anywhere in the answer that has both a title-like and a URL-like
field is an entry; the first URL-like field that resolves is its address.
"""
from __future__ import annotations

import json
import re

from pipelines.discovery.links import Link, clean_text, resolve

TITLE_FIELDS = ("title", "doctitle", "docTitle", "DOCTITLE", "name", "bt", "wzbt", "subject", "listTitle",
                "fileName", "infoTitle", "articleTitle")
URL_FIELDS = ("url", "docpuburl", "docPuburl", "DOCPUBURL", "chnldocurl", "link", "href", "linkurl", "linkUrl",
              "docurl", "docUrl", "pubUrl", "detailUrl", "path", "contentUrl", "webUrl")
TOTAL_FIELDS = ("total", "totalCount", "totalcount", "recordCount", "recordcount", "totalRecord", "totalrecord",
                "totalElements", "count", "totalNum", "total_count")
PAGES_FIELDS = ("pageCount", "pagecount", "totalPage", "totalpage", "totalPages", "pages")
SIZE_FIELDS = ("pageSize", "pagesize", "prepage", "size", "perpage")
MAX_DEPTH = 6
_TAG_RE = re.compile(r"<[^>]+>")


def is_json(text: str, content_type: str | None = None) -> bool:
    "Does this body look like a JSON answer (declared so, or starting like one)?"
    if content_type and "json" in content_type.lower():
        return True
    head = (text or "").lstrip("\ufeff \t\r\n")[:1]
    return head in ("{", "[")


def load(text: str):
    "The parsed answer; a JSONP wrapper (``callback({...})``) is unwrapped. None when it is not JSON."
    text = (text or "").strip().lstrip("\ufeff")
    if text[:1] not in ("{", "["):
        start = text.find("(")
        if start < 0 or not text.rstrip(";").endswith(")"):
            return None
        text = text[start + 1:text.rstrip(";").rfind(")")]
    try:
        return json.loads(text)
    except ValueError:
        return None


def _walk(value, depth: int = 0):
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        yield value
        for child in value.values():
            if isinstance(child, (dict, list)):
                yield from _walk(child, depth + 1)
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child, depth + 1)


def _field(obj: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = obj.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def json_links(text: str, base_url: str, encoding: str = "utf-8") -> list[Link]:
    "The entries of a JSON list answer as links (source ``api``), in answer order, deduplicated."
    data = load(text)
    if data is None:
        return []
    out: dict[str, Link] = {}
    for obj in _walk(data):
        title = _field(obj, TITLE_FIELDS)
        if title is None:
            continue
        for name in URL_FIELDS:
            raw = obj.get(name)
            url = resolve(base_url, raw, encoding) if isinstance(raw, str) else None
            if url is not None:
                out.setdefault(url, Link(url, clean_text(_TAG_RE.sub("", title)), "api"))
                break
    return list(out.values())


def _number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def answer_total(text: str) -> int | None:
    """The number of entries a JSON list answer declares: a total field, else page count × page size,
    from the outermost object that has one."""
    data = load(text)
    for obj in _walk(data):
        total = next((n for f in TOTAL_FIELDS if (n := _number(obj.get(f))) is not None), None)
        if total is not None:
            return total
        pages = next((n for f in PAGES_FIELDS if (n := _number(obj.get(f))) is not None), None)
        size = next((n for f in SIZE_FIELDS if (n := _number(obj.get(f))) is not None), None)
        if pages is not None and size:
            return pages * size
    return None
