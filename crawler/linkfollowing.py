"""Which of a page's links the spider follows, and as what: the navigation half of the ``portals`` spider.

The decisions are the pure functions of pipelines.discovery (``classify_link``, ``subcolumn_title``);
here they meet the crawl's budgets (XXGK_NAV_DEPTH, XXGK_MAX_LIST_PAGES, the sub-column depth) and its
stats. A mixin of ``crawler.spiders.portals.PortalsSpider``, which supplies ``follow`` and ``inc``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.discovery import (Link, canonicalize_url, classify_link, is_report_title, section_score,
                                 subcolumn_context, subcolumn_title)
from pipelines.discovery import keywords as kw

if TYPE_CHECKING:
    import scrapy

    from crawler.portalfile import Portal
    from pipelines.record import Page

# meta: how many sub-columns deep inside the 年报 column a list is, and the reason its link was followed
SUBCOLUMN_DEPTH, SUBCOLUMN_KIND = "xxgk_subcolumn_depth", "xxgk_subcolumn"


class LinkFollowing:
    def follow_links(self, portal: Portal, page: Page, meta: dict, *, in_column: bool):
        hops, column = meta["hops"], meta.get("column")
        for link in page.links or ():
            kind = classify_link(link, in_column=in_column)
            if kind == "report":
                self.inc("report_links")
                request = self.follow(portal, link, "report", hops=hops + 1, column=column)
            elif kind == "subcolumn":
                request = self.follow_subcolumn(portal, link, meta)
            elif kind == "column" and hops < self.nav_depth:
                request = self.follow(portal, link, "list", hops=hops + 1, column=link.text or column)
            elif kind == "section" and hops < self.nav_depth - 1 and section_score(link) > 0:
                request = self.follow(portal, link, "section", hops=hops + 1, column=column)
            else:
                self.count_rejected(link)
                request = None
            if request is not None:
                yield request
        if in_column:
            for request in self.follow_pages(portal, page.paging or (), meta):
                # page 2 of a sub-column is as deep in the column as page 1
                request.meta[SUBCOLUMN_DEPTH] = meta.get(SUBCOLUMN_DEPTH, 0)
                yield request

    def follow_subcolumn(self, portal: Portal, link: Link, meta: dict) -> scrapy.Request | None:
        """A year or group sub-column of the 年报 column ('2023年', '乡镇（街道）'): one more list of the
        same column. XXGK_NAV_DEPTH bounds the way to the column; inside it, nesting is bounded by
        kw.SUBCOLUMN_DEPTH and every sub-list counts against the column's XXGK_MAX_LIST_PAGES."""
        if link.url in self.followed:
            return None
        depth = meta.get(SUBCOLUMN_DEPTH, 0)
        if depth >= kw.SUBCOLUMN_DEPTH:
            self.inc("subcolumn_depth_limit")
            return None
        if meta["list_pages"] >= self.max_list_pages:
            self.inc("list_page_limit")
            self.walk_gap(portal.name, "list_page_limit")
            return None
        request = self.follow(portal, link, "list", hops=meta["hops"] + 1, list_pages=meta["list_pages"] + 1,
                              column=subcolumn_context(meta.get("column"), link.text))
        if request is None:
            return None
        meta["list_pages"] += 1
        reason = subcolumn_title(link.text)[1]
        request.meta[SUBCOLUMN_DEPTH] = depth + 1
        request.meta[SUBCOLUMN_KIND] = reason
        self.inc(f"followed/{reason}")
        return request

    def refetch_as_report(self, portal: Portal, response) -> scrapy.Request | None:
        """A year link ('2022年度报告') followed as a sub-column led to the report itself. It is asked for
        again as a report rather than handed to parse_report from here: the capture's role in WARC is what
        the rebuild from WARC, conditional GETs and window mode go by (the second answer is a revisit)."""
        url = canonicalize_url(response.url)
        self.followed.discard(url)
        request = self.follow(portal, Link(url, response.meta.get("link_text") or "", "a"), "report",
                              hops=response.meta["hops"], column=response.meta.get("column"))
        if request is None:
            self.followed.add(url)   # fetched all the same: no other link to it is worth a request
            return None
        self.inc("subcolumn_as_report")
        return request.replace(dont_filter=True)   # the frontier has this URL already, as a list

    def follow_pages(self, portal: Portal, page_urls, meta: dict):
        for page_url in page_urls:
            if page_url in self.followed:
                continue
            if meta["list_pages"] >= self.max_list_pages:
                self.inc("list_page_limit")
                self.walk_gap(portal.name, "list_page_limit")
                return
            meta["list_pages"] += 1
            request = self.follow(portal, Link(page_url, "", "paging"), "list", hops=meta["hops"],
                                  column=meta.get("column"), list_pages=meta["list_pages"])
            if request is not None:
                self.inc("list_pages")
                yield request

    def count_rejected(self, link: Link) -> None:
        if not link.text or link.url in self.rejected:
            return
        keep, reason = is_report_title(link.text)
        if not keep and reason.startswith("lookalike"):
            self.rejected.add(link.url)
            self.inc(f"rejected/{reason}")
            self.logger.debug("skipped %s (%s): %s", link.url, reason, link.text)
