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

from dataclasses import replace

from pipelines.discovery.jpage import _TOTALRECORD_RE, _hanweb_requests, hanweb_query
from pipelines.discovery.listapi import _api_requests, api_queries
from pipelines.discovery.listquery import Endpoint, ListQuery

__all__ = ["Endpoint", "ListQuery", "list_queries", "plan", "follow_up", "answer_total"]
MAX_PLANNED = 1000


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
