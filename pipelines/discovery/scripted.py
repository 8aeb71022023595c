"""Lists a page's own script fetches: the requests to make for them, read from the page (issue 17).

Two families, read without running any script:

- **Hanweb jpage groups.** A Hanweb column embeds its first group of records in ``<datastore>``
  (``perPage`` × ``groupSize``, typically 3 × 15) and the ``jpage`` script POSTs
  ``startrecord``/``endrecord``/``perpage`` in the query of ``/module/web/jpage/dataproxy.jsp`` with
  the page's ``ajaxParam`` values (``col, appid, webid, path, columnid, sourceContentType, unitid,
  webname, permissiontype``) as a form; the answer is the next group as the same ``<datastore>``
  XML, with ``<totalrecord>``.
- **List APIs in the page's config.** A list module configured in the page with its endpoint and
  parameters, e.g. the TRS intensive-platform template ("动静结合": the newest entries printed, the
  rest through ``list2.trsapi``) that POSTs ``channelid``, ``classsql=chnlid=NNNN``, ``sortfield``,
  ``page``, ``prepage`` to a ``/…/search`` endpoint, with ``recordCount`` in the page's script; the
  answer is JSON (title/url/date fields, see ``jsonlists``).

``list_queries`` finds them on a page; ``plan`` turns one into requests (``Endpoint``), every group
or page until the declared total; when no total is printed, one probe request, whose answer
(``jsonlists.answer_total`` or ``<totalrecord>``) plans the rest (``follow_up``).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode, urlsplit

from pipelines.discovery.jsobject import Expr, assigned_object, evaluate, flatten, objects_after
from pipelines.discovery.links import resolve
from pipelines.discovery.urls import canonicalize_url

HANWEB_PROXY = "/module/web/jpage/dataproxy.jsp"
HANWEB_PER_PAGE, HANWEB_GROUP_SIZE = 15, 3          # jpage's defaults
_JPAGE_RE = re.compile(r"\.jpage\s*\(\s*")
_PARAM_VAR_RE = re.compile(r"\bvar\s+(param_\w+)\s*=\s*")
_NEXTGROUP_HREF_RE = re.compile(r"<nextgroup\b[^>]*>.*?href\s*=\s*(['\"])(.*?)\1", re.I | re.S)
_TOTALRECORD_RE = re.compile(r"<totalrecord>\s*(\d+)", re.I)
_RECORD_RE = re.compile(r"<record\b", re.I)

# a list module's config: any object literal passed to a call or assigned in an inline script
_CONFIG_RE = re.compile(r"(?:\(\s*|=\s*)(?=\{)")
URL_KEYS = ("url", "api", "apiurl", "searchurl", "dataurl", "listurl", "requesturl", "action", "serviceurl")
PARAM_KEYS = ("listargs", "param", "params", "data", "query", "condition", "postdata", "searchparam")
# the TRS intensive-platform list module (``require(["list2.trsapi"], …)``) keeps its endpoint in the
# module: the platform's document search service, which it POSTs its listArgs, page and prepage to
TRSAPI_MARK, TRSAPI_SEARCH = "list2.trsapi", "/fjdzapp/search"
PAGE_KEYS = ("page", "pageno", "pagenum", "pageindex", "currentpage", "curpage", "currpage", "page_no", "pagenumber")
SIZE_KEYS = ("prepage", "pagesize", "perpage", "page_size", "rows", "limit", "size", "pagecount_per")
TOTAL_KEYS = ("recordcount", "totalrecord", "totalrecords", "total", "totalcount", "recordtotal", "count")
METHOD_KEYS = ("type", "method")
# endpoints are dynamic: a static file named as the config's url is a template or a script, not a list
STATIC_EXTS = (".js", ".css", ".png", ".jpg", ".gif", ".svg", ".html", ".htm", ".shtml", ".xml")
MAX_PLANNED = 1000


@dataclass(frozen=True)
class Endpoint:
    """One request a list's script would make: method, URL and body exactly as it would send them."""

    url: str                  # absolute; the query the script puts there included
    method: str = "POST"
    body: str = ""            # application/x-www-form-urlencoded (UTF-8, as jQuery sends it) or JSON
    content_type: str | None = "application/x-www-form-urlencoded; charset=UTF-8"
    kind: str = "list-api"    # 'hanweb-group' or 'list-api'
    probe: bool = False       # the total is not known yet: its answer plans the rest

    @property
    def key(self) -> str:
        "What makes two requests the same (the URL alone does not: every POST goes to one URL)."
        return f"{self.method} {self.url}\n{self.body}"


@dataclass(frozen=True)
class ListQuery:
    """How a script asks for the entries of one list: where, how, and which window or page."""

    kind: str                                 # 'hanweb-group' or 'list-api'
    url: str                                  # absolute endpoint, without the paging parameters
    method: str = "POST"
    params: tuple[tuple[str, str], ...] = ()  # the fixed parameters, in the script's order
    size: int = 15                            # entries per request (a Hanweb group: perPage × groupSize)
    per_page: int = 15                        # Hanweb: records per page (the perpage parameter)
    total: int | None = None                  # declared number of entries, if printed
    skip: int = 0                             # entries the page itself holds (Hanweb's first group)
    page_param: str = "page"
    size_param: str | None = None
    json_body: bool = False
    why: str = field(default="", compare=False)


