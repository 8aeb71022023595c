"""What a page says its encoding is: the HTTP header, ``<meta>`` and ``<?xml?>`` declarations, and the
Python codec each label means (GB2312 widened to GB18030, Big5 to Big5-HKSCS, Latin labels to cp1252)."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# how far into the body the <meta>/<?xml?> scan reaches (a <head> stuffed with scripts runs long)
META_SCAN_BYTES = 16 * 1024


@dataclass(frozen=True)
class Declaration:
    source: str        # 'header' | 'meta'
    label: str         # as seen
    codec: str | None  # normalised Python codec, None when unknown or unusable


# --- labels → codecs -------------------------------------------------------------------------------------

# GB2312 pages routinely carry GBK/GB18030-only characters (人名 镕 喆 堃): always widen
_GB = ("gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "gb2312-80", "csgb2312", "chinese", "cp936", "ms936",
       "windows-936", "euc-cn", "x-euc-cn", "euccn", "iso-ir-58", "csiso58gb231280", "gb18030", "zh-cn", "zh_cn")
_BIG5 = ("big5", "big-5", "big5-hkscs", "big5hkscs", "cn-big5", "x-x-big5", "x-big5", "csbig5", "cp950", "ms950")
_UTF8 = ("utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "unicode20utf8")
# WHATWG decodes all of these as windows-1252; on a Chinese portal they are a server default, not a fact
_LATIN = ("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "us-ascii",
          "ascii", "ansi_x3.4-1968", "iso-ir-100", "csisolatin1", "windows-1252", "cp1252", "x-cp1252")
_ALIASES = {**{k: "gb18030" for k in _GB}, **{k: "big5hkscs" for k in _BIG5},
            **{k: "utf-8" for k in _UTF8}, **{k: "cp1252" for k in _LATIN}}
# Python codecs that are not web text encodings (a page declaring them is wrong, and some are unsafe)
_UNUSABLE = {"undefined", "unicode_escape", "raw_unicode_escape", "idna", "punycode", "utf-7", "utf_7",
             "mbcs", "oem", "palmos", "charmap", "unicode_internal"}
LATIN_FAMILY = "cp1252"


def normalise_label(label: str | None) -> str | None:
    """Map a declared charset label to the Python codec we decode with; None if unknown or unusable."""
    if not label:
        return None
    key = label.strip().strip("\"'").strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        info = codecs.lookup(key)
    except (LookupError, ValueError, TypeError):  # unknown labels, and labels with NULs or junk
        return None
    name = info.name
    if not getattr(info, "_is_text_encoding", True) or name in _UNUSABLE:
        return None
    return _ALIASES.get(name, name)


# --- declarations -----------------------------------------------------------------------------------------

_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?\s*([^\s;\"',]+)", re.I)
_COMMENT_RE = re.compile(rb"<!--.*?(?:-->|$)", re.S)
_HEAD_END_RE = re.compile(rb"</head\s*>|<body[\s>]", re.I)
_META_TAG_RE = re.compile(rb"<meta\b[^>]*>", re.I)
# lenient on purpose: `charset = 'gbk'`, `charset=="gbk"`, `content="charset=gbk"`, and w3lib#155's
# `httpequiv="ContentType"` are all seen on real portals
_META_CHARSET_ATTR_RE = re.compile(rb"[\s\"'/;]charset\s*=+\s*[\"']?\s*([A-Za-z0-9._:\-]+)", re.I)
_CONTENT_TYPE_RE = re.compile(rb"content-?type", re.I)
_CONTENT_ATTR_RE = re.compile(rb"""\bcontent\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_XML_DECL_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:\-]+)", re.I)


def header_charset(content_type: str | None) -> str | None:
    """The charset label of a Content-Type header value, as seen."""
    if not content_type:
        return None
    m = _HEADER_CHARSET_RE.search(content_type)
    return m.group(1) if m else None


def meta_charset(body: bytes) -> str | None:
    """The first charset declared in the page's <head> (<meta charset>, http-equiv, <?xml encoding?>)."""
    head = body[:META_SCAN_BYTES]
    m = _XML_DECL_RE.match(head)
    if m:
        return m.group(1).decode("ascii")
    head = _COMMENT_RE.sub(b"", head)  # a commented-out meta declares nothing (w3lib#305)
    end = _HEAD_END_RE.search(head)
    if end:
        head = head[:end.start()]
    for tag in _META_TAG_RE.finditer(head):
        attrs = _CONTENT_ATTR_RE.sub(b" ", tag.group(0))
        m = _META_CHARSET_ATTR_RE.search(attrs)  # <meta charset=…>
        if not m and _CONTENT_TYPE_RE.search(attrs):
            # http-equiv Content-Type: the charset sits in content="…"; a description that merely
            # mentions "charset=" is not a declaration
            m = _META_CHARSET_ATTR_RE.search(tag.group(0))
        if m:
            return m.group(1).decode("ascii")
    return None


def declared_encodings(body: bytes, content_type: str | None) -> list[Declaration]:
    """What the header and the page itself claim, header first."""
    found = []
    for source, label in (("header", header_charset(content_type)), ("meta", meta_charset(body))):
        if label:
            found.append(Declaration(source, label, normalise_label(label)))
    return found


def describe(decls: list[Declaration]) -> str | None:
    return "; ".join(f"{d.source}={d.label}" for d in decls) or None
