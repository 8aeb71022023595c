"""The ``portals`` spider: homepage → 信息公开 → 年报 column → list pages → report pages (+ attachments).

Every page it receives goes through the stages (``crawler.extensions.extraction``, off the event loop)
and comes back with its links; the spider only decides which to follow (the pure functions of
pipelines.discovery) and yields the report pages that are reports. A page fetched because its link
read like a report is read for links all the same: a report-titled link often leads to a list (a
year's 汇总 page, an archive column). A report paged over several URLs is stored as one
(``crawler.pagedreports``). Arguments: ``-a start_urls=URL1,URL2`` or ``-a portals=FILE``.

Stats (stored per run in ``runs.stats``), per portal name:
``xxgk/discovery/pages/<portal>`` responses handled, ``…/lists/<portal>`` list pages walked,
``…/candidates/<portal>`` report pages fetched, ``…/reports/<portal>`` reports stored,
``…/attachments/<portal>`` attachment files fetched; and for the run: ``xxgk/discovery/rejected/<reason>``
(links not followed), ``…/trap/<reason>``, ``…/offsite`` (links off the portal's hosts), ``…/redirected``,
``…/ignored`` (requests robots.txt refused; Scrapy counts them as ``robotstxt/forbidden``),
``…/followed/subcolumn:year`` and ``…/followed/subcolumn:group`` (sub-columns of the 年报 column walked),
``…/subcolumn_depth_limit``, ``…/subcolumn_as_report`` (a year link that led to a report, fetched again as
one), ``…/report_link_to_list`` (a report-titled link that led to a list, read as one), ``…/embedded_files``
(files a report page shows in a viewer, <embed> or <object>), ``…/paged_reports``, ``…/report_pages``.
"""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.extensions.extraction import Extraction
from crawler.fetchfailures import describe_failure
from crawler.linkfollowing import SUBCOLUMN_KIND, LinkFollowing
from crawler.pagedreports import fetch_report_pages
from crawler.portalfile import Portal, resolve_portals
from crawler.renderedlists import RenderedLists
from crawler.scheduler import UNFINISHED
from crawler.scriptedlists import ScriptedLists
from crawler.responses import header_pairs
from pipelines.discovery import Link, canonicalize_url, is_trap
from pipelines.record import Capture, FetchError, new_run_id
from pipelines.stages import fault_error

PRIORITY = {"report": 30, "attachment": 25, "column": 20, "list": 20, "section": 10}


