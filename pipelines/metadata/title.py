"""The report heading as shown on the page (contract: never the browser <title> unless nothing else)."""
from __future__ import annotations

import re

from lxml import etree

from pipelines.metadata.dates import report_year_candidates
from pipelines.html import is_hidden, text_content
from pipelines.metadata.html import CJK, norm_space, prune_hidden, read_gov_meta, squash
from pipelines.metadata.title_element import PLATFORM_HEADINGS, SITE_SUFFIX_RE, title_parts

# class/id tokens of article headings: article-title, con-title, detail_title, news-tit, xl-bt…
_STRONG_TITLE_RE = re.compile(
    r"^(?:(?:article|arti|art|con|content|detail|details|news|doc|info|main|wz|xl|zw|text|page|xxgk-?detail)"
    r"[-_]?(?:title|tit|bt)|(?:title|tit|bt)[-_]?(?:article|con|content|detail|main|text|wz|zw)|ivs_title|"
    r"articletitle|doctitle|maintitle)$", re.I)
_WEAK_TITLE_RE = re.compile(r"title|tit\b|(?:^|[-_])bt(?:$|[-_])", re.I)
_CHROME_TOKEN_RE = re.compile(r"logo|^(?:banner|nav|navbar|menu|header|top|topbar|site-?name|bm-name|zz-name)$", re.I)
_ROOT_HREF_RE = re.compile(r"^(?:https?://[^/]+)?(?:\.{0,2}/)*(?:index\.\w+)?$")
_LAYOUT_SPACE_RE = re.compile(f"(?<=[{CJK}\\d（）《》“”，、：；])\\s+|\\s+(?=[{CJK}（）《》“”，、：；])")
_TITLE_MARK_BEGIN, _TITLE_MARK_END = "<$[标题]>begin", "<$[标题]>end"


def _tokens(el) -> list[str]:
    return ((el.get("class") or "") + " " + (el.get("id") or "")).split()


def clean_title(text: str | None) -> str | None:
    """Whitespace as a reader sees it: runs become one space, and a space next to a CJK character
    (03's '2007　年末', a <br> in an h1) is layout, not text."""
    text = norm_space(text)
    if not text:
        return None
    if " " in text:  # after norm_space the only whitespace left
        text = _LAYOUT_SPACE_RE.sub("", text)
    return text or None


def _hanweb_marked_title(tree) -> tuple[str | None, object | None]:
    """Hanweb JCMS wraps the title field in <!--<$[标题]>begin--> … <!--<$[标题]>end--> comments;
    the element holding them stands in for the heading element."""
    for comment in tree.iter(etree.Comment):
        if _TITLE_MARK_BEGIN not in (comment.text or ""):
            continue
        parts = [comment.tail or ""]
        sibling = comment.getnext()
        for _ in range(50):
            if sibling is None:
                break
            if not isinstance(sibling.tag, str):
                if _TITLE_MARK_END in (sibling.text or ""):
                    break
            else:
                parts.append(text_content(sibling))
            parts.append(sibling.tail or "")
            sibling = sibling.getnext()
        title = clean_title("".join(parts))
        if title:
            return title, comment.getparent()
    return None, None


def title_from_title_element(tree, gov: dict[str, str]) -> str | None:
    "Last resort: the <title> when, without its site suffix, something article-like remains."
    parts = title_parts(tree, gov)
    if not parts:
        return None
    best = max(parts, key=len)
    if len(squash(best)) < 6 or squash(best) in PLATFORM_HEADINGS:
        return None
    return clean_title(best)


def _report_like(text: str) -> bool:
    return any(source == "title" for source, _ in report_year_candidates(text))


def _site_like(text: str, gov: dict[str, str]) -> bool:
    squashed = squash(text)
    return (squashed == squash(gov.get("SiteName")) or squashed in PLATFORM_HEADINGS
            or bool(SITE_SUFFIX_RE.search(squashed)))


