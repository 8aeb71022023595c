"""The lists a list page's script fetches: their requests, made as the script makes them (issue 17).

A mixin of the ``portals`` spider (beside ``LinkFollowing``): ``scripted_requests`` turns the
``Page.list_queries`` the links stage found (Hanweb jpage groups, list APIs of the page's config,
``pipelines.discovery.scripted``) into requests: the method, query and body the script would send
(a POST's form is archived in its WARC request record), each group or page until the declared
total, within the column's XXGK_MAX_LIST_PAGES. Their answers (``parse_endpoint``) are read for
report links like any page of the column; a probe's answer (a list whose page printed no total)
plans the rest. Then the render decision (``crawler.renderedlists``).

Stats: ``xxgk/discovery/scripted/<kind>`` (lists found), ``…/scripted_requests``,
``…/scripted_requests/<kind>`` (requests made).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import scrapy

from pipelines.discovery.scripted import answer_total, follow_up, plan
from pipelines.stages import fault_error
from pipelines.record import FetchError

if TYPE_CHECKING:
    from crawler.portalfile import Portal
    from pipelines.discovery.scripted import Endpoint, ListQuery
    from pipelines.record import Page

QUERY, PROBE = "xxgk_list_query", "xxgk_list_probe"   # meta of an endpoint request: its list, a probe?


class ScriptedLists:
    def scripted_requests(self, portal: Portal, page: Page, meta: dict):
        "Requests for the lists the page's script fetches, then for its rendering (if it needs one)."
        if meta.get(QUERY) is None and meta["role"] == "list":
            for query in page.list_queries or ():
                self.inc(f"scripted/{query.kind}")
                for endpoint in plan(query, limit=max(self.max_list_pages - meta["list_pages"], 0) + 1):
                    request = self.follow_endpoint(portal, query, endpoint, meta, referer=page.capture.final_url)
                    if request is not None:
                        yield request
        request = self.render_request(portal, page, meta)
        if request is not None:
            yield request

    def follow_endpoint(self, portal: Portal, query: ListQuery, endpoint: Endpoint, meta: dict,
                        referer: str | None = None) -> scrapy.Request | None:
        if endpoint.key in self.followed:
            return None
        if not self.in_scope(portal, endpoint.url):
            self.inc("offsite")
            return None
        if meta["list_pages"] >= self.max_list_pages:
            self.inc("list_page_limit")
            return None
        if self.requested[portal.name] >= self.max_pages:
            self.inc("portal_page_limit")
            return None
        self.requested[portal.name] += 1
        self.followed.add(endpoint.key)
        meta["list_pages"] += 1
        headers = {"X-Requested-With": "XMLHttpRequest"}
        if referer:
            headers["Referer"] = referer
        if endpoint.content_type and endpoint.method == "POST":
            headers["Content-Type"] = endpoint.content_type
        self.inc("scripted_requests")
        self.inc(f"scripted_requests/{endpoint.kind}")
        new_meta = {"portal": portal.name, "role": "list", "hops": meta["hops"], "column": meta.get("column"),
                    "list_pages": meta["list_pages"], "link_text": "", "download_maxsize": self.page_maxsize,
                    QUERY: query, PROBE: endpoint.probe}
        return scrapy.Request(endpoint.url, method=endpoint.method, body=endpoint.body or None, headers=headers,
                              callback=self.parse_endpoint, errback=self.on_error, meta=new_meta,
                              priority=20)

    async def parse_endpoint(self, response):
        "An answer of a list's endpoint (datastore XML, JSON): its entries, as a page of the column."
        meta = response.meta
        portal = self.received(response)
        self.inc("lists", portal.name)
        page = await self.extraction.process(self.capture(response))
        if page.fault is not None:
            kind, message = fault_error(page)
            self.walk_gap(portal.name, f"endpoint:{kind}")
            yield FetchError(url=page.capture.url, kind=kind, message=f"{message}, instead of a list answer")
            return
        page.paging = []   # what the answer itself hints at is not how its script pages
        page.list_queries = None
        for request in self.follow_links(portal, page, meta, in_column=True):
            yield request
        if meta.get(PROBE):
            query = meta[QUERY]
            total = answer_total(query, response.body.decode("utf-8", "replace"))
            for endpoint in follow_up(query, total, limit=max(self.max_list_pages - meta["list_pages"], 0) + 1):
                request = self.follow_endpoint(portal, query, endpoint, meta, referer=response.request.headers.get(
                    "Referer", b"").decode("latin-1") or None)
                if request is not None:
                    yield request
