"""The browser <title> without the site's name: the parts that may name the article.

A <title> is the article's title with the site's name (and often the column's) before or after it,
joined by ' - ', '-', '_', '|', '——': 'T-某某县人民政府', 'T_中国宜春', 'T | 額濟納旗門戶網',
'习近平主持召开…座谈会-中国科普网'. A part names the site when it is the SiteName or ColumnName meta,
ends like a site's name (人民政府, 政府网, 门户网站; a short name after a separator ending in 网), or is
the name the page's footer shows (版权所有：中国鄂温克) when there is no SiteName meta to say so.
"""
from __future__ import annotations

import re

from lxml import etree

from pipelines.html import text_content
from pipelines.metadata.html import norm_space, squash

TITLE_SPLIT_RE = re.compile(r"\s*(?:[|｜]|_+|\s[-–—]+\s|——)\s*")
# the part of a <title> (or an h1) that names the site, not the article
SITE_SUFFIX_RE = re.compile(r"(人民政府|政府网|门户网站?|網站|网站|政府網|门户网|門戶網|入口|首页|首頁)[-–—_|｜]*$")
PLATFORM_HEADINGS = frozenset({"政府信息公开", "政府信息公開", "信息公开", "信息公開", "政务公开", "政務公開",
                               "信息公开目录", "政府信息公开目录", "政府信息公开平台", "关联稿件", "相关稿件",
                               "相关链接", "友情链接", "相关文章", "相关阅读"})
_BARE_DASHES = "-–—"
# a short name after a separator that ends in 网 is a site's (中国科普网, 梅列新闻网), not an article's
_NET_NAME_RE = re.compile(r"^\S{2,10}[网網]$")
_COMMENT_TEXT_RE = re.compile(r"<!--.*?-->")
# the page's footer (and copyright line), where a site without a SiteName meta names itself
_FOOTER_XPATH = etree.XPath("//*[contains(@class, 'foot') or contains(@id, 'foot') or contains(@class, 'Foot') or "
                            "contains(@id, 'Foot') or contains(@class, 'copyright') or contains(@id, 'copyright') or "
                            "contains(@class, 'bottom') or contains(@id, 'bottom')]")
_FOOTER_CHARS = 3000
_FOOTER_NAME_CHARS = (3, 20)    # a footer match this long names the site (shorter: a word; longer: a title)


def title_element(tree):
    """``tree.find(".//title")``, without its cost: lxml's iterator, having found the <title> in
    <head>, looks ahead for another through the whole page. Searching the root's children one
    by one, that look-ahead stays inside <head>."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    for child in root:
        if child.tag == "title":
            return child
        found = next(child.iterdescendants("title"), None)
        if found is not None:
            return found
    return None


def _footer_text(tree) -> str:
    out, size = [], 0
    for el in _FOOTER_XPATH(tree):
        text = squash(text_content(el))
        out.append(text)
        size += len(text)
        if size > _FOOTER_CHARS:
            break
    return "".join(out)


def title_parts(tree, gov: dict[str, str]) -> list[str]:
    "The <title> split at its separators, without the parts naming the site or the column."
    el = title_element(tree)
    text = norm_space(text_content(el)) if el is not None else ""
    text = _COMMENT_TEXT_RE.sub("", text)  # Hanweb's <!--<$[标题]>begin--> is plain text inside <title>
    if not text:
        return []
    skip = {squash(gov.get("SiteName")), squash(gov.get("ColumnName")), ""}
    footer: list[str] = []      # read only when a part is not known otherwise

    def site(part: str, after_separator: bool) -> bool:
        key = squash(part)
        if key in skip or SITE_SUFFIX_RE.search(key):
            return True
        if not after_separator:
            return False
        if _NET_NAME_RE.match(key):
            return True
        low, high = _FOOTER_NAME_CHARS
        if low <= len(key) <= high:
            if not footer:
                footer.append(_footer_text(tree))
            return key in footer[0]
        return False

    parts = []
    for k, part in enumerate(TITLE_SPLIT_RE.split(text)):
        part = part.strip(" " + _BARE_DASHES)
        # 'T-某某区人民政府', 'T-中国科普网': a bare dash before a site's name is a separator too
        while True:
            cut = max(part.rfind(dash) for dash in _BARE_DASHES)
            if cut <= 0 or not site(part[cut + 1:], True):
                break
            part = part[:cut].rstrip(" " + _BARE_DASHES)
        if part and not site(part, k > 0):
            parts.append(part)
    return parts