def _in_chrome(el) -> bool:
    "A heading inside a logo/banner/nav box, or one that links home, names the site."
    for i, node in enumerate(el.iterancestors()):
        if i > 6:
            break
        if any(_CHROME_TOKEN_RE.search(t) for t in _tokens(node)):
            return True
    if any(_CHROME_TOKEN_RE.search(t) for t in _tokens(el)):
        return True
    links = el.findall(".//a")
    return len(links) == 1 and _ROOT_HREF_RE.match((links[0].get("href") or "").strip()) is not None


_SHARE_TOKEN_RE = re.compile(r"share|bshare|jiathis|fenxiang", re.I)


def _in_share(el) -> bool:
    "A share widget's box: its title is whatever the template filled in, often another article's."
    for i, node in enumerate((el, *el.iterancestors())):
        if i > 6:
            break
        if any(_SHARE_TOKEN_RE.search(t) for t in _tokens(node)):
            return True
    return False


# paragraphs a report's editor centres: where a page without a heading element shows the title
_CENTRED_XPATH = etree.XPath("(//p|//div)[@align='center' or @align='CENTER' or contains(@style, 'center')]")
_CENTRED_STYLE_RE = re.compile(r"text-align\s*:\s*center", re.I)
_CENTRED_MAX = 30           # centred blocks looked at, in document order
_SHOWN_TITLE_MAX = 100


def _shown_title(tree, accept, visible) -> tuple[str | None, object | None]:
    """The title a page without a heading element shows at the top of its body: a centred line, or
    two consecutive ones (a title broken over two lines), that ``accept`` takes."""
    lines = []
    for el in _CENTRED_XPATH(tree)[:_CENTRED_MAX]:
        if el.get("align") is None and not _CENTRED_STYLE_RE.search(el.get("style") or ""):
            continue
        text = _heading_text(el)
        if text and len(text) <= _SHOWN_TITLE_MAX and visible(el):
            lines.append((text, el))
    for k, (text, el) in enumerate(lines):
        if accept(text):
            return text, el
        if k + 1 < len(lines) and lines[k + 1][1] is el.getnext() and accept(text + lines[k + 1][0]):
            return clean_title(text + lines[k + 1][0]), el
    return None, None


_HEADING_TAGS = frozenset({"ucaptitle", "h1", "h2", "h3"})
# a page without <body>: every element below the root (the root too, when given an ElementTree)
_DESCENDANTS_XPATH = etree.XPath(".//*")
# class/id text folded as XPath translate(., 'TIB', 'tib') would: only these three letters
_FOLD_TIB = str.maketrans("TIB", "tib")


def _names_title(cls: str | None, id_: str | None) -> bool:
    "The class or id mentions 'tit' or 'bt' (T, I and B in either case)."
    text = (cls or "") + " " + (id_ or "")
    # in ASCII, lower() finds the same: only T, I and B become t, i and b (and it costs a fifth
    # of translate(), which looks every character up in a dict)
    text = text.lower() if text.isascii() else text.translate(_FOLD_TIB)
    return "tit" in text or "bt" in text


def _mentions_title(el) -> bool:
    cls, id_ = el.get("class"), el.get("id")
    return (cls is not None or id_ is not None) and _names_title(cls, id_)


def prune_for_title(tree) -> list:
    """``prune_hidden``, whose walk also picks out the elements ``find_title`` looks at (its
    ``watched``): one walk over the page instead of two."""
    return prune_hidden(tree, _HEADING_TAGS, _names_title)