# --- Hanweb ----------------------------------------------------------------------------------------

def _scalar(value) -> str | None:
    if value is None or isinstance(value, (dict, Expr)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _ci(obj: dict, *names: str):
    "obj's value for the first of ``names`` it has, keys compared case-insensitively."
    lowered = {str(k).lower(): v for k, v in obj.items()}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def _int(value) -> int | None:
    s = _scalar(value)
    return int(s) if s is not None and s.strip().isdigit() else None


def _hanweb_params(html: str, config: dict | None) -> dict | None:
    "The jpage config's ajaxParam: inline, a variable it names, or a ``var param_N = {…}`` of the page."
    value = _ci(config, "ajaxparam") if config else None
    if isinstance(value, dict):
        return value
    if isinstance(value, Expr) and re.fullmatch(r"[A-Za-z_$][\w$]*", value.source):
        found = assigned_object(html, value.source)
        if found:
            return found
    for found in objects_after(html, _PARAM_VAR_RE):
        if _ci(found, "columnid") is not None and _ci(found, "webid") is not None:
            return found
    return None


def hanweb_query(html: str, base_url: str, encoding: str = "utf-8") -> ListQuery | None:
    """The jpage groups of a Hanweb column, when the page's script gives their parameters (without
    ``ajaxParam`` the older GET ``dataproxy.jsp?page=N`` paging applies: ``paging.page_links``)."""
    if "jpage" not in html and "dataproxy" not in html and "param_" not in html:
        return None
    configs = objects_after(html, _JPAGE_RE)
    config = configs[0] if configs else None
    params = _hanweb_params(html, config)
    if not params:
        return None
    pairs = tuple((str(k), v) for k, v in ((k, _scalar(v)) for k, v in params.items()) if v is not None)
    proxy = _scalar(_ci(config, "proxyurl")) if config else None
    if not proxy:
        m = _NEXTGROUP_HREF_RE.search(html)
        proxy = m.group(2).replace("&amp;", "&").split("?", 1)[0] if m else HANWEB_PROXY
    url = resolve(base_url, proxy, encoding)
    if url is None:
        return None
    per_page = (_int(_ci(config, "perpage")) if config else None) or HANWEB_PER_PAGE
    group = (_int(_ci(config, "groupsize")) if config else None) or HANWEB_GROUP_SIZE
    total = _int(_ci(config, "totalrecord")) if config else None
    if total is None:
        m = _TOTALRECORD_RE.search(html)
        total = int(m.group(1)) if m else None
    return ListQuery("hanweb-group", url, "POST", pairs, size=per_page * group, per_page=per_page,
                     total=total, skip=len(_RECORD_RE.findall(html)), why="jpage ajaxParam")


def _hanweb_requests(q: ListQuery, first: int, limit: int) -> list[Endpoint]:
    """Windows of ``q.size`` records from record ``first`` on, as jpage asks for them."""
    body = urlencode(q.params)
    out = []
    start = first
    while len(out) < limit and (q.total is None or start <= q.total):
        end = start + q.size - 1
        query = urlencode([("startrecord", start), ("endrecord", end), ("perpage", q.per_page)])
        out.append(Endpoint(f"{q.url}?{query}", "POST", body, kind=q.kind, probe=q.total is None))
        if q.total is None:
            break
        start = end + 1
    return out


# --- list APIs ------------------------------------------------------------------------------------

def _api_url(config: dict, base_url: str, encoding: str, html: str) -> str | None:
    for key in URL_KEYS:
        raw = _scalar(evaluate(_ci(config, key), html))
        if not raw or raw.startswith(("javascript:", "#")):
            continue
        url = resolve(base_url, raw, encoding)
        if url is None or urlsplit(url).netloc != urlsplit(base_url).netloc:
            continue
        if urlsplit(url).path.lower().endswith(STATIC_EXTS):
            continue
        return url
    if TRSAPI_MARK in html and isinstance(_ci(config, "listargs"), dict):
        return resolve(base_url, TRSAPI_SEARCH, encoding)
    return None


def _first(flat: dict[str, object], names: tuple[str, ...]) -> tuple[str, object] | None:
    "(key, value) of the first dotted key whose last part is one of ``names`` (case-insensitive)."
    for name in names:
        for key, value in flat.items():
            if key.rsplit(".", 1)[-1].lower() == name and _scalar(value) is not None:
                return key.rsplit(".", 1)[-1], value
    return None


def api_query(config: dict, base_url: str, encoding: str = "utf-8", *, html: str = "",
              default_method: str = "GET") -> ListQuery | None:
    """A list endpoint and its parameters from one config object, or None when it does not configure
    a list (no same-site dynamic URL, or nothing that pages: no page size, page number or total).
    Values the config takes from elsewhere in ``html`` (``SiteInfo.searchId``) are looked up there."""
    url = _api_url(config, base_url, encoding, html)
    if url is None:
        return None
    params_obj = next((v for k in PARAM_KEYS if isinstance(v := _ci(config, k), dict)), {})
    params_obj = {k: evaluate(v, html) for k, v in params_obj.items()}
    flat = {k: evaluate(v, html) for k, v in flatten(config).items()}
    size = _first(flat, SIZE_KEYS)
    total = _first(flat, TOTAL_KEYS)
    page = _first(params_obj, PAGE_KEYS)
    if size is None and total is None and page is None:
        return None
    size_param = size[0] if size else None
    pairs = [(str(k), s) for k, v in params_obj.items() if (s := _scalar(v)) is not None
             and str(k).lower() not in PAGE_KEYS and str(k) != size_param]
    method = (_scalar(_ci(config, *METHOD_KEYS)) or default_method).upper()
    content = _scalar(_ci(config, "contenttype")) or ""
    return ListQuery("list-api", url, "POST" if method == "POST" else "GET", tuple(pairs),
                     size=(_int(size[1]) or 15) if size else 15, total=_int(total[1]) if total else None,
                     page_param=page[0] if page else "page", size_param=size_param,
                     json_body="json" in content.lower(), why="list config")


def api_queries(html: str, base_url: str, encoding: str = "utf-8") -> list[ListQuery]:
    "Every list endpoint configured in the page's inline scripts (``api_query`` of each object literal)."
    if "{" not in html:
        return []
    # the TRS intensive-platform list module POSTs; a config that says nothing else is read so
    default = "POST" if TRSAPI_MARK in html else "GET"
    out: list[ListQuery] = []
    for config in objects_after(html, _CONFIG_RE):
        q = api_query(config, base_url, encoding, html=html, default_method=default)
        if q is not None and q not in out:
            out.append(q)
    return out


def _api_requests(q: ListQuery, first_page: int, limit: int) -> list[Endpoint]:
    last = first_page if q.total is None else max(math.ceil(q.total / max(q.size, 1)), 1)
    out = []
    for n in range(first_page, min(last, first_page + limit - 1) + 1):
        fields = list(q.params) + [(q.page_param, str(n))]
        if q.size_param:
            fields.append((q.size_param, str(q.size)))
        if q.json_body:
            body, ctype = json.dumps(dict(fields), ensure_ascii=False), "application/json;charset=UTF-8"
        else:
            body, ctype = urlencode(fields), "application/x-www-form-urlencoded; charset=UTF-8"
        if q.method == "GET":
            sep = "&" if "?" in q.url else "?"
            out.append(Endpoint(canonicalize_url(q.url + sep + urlencode(fields)), "GET", "", None, q.kind,
                                q.total is None))
        else:
            out.append(Endpoint(q.url, "POST", body, ctype, q.kind, q.total is None))
    return out


# --- the plan --------------------------------------------------------------------------------------

def list_queries(html: str, base_url: str, encoding: str = "utf-8") -> list[ListQuery]:
    "The scripted lists of a page: its Hanweb jpage groups and its configured list APIs."
    if not isinstance(html, str) or "<script" not in html.lower():
        return []
    found = [q for q in (hanweb_query(html, base_url, encoding),) if q is not None]
    return found + [q for q in api_queries(html, base_url, encoding) if q.url not in {f.url for f in found}]


def plan(q: ListQuery, limit: int = MAX_PLANNED) -> list[Endpoint]:
    """The requests for every entry ``q``'s page does not hold itself, at most ``limit``. For a Hanweb
    column, the groups after the embedded one; for an API, every page (the printed first page of a
    动静结合 list is asked for again: what it holds must not be assumed)."""
    if q.kind == "hanweb-group":
        first = (q.skip // q.size) * q.size + 1 if q.skip else 1
        if q.total is not None and first > q.total:
            return []
        return _hanweb_requests(q, first, limit)
    return _api_requests(q, 1, limit)


def follow_up(q: ListQuery, total: int | None, limit: int = MAX_PLANNED) -> list[Endpoint]:
    """After a probe (the first request of a list whose total the page did not print), the rest, now
    that its answer said the total."""
    if total is None or total <= 0:
        return []
    known = replace(q, total=total)
    if q.kind == "hanweb-group":
        first = (q.skip // q.size) * q.size + 1 if q.skip else 1
        return _hanweb_requests(known, first + q.size, limit)
    return _api_requests(known, 2, limit)


def answer_total(q: ListQuery, text: str) -> int | None:
    "The total an answer to ``q`` declares (``<totalrecord>`` or a JSON count)."
    if q.kind == "hanweb-group":
        m = _TOTALRECORD_RE.search(text or "")
        return int(m.group(1)) if m else None
    from pipelines.discovery.jsonlists import answer_total as json_total
    return json_total(text)
