"""The other pages of a list: TRS createPageHTML, Hanweb jpage/dataproxy, plain 下一页/尾页/number links
and query-string paging (domain.md §3.2, §3.3). Pure functions on decoded HTML + the list URL."""
from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

from pipelines.discovery.links import _base_href, _roots, anchor_text, is_datastore_xml, parse_html, resolve
from pipelines.discovery.urls import canonicalize_url, param_name
from pipelines.html import ParsedPage

DEFAULT_MAX_PAGES = 200
# query parameters that number the pages of a list (compared lower-case)
PAGE_PARAMS: frozenset[str] = frozenset({
    "page", "pagenum", "pageno", "pageindex", "pagenumber", "page_no", "p", "pn", "pg", "curpage", "currentpage",
    "cpage",
})
# anchor texts of paging controls, compared after lower-casing and removing whitespace: Chinese words
# as substrings ("[下一页]", "下一页>>"), English words and arrows exactly (a "Latest news" link is not "last")
NEXT_WORDS: tuple[str, ...] = (
    "下一页", "下页", "后一页", "尾页", "末页", "最后一页", "下一頁", "下頁", "後一頁", "尾頁", "末頁", "最後一頁",
)
NEXT_EXACT: frozenset[str] = frozenset({"next", "nextpage", "last", "lastpage", "end"})
NEXT_SYMBOLS: frozenset[str] = frozenset({">", ">>", "»", "›", "››", "〉", "》", "→"})
# "previous"/"first" controls count only when they fit a paging pattern: a bare 首页 is usually the site home
PREV_WORDS: tuple[str, ...] = (
    "上一页", "上页", "前一页", "首页", "第一页", "上一頁", "上頁", "前一頁", "首頁", "第一頁",
)
PREV_EXACT: frozenset[str] = frozenset({"prev", "previous", "prevpage", "first", "firstpage", "home"})
PREV_SYMBOLS: frozenset[str] = frozenset({"<", "<<", "«", "‹", "‹‹", "〈", "《", "←"})
CONTROL_DECORATION = "<>»«›‹〈〉《》←→[]【】()（）.·|"
MAX_CONTROL_TEXT = 10  # longer anchor texts are content, not paging controls ("下一页" inside a headline)
DATAPROXY_SUFFIX = "/dataproxy.jsp"  # /module/web/jpage/… and older /module/jslib/jquery/jpage/…
TRS_FALLBACK_NAMES: tuple[str, ...] = ("index", "list", "default")

# createPageHTML(total, current, "index", "html") in either numeric order, numbers possibly variables;
# newer: createPageHTML('page_div', total, current, 'fg', 'shtml', totalRecords)
_CREATE_PAGE_RE = re.compile(
    r"(?<![\w.])createPageHTML\s*\(\s*(?:(['\"])[A-Za-z_][\w-]*\1\s*,\s*)?"
    r"['\"]?(?P<a>[\w$]+)['\"]?\s*,\s*['\"]?(?P<b>[\w$]+)['\"]?\s*,\s*"
    r"(?P<q1>['\"])(?P<name>[^'\"/\\\s]+)(?P=q1)\s*,\s*(?P<q2>['\"])(?P<ext>\w+)(?P=q2)")