class PortalsSpider(ScriptedLists, RenderedLists, LinkFollowing, scrapy.Spider):
    name = "portals"

    def __init__(self, start_urls: str | None = None, portals: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.portal_list: list[Portal] = resolve_portals(start_urls, portals)
        self.spider_args = {k: v for k, v in (("start_urls", start_urls), ("portals", portals)) if v}
        self.run_id = new_run_id()
        self.portals = {p.name: p for p in self.portal_list}
        self.requested: Counter[str] = Counter()
        self.followed: set[str] = set()   # canonical URLs this run has built a request for
        self.rejected: set[str] = set()  # URLs counted under rejected/…: a menu repeats them on every page
        # what the walk showed (issue 19): report links per portal, and why a portal's walk was incomplete;
        # StorePipeline hands both to pipelines.store.gone at the end of the run
        self.listed: dict[str, dict[str, str | None]] = {p.name: {} for p in self.portal_list}
        self.walk_gaps: dict[str, Counter[str]] = {p.name: Counter() for p in self.portal_list}
        # Our links are scoped per portal in follow(); a redirect is not a link we choose, so Scrapy's
        # OffsiteMiddleware drops the hops that leave every portal's hosts (stat offsite/filtered).
        self.allowed_domains = sorted({urlsplit("//" + h).hostname for p in self.portal_list for h in p.hosts
                                       if urlsplit("//" + h).hostname})

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.nav_depth = s.getint("XXGK_NAV_DEPTH")
        spider.max_list_pages = s.getint("XXGK_MAX_LIST_PAGES")
        spider.max_pages = s.getint("XXGK_MAX_PAGES_PER_PORTAL")
        spider.max_report_pages = s.getint("XXGK_MAX_REPORT_PAGES")
        spider.max_url_length = s.getint("XXGK_MAX_URL_LENGTH")
        spider.page_maxsize = s.getint("XXGK_PAGE_MAXSIZE")
        spider.attachment_maxsize = s.getint("XXGK_ATTACHMENT_MAXSIZE")
        crawler.signals.connect(spider.item_scraped, signal=signals.item_scraped)
        return spider

    @property
    def extraction(self) -> Extraction:
        # the spider is made before the extensions: found on first use
        return Extraction.of(self.crawler)

    async def start(self):
        for portal in self.portal_list:
            for url in portal.start_urls:
                request = self.follow(portal, Link(canonicalize_url(url), "", "start"), "section", hops=0)
                if request is not None:
                    yield request

    # stats --------------------------------------------------------------------------------------

    def inc(self, key: str, portal: str | None = None) -> None:
        self.crawler.stats.inc_value(f"xxgk/discovery/{key}" + (f"/{portal}" if portal else ""))

    def walk_gap(self, portal: str | None, reason: str) -> None:
        "Part of ``portal``'s walk is missing: no report of it may be concluded unlisted this run."
        if portal in self.walk_gaps:
            self.walk_gaps[portal][reason] += 1

    def item_scraped(self, item, response, spider) -> None:
        # an item that passed every pipeline as a dict is a stored reports row
        if isinstance(item, dict) and response is not None:
            self.inc("reports", response.meta.get("portal"))

    # requests -----------------------------------------------------------------------------------

    def in_scope(self, portal: Portal, url: str) -> bool:
        return urlsplit(url).netloc.lower() in portal.hosts

    def follow(self, portal: Portal, link: Link, role: str, *, hops: int, column: str | None = None,
               list_pages: int = 0) -> scrapy.Request | None:
        # every list page links every other: without this, budgets and work grow with the square
        # of the list's length, and the dupefilter only drops requests already built
        in_scope = self.in_scope(portal, link.url)
        if role == "report" and in_scope:   # listed, fetched or not (a menu repeats it, window mode skips it)
            self.listed[portal.name].setdefault(link.url, column)
        if link.url in self.followed:
            return None
        if not in_scope:
            self.inc("offsite")
            return None
        trap = is_trap(link.url, max_url_length=self.max_url_length)
        if trap:
            self.inc(f"trap/{trap}")
            return None
        if self.requested[portal.name] >= self.max_pages:
            self.inc("portal_page_limit")
            self.walk_gap(portal.name, "portal_page_limit")
            return None
        self.requested[portal.name] += 1
        self.followed.add(link.url)
        meta = {"portal": portal.name, "role": role, "hops": hops, "column": column, "list_pages": list_pages,
                "link_text": link.text, "download_maxsize": self.page_maxsize}
        callback = self.parse_report if role == "report" else self.parse_nav
        if role == "attachment":
            meta["download_maxsize"] = self.attachment_maxsize
            callback = self.parse_attachment
        return scrapy.Request(link.url, callback=callback, errback=self.on_error, meta=meta,
                              priority=PRIORITY.get(role, 0))

    # callbacks ----------------------------------------------------------------------------------

    def received(self, response) -> Portal:
        portal = self.portals[response.meta["portal"]]
        self.inc("pages", portal.name)
        if response.meta.get("redirect_urls"):
            self.inc("redirected")
            self.logger.debug("redirected %s -> %s", response.meta["redirect_urls"][0], response.url)
        return portal

    def capture(self, response, role: str | None = None) -> Capture:
        "The response as received, the stages' input (the raw capture comes first: contract)."
        meta = response.meta
        # The row is keyed on where the page landed, canonicalised: an old URL that 301s to the report and
        # the report's own list link are one document, whichever the crawl met first (the other is a
        # dupefilter hit), and the rebuild from WARC, which sees only the final hop, keys it the same way.
        url = canonicalize_url(response.url)
        return Capture(url=url, body=response.body, status=response.status, headers=header_pairs(response.headers),
                       final_url=response.url,  # as fetched, the WARC record's target URI
                       site=urlsplit(url).netloc.lower(), run_id=self.run_id,
                       warc_file=meta.get("warc_file"), warc_offset=meta.get("warc_offset"),
                       role=role or meta["role"], context=meta.get("column"),
                       link_text=meta.get("link_text") or None)

    async def parse_nav(self, response):
        """A homepage, section page or list page: rank its links, follow the promising ones."""
        meta = response.meta
        portal = self.received(response)
        if meta["role"] == "list":
            self.inc("lists", portal.name)
        page = await self.extraction.process(self.capture(response))
        if page.fault is not None:
            # a challenge page has no links: without this row the portal would just look empty
            kind, message = fault_error(page)
            self.walk_gap(portal.name, f"{meta['role']}:{kind}")
            yield FetchError(url=page.capture.url, kind=kind, message=f"{message}, instead of a {meta['role']} page")
            return
        for stage, kind, _ in page.errors or ():   # a page that timed out in the workers gave no links
            self.walk_gap(portal.name, f"{meta['role']}:{stage}:{kind}")
        for request in self.follow_links(portal, page, meta, in_column=meta["role"] == "list"):
            yield request
        # lists its script fetches, and a list only a browser shows (issue 17)
        for request in self.scripted_requests(portal, page, meta):
            yield request
        if meta.get(SUBCOLUMN_KIND) == "subcolumn:year" and page.reads_as_report:
            request = self.refetch_as_report(portal, response)
            if request is not None:
                yield request

    async def parse_report(self, response):
        meta = response.meta
        portal = self.received(response)
        self.inc("candidates", portal.name)
        page = await self.extraction.process(self.capture(response))
        fault = fault_error(page)
        if fault is not None:   # a block page, an empty or binary body: an error, never a report
            self.logger.info("not a page (%s): %s", page.verdict[1] if page.verdict else fault[0], page.capture.url)
            yield FetchError(url=page.capture.url, kind=fault[0], message=fault[1], stage="classify")
            return
        shown = {link.url for link in page.links or () if link.source == "embed"}
        for item in page.attachments or ():
            request = self.follow(portal, Link(item["url"], item["name"] or "", "a"), "attachment", hops=meta["hops"])
            if request is not None:
                request.meta["report_url"] = page.capture.url
                if item["url"] in shown:
                    self.inc("embedded_files")
                yield request
        if page.verdict is not None and not page.verdict[0]:
            # its link read like a report, the page is not one: a year's 汇总 list, an archive column.
            # Read it as a list of the column; it is never stored
            self.inc("report_link_to_list")
            self.logger.debug("not a report (%s), read as a list: %s", page.verdict[1], page.capture.url)
            for request in self.follow_links(portal, page, {**meta, "list_pages": 0}, in_column=True):
                yield request
            return
        if page.paging:
            page = await fetch_report_pages(self, response, page)
            if page is None:   # the run is closing: left leased, the next run fetches it whole
                response.meta[UNFINISHED] = True
                return
        yield page

    async def parse_attachment(self, response):
        "A file a report links or shows: its text and tables read in the workers, stored as its own row."
        portal = self.received(response)
        self.inc("attachments", portal.name)
        capture = self.capture(response)
        capture.report_url = response.meta.get("report_url")
        yield await self.extraction.process(capture)

    def on_error(self, failure):
        "A page that could not be fetched: one errors row, its kind named for the user, not for Scrapy."
        request = failure.request
        if failure.check(HttpError):
            self.inc("pages", request.meta.get("portal"))
        found = describe_failure(failure)
        role = request.meta.get("role")
        if role not in ("report", "attachment", "report_page"):   # a page of the walk itself is missing
            self.walk_gap(request.meta.get("portal"), f"{role}:{found[0] if found else 'not_fetched'}")
        if found is None:
            # robots.txt or the offsite filter said no: policy, not a failure of the page
            self.inc("ignored")
            self.logger.debug("not fetched (%s): %s", failure.value, request.url)
            return
        kind, message = found
        url = (request.meta.get("redirect_urls") or [request.url])[0]  # the link followed, not a later hop
        self.logger.info("fetch failed (%s): %s", kind, url)
        yield FetchError(url=canonicalize_url(url), kind=kind, message=message[:500])