def _title_candidates(tree, watched: list | None = None) -> tuple[list, list, list]:
    "(strong, h1, weak) heading candidates in document order."
    strong, h1s, weak = [], [], []
    body = tree.find("body")
    if watched is not None:
        # below the body as it is now (a page without <body>: below the root)
        top = body if body is not None else tree
        elements = [el for el in watched if any(node is top for node in el.iterancestors())]
    else:
        # a plain walk with the tests in Python beats an XPath predicate on every element
        elements = (el for el in (body.iterdescendants(etree.Element) if body is not None else _DESCENDANTS_XPATH(tree))
                    if el.tag in _HEADING_TAGS or (el.attrib and _mentions_title(el)))
    for el in elements:
        tag = el.tag
        if tag == "ucaptitle" or any(_STRONG_TITLE_RE.match(t) for t in _tokens(el)):
            # <div class="article-title"><h1>T</h1><p>发布时间：…</p></div>: the heading inside, not
            # the wrapper with its byline
            inner = next(el.iterdescendants(*_HEADING_TAGS), None) if tag != "ucaptitle" else None
            strong.append(inner if inner is not None else el)
        elif tag == "h1":
            h1s.append(el)
        elif tag in ("h2", "h3") or any(_WEAK_TITLE_RE.search(t) for t in _tokens(el)):
            weak.append(el)
    return strong, h1s, weak


_LONGEST_TITLE = 300


def _heading_text(el) -> str | None:
    """``clean_title`` of the element's text, None when that would be longer than a title can be:
    a wrapper holding a whole article spares the regex over all of it. (``clean_title`` only takes
    spaces out, so what is left without them is a lower bound.)"""
    text = norm_space(text_content(el))
    if len(text) - text.count(" ") > _LONGEST_TITLE:
        return None
    return clean_title(text)


def find_title(tree, gov: dict[str, str], *, pruned: bool, last_resort: bool = True,
               watched: list | None = None) -> tuple[str | None, object | None]:
    """The heading as shown, and its element. Order: Hanweb title markers; UCAP <ucaptitle> and
    article-title classes; a page h1 that is not the site logo; any other heading or *title* box
    that the ArticleTitle meta or the <title> confirms (or that reads like a report title, unless
    the <title> names another report); never a share widget's; the ArticleTitle meta; a title the
    body shows centred at its top (or over two centred lines); the <title> without the site's name
    (only with ``last_resort``: the caller may have better, such as the block's 标题/名称).
    ``watched``: what ``prune_for_title`` returned, when it pruned the tree."""
    marked, marked_el = _hanweb_marked_title(tree)
    if marked:
        return marked, marked_el
    parts = title_parts(tree, gov)
    refs = [squash(r) for r in (gov.get("ArticleTitle"), *parts) if r and len(squash(r)) >= 4]

    def confirmed(text: str) -> bool:
        s = squash(text)
        for ref in refs:
            if s == ref or ((s in ref or ref in s) and min(len(s), len(ref)) / max(len(s), len(ref)) >= 0.6):
                return True
        return False

    def visible(el) -> bool:
        return pruned or not any(is_hidden(node) for node in (el, *el.iterancestors()))

    # a report-like <title> that a report-like box does not match says that box is another report's
    titled = any(_report_like(p) for p in parts)
    strong, h1s, weak = _title_candidates(tree, watched)
    fallback = None
    for tier, accept_unconfirmed in ((strong, True), (h1s, True), (weak, False)):
        for el in tier:
            text = _heading_text(el)
            if not text or len(squash(text)) < 4 or len(text) > _LONGEST_TITLE or not visible(el) \
                    or _in_share(el):
                continue
            # a weak candidate needs a witness: the meta/<title>, or the wording of a report title
            if confirmed(text) or (tier is weak and not titled and _report_like(text)):
                return text, el
            if accept_unconfirmed and fallback is None and not _site_like(text, gov) \
                    and not (tier is h1s and _in_chrome(el)):
                fallback = (text, el)
        if fallback:
            return fallback
    if gov.get("ArticleTitle"):
        return clean_title(gov["ArticleTitle"]), None
    shown, shown_el = _shown_title(tree, lambda text: confirmed(text) or (not titled and _report_like(text)), visible)
    if shown:
        return shown, shown_el
    return (title_from_title_element(tree, gov) if last_resort else None), None


def extract_title(tree) -> str | None:
    "The report heading as shown (article h1/title div), else the ArticleTitle meta; never the site name."
    return find_title(tree, read_gov_meta(tree), pruned=False)[0]

