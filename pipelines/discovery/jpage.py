"""Hanweb jpage groups: the records a Hanweb column's ``jpage`` script POSTs for (issue 17).

A column embeds its first group (``perPage`` × ``groupSize``) in ``<datastore>``; jpage asks
``proxyUrl?startrecord=S&endrecord=E&perpage=P`` by POST with the page's ``ajaxParam`` as a form
(``col, appid, webid, path, columnid, sourceContentType, unitid, webname, permissiontype``), given
inline, through a variable, or as ``var param_N = {…}``; the answer is the same ``<datastore>`` XML
with ``<totalrecord>``. Without ajaxParam the older GET ``dataproxy.jsp?page=N`` paging applies
(``paging.page_links``).
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from pipelines.discovery.jsobject import Expr, assigned_object, objects_after
from pipelines.discovery.links import resolve
from pipelines.discovery.listquery import Endpoint, ListQuery, _ci, _int, _scalar

HANWEB_PROXY = "/module/web/jpage/dataproxy.jsp"
HANWEB_PER_PAGE, HANWEB_GROUP_SIZE = 15, 3          # jpage's defaults
_JPAGE_RE = re.compile(r"\.jpage\s*\(\s*")
_PARAM_VAR_RE = re.compile(r"\bvar\s+(param_\w+)\s*=\s*")
_NEXTGROUP_HREF_RE = re.compile(r"<nextgroup\b[^>]*>.*?href\s*=\s*(['\"])(.*?)\1", re.I | re.S)
_TOTALRECORD_RE = re.compile(r"<totalrecord>\s*(\d+)", re.I)
_RECORD_RE = re.compile(r"<record\b", re.I)

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