_FUNCTION_DEF_RE = re.compile(r"function\s+$")
_ASSIGN_RE = re.compile(r"(?<![\w.$])([A-Za-z_$][\w$]*)\s*=\s*['\"]?(\d{1,6})['\"]?\s*(?=[;,)\n\r]|//|$)")
_COUNT_PAGE_RE = re.compile(r"\bvar\s+countPage\s*=\s*['\"]?(\d{1,6})")
_NEXTGROUP_RE = re.compile(r"<nextgroup\b[^>]*>(.*?)</nextgroup\s*>", re.IGNORECASE | re.DOTALL)
_HREF_RE = re.compile(r"""href\s*=\s*(['"])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_TOTALPAGE_RE = re.compile(r"<totalpage>\s*(\d+)|\btotal_?page\s*[:=]\s*['\"]?(\d+)", re.IGNORECASE)
_TOTALRECORD_RE = re.compile(r"<totalrecord>\s*(\d+)|\btotal_?record\s*[:=]\s*['\"]?(\d+)", re.IGNORECASE)
_PERPAGE_RE = re.compile(r"<perpage>\s*(\d+)|\bper_?page\s*[:=]\s*['\"]?(\d+)", re.IGNORECASE)
_NUMBER_TEXT_RE = re.compile(r"^[\[【(（]?第?(\d{1,4})页?[\]】)）]?$")
# last path segment numbered with a separator: index_3.html, list-2.shtml, column-index-4.shtml, 5.html
_PATH_PAGE_RE = re.compile(r"^(?P<stem>.*?)(?P<sep>[_-]?)(?P<n>\d{1,4})\.(?P<ext>[A-Za-z]{2,5})$")


def page_links(html: str, base_url: str, max_pages: int = DEFAULT_MAX_PAGES, encoding: str = "utf-8",
               page: ParsedPage | None = None) -> list[str]:
    """Canonical URLs of the other pages of the list at `base_url` (never itself), at most `max_pages`.
    `encoding`: the page's codec, for raw non-ASCII query strings (see extract_links); `page`: its
    shared parse."""
    return _page_links(html, base_url or "", max_pages, encoding or "utf-8", page)


class _Pages:
    def __init__(self, self_url: str, limit: int) -> None:
        self.urls: list[str] = []
        self._seen = {self_url}
        self.limit = limit

    @property
    def full(self) -> bool:
        return len(self.urls) >= self.limit

    def add(self, url: str | None) -> None:
        if url and url not in self._seen and not self.full:
            self._seen.add(url)
            self.urls.append(url)


def _page_links(html: str, base_url: str, max_pages: int, enc: str, page: ParsedPage | None) -> list[str]:
    if not isinstance(html, str) or not html or max_pages <= 0:
        return []
    out = _Pages(canonicalize_url(base_url), max_pages)
    xml = is_datastore_xml(html)
    parsed = None if xml else parse_html(html, page)
    roots = _roots(parsed)
    base = _base_href(roots[0], base_url) if roots else base_url
    _trs_pages(html, base, out, enc)
    _hanweb_pages(html, base, out, enc)
    for root in roots:
        _plain_pages(root, base, out, enc)
    return out.urls


def article_position(html: str, page: ParsedPage | None = None, url: str | None = None) -> tuple[int, int] | None:
    """(this page's number, how many pages) of an article paged over several URLs: TRS
    ``createPageHTML(3, 1, "t…", "htm")`` (current index 0-based, in either order), else the
    numbered links under it (第1页 2 3: the number that links to ``url`` itself, or else the one not
    linked, is this page). None for one page."""
    if "createPageHTML" in html:
        for m in _CREATE_PAGE_RE.finditer(html):
            if _FUNCTION_DEF_RE.search(html, max(0, m.start() - 12), m.start()):
                continue
            a, b = m.group("a"), m.group("b")
            if a.isdigit() and b.isdigit() and max(int(a), int(b)) > 1:
                total, current = max(int(a), int(b)), min(int(a), int(b))
                return current + 1, total
    parsed = parse_html(html, page)
    numbers, here = set(), None
    own = canonicalize_url(url) if url else None
    for root in _roots(parsed):
        base = _base_href(root, url or "")
        for a in root.iter("a"):
            text = "".join(anchor_text(a).split())
            m = _NUMBER_TEXT_RE.match(text)
            if m and _control_kind(text) == "number":
                numbers.add(int(m.group(1)))
                if own and resolve(base, a.get("href")) == own:
                    here = int(m.group(1))
    if not numbers:
        return None
    current = here or next(n for n in range(1, max(numbers) + 2) if n not in numbers)
    return current, max(max(numbers), current)


# --- TRS -------------------------------------------------------------------------------------------

def _trs_pages(html: str, base: str, out: _Pages, enc: str) -> None:
    if "createPageHTML" not in html and "countPage" not in html:
        return
    variables: dict[str, int] | None = None
    found = False
    for m in _CREATE_PAGE_RE.finditer(html):
        if _FUNCTION_DEF_RE.search(html, max(0, m.start() - 12), m.start()):
            continue
        if variables is None:
            variables = {}
            for name, value in _ASSIGN_RE.findall(html):
                variables.setdefault(name, int(value))
        numbers = [n for n in (_number(m.group("a"), variables), _number(m.group("b"), variables)) if n is not None]
        if not numbers:
            continue
        # (total, current) or (current, total): the current index is always below the total
        total = max(numbers)
        found = True
        _trs_emit(base, m.group("name"), m.group("ext"), total, out, enc)
    if not found:
        # `var countPage = N//共多少页` without a literal call: name and extension from the list URL
        cm = _COUNT_PAGE_RE.search(html)
        last = urlsplit(base).path.rsplit("/", 1)[-1]
        stem, _, ext = last.partition(".")
        stem = stem.split("_")[0]
        if cm and stem in TRS_FALLBACK_NAMES and ext:
            _trs_emit(base, stem, ext, int(cm.group(1)), out, enc)


def _number(token: str, variables: dict[str, int]) -> int | None:
    return int(token) if token.isdigit() else variables.get(token)


def _trs_emit(base: str, name: str, ext: str, total: int, out: _Pages, enc: str) -> None:
    # page 0 is name.ext, page i is name_i.ext, beside the list page
    for i in range(min(total, out.limit + 1)):
        out.add(resolve(base, f"{name}.{ext}" if i == 0 else f"{name}_{i}.{ext}", enc))


# --- Hanweb ----------------------------------------------------------------------------------------

def _first_int(pattern: re.Pattern[str], text: str) -> int | None:
    m = pattern.search(text)
    return int(m.group(1) or m.group(2)) if m else None


def _hanweb_pages(html: str, base: str, out: _Pages, enc: str) -> None:
    proxy = None
    if "nextgroup" in html or "NEXTGROUP" in html:
        for m in _NEXTGROUP_RE.finditer(html):
            h = _HREF_RE.search(m.group(1))
            if h:
                proxy = resolve(base, h.group(2).replace("&amp;", "&"), enc)
                break
    if proxy is None and urlsplit(base).path.lower().endswith(DATAPROXY_SUFFIX):
        proxy = canonicalize_url(base)
    if proxy is None:
        return
    params = _params(proxy)
    total_pages = _first_int(_TOTALPAGE_RE, html)
    total_records = _first_int(_TOTALRECORD_RE, html)
    per_page = _first_int(_PERPAGE_RE, html) or _int(params.get("perpage"))
    if "startrecord" in params and "endrecord" in params:
        # POST-style windows: startrecord=1&endrecord=45&perpage=15 → next window 46..90
        start, end = _int(params["startrecord"]), _int(params["endrecord"])
        if start and end and end >= start:
            step = end - start + 1
            if total_records is None and total_pages and per_page:
                total_records = total_pages * per_page
            if total_records:
                for first in range(1, min(total_records, step * (out.limit + 1)) + 1, step):
                    out.add(_with_params(proxy, {"startrecord": str(first), "endrecord": str(first + step - 1)}))
                return
    else:
        if total_pages is None and total_records is not None and per_page:
            total_pages = math.ceil(total_records / per_page)
        if total_pages:
            for n in range(1, min(total_pages, out.limit + 1) + 1):
                out.add(_with_params(proxy, {"page": str(n)}))
            return
    out.add(proxy)  # count unknown: fetch the next group; its XML carries <totalpage>


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _params(url: str) -> dict[str, str]:
    query = urlsplit(url).query
    return {param_name(p): p.partition("=")[2] for p in query.split("&") if p}


def _with_params(url: str, values: dict[str, str]) -> str:
    head, _, query = url.partition("?")
    pairs = [p for p in query.split("&") if p and param_name(p) not in values]
    pairs += [f"{k}={v}" for k, v in values.items()]
    return canonicalize_url(head + "?" + "&".join(pairs))


# --- plain lists -----------------------------------------------------------------------------------

def _control_kind(text: str) -> str | None:
    t = "".join(text.lower().split())
    if not t or len(t) > MAX_CONTROL_TEXT:
        return None
    core = t.strip(CONTROL_DECORATION)
    if t in NEXT_SYMBOLS or core in NEXT_EXACT or any(w in t for w in NEXT_WORDS):
        return "next"
    if t in PREV_SYMBOLS or core in PREV_EXACT or any(w in t for w in PREV_WORDS):
        return "prev"
    return "number" if _NUMBER_TEXT_RE.match(t) else None


def _template(url: str, list_dir: str):
    """(key, page number, builder) when `url` is a numbered page: a paging query parameter anywhere on the
    site, or a numbered file name in the list's directory; else None."""
    head, _, query = url.partition("?")
    pairs = [p for p in query.split("&") if p]
    for i, pair in enumerate(pairs):
        name, _, value = pair.partition("=")
        if param_name(pair) in PAGE_PARAMS and value.isdigit():
            others = tuple(pairs[:i] + pairs[i + 1:])

            def build(n: int, head=head, others=others, name=name) -> str:
                return canonicalize_url(head + "?" + "&".join(others + (f"{name}={n}",)))
            return ("q", head, others, name.lower()), int(value), build
    directory, _, last = head.rpartition("/")
    m = _PATH_PAGE_RE.match(last)
    if m and directory + "/" == list_dir and (m.group("sep") or not m.group("stem")):
        stem, sep, ext = m.group("stem"), m.group("sep"), m.group("ext")
        suffix = "?" + query if query else ""

        def build(n: int, stem=stem, sep=sep, ext=ext) -> str:
            name = f"{stem}.{ext}" if n == 0 and stem else f"{stem}{sep}{n}.{ext}"
            return canonicalize_url(f"{directory}/{name}{suffix}")
        return ("p", directory, stem, sep, ext, query), int(m.group("n")), build
    return None


def _directory(url: str) -> str:
    return url.partition("?")[0].rpartition("/")[0] + "/"


def _plain_pages(root, base: str, out: _Pages, enc: str) -> None:
    list_url = canonicalize_url(base)
    list_dir = _directory(list_url)
    list_host = urlsplit(list_url).netloc
    templates: dict[tuple, tuple] = {}
    loose: list[str] = []
    for a in root.iter("a"):
        kind = _control_kind(anchor_text(a))
        if kind is None:
            continue
        url = resolve(base, a.get("href"), enc)
        if url is None or urlsplit(url).netloc != list_host:
            continue
        tpl = _template(url, list_dir)
        if tpl is not None:
            key, n, build = tpl
            entry = templates.setdefault(key, (build, []))
            entry[1].append(n)
        elif kind == "next" or (kind == "number" and _directory(url) == list_dir):
            loose.append(url)
    # fill the gaps between the numbers seen (1 2 3 … 尾页=12 → every page), bounded by out.limit
    for build, numbers in templates.values():
        lo, hi = min(numbers), max(numbers)
        for n in range(lo, min(hi, lo + out.limit) + 1):
            if out.full:
                return
            out.add(build(n))
    for url in loose:
        out.add(url)
