"""List APIs configured in a page's scripts: endpoint, parameters, page size and total (issue 17).

Any object literal of an inline script that names a same-site dynamic URL (``url``, ``api``,
``searchUrl`` …) with paging settings (a page size, a page number or a total) configures a list; its
parameter object (``listArgs``, ``param``, ``data`` …) is what it sends. The TRS intensive-platform
template (``require(["list2.trsapi"])``) keeps its endpoint in the module: the platform's
``/fjdzapp/search``, POSTed ``listArgs`` + ``page`` + ``prepage``; ``pagebar.recordCount`` is the total.
Values taken from elsewhere in the page (``SiteInfo.searchId``, ``"" || "chnlid=1813"``) are read there.
"""
from __future__ import annotations

import json
import math
import re
from urllib.parse import urlencode, urlsplit

from pipelines.discovery.jsobject import evaluate, flatten, objects_after
from pipelines.discovery.links import resolve
from pipelines.discovery.listquery import Endpoint, ListQuery, _ci, _int, _scalar
from pipelines.discovery.urls import canonicalize_url

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
