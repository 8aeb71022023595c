"""The ``portals`` spider: homepage → 信息公开 → 年报 column → list pages → report pages (+ attachments).

It only finds links and yields raw captures; decoding, cleaning and metadata are item pipelines, and the
decisions are the pure functions of pipelines.discovery. Arguments: ``-a start_urls=URL1,URL2`` or
``-a portals=FILE`` (default: portals.toml).

Stats (stored per run in ``runs.stats``), per portal name:
``xxgk/discovery/pages/<portal>`` responses handled, ``…/lists/<portal>`` list pages walked,
``…/candidates/<portal>`` report pages fetched, ``…/reports/<portal>`` reports stored,
``…/attachments/<portal>`` attachment files fetched; and for the run: ``xxgk/discovery/rejected/<reason>``
(links not followed), ``…/trap/<reason>``, ``…/offsite`` (links off the portal's hosts), ``…/redirected``,
``…/ignored`` (requests robots.txt refused; Scrapy counts them as ``robotstxt/forbidden``),
``…/followed/subcolumn:year`` and ``…/followed/subcolumn:group`` (sub-columns of the 年报 column walked),
``…/subcolumn_depth_limit``, ``…/subcolumn_as_report`` (a year link that led to a report, fetched again as one).
"""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.spidermiddlewares.httperror import HttpError

from pipelines.discovery import (Link, canonicalize_url, classify_link, extract_links, is_report_title, is_trap,
                               may_link_attachments, page_links, report_attachments, section_score)
from pipelines.discovery import keywords as kw
from pipelines.discovery import reads_as_report, subcolumn_context, subcolumn_title
from pipelines.discovery.links import page_text
from crawler.fetchfailures import describe_failure
from crawler.responses import header_pairs
from crawler.portalfile import Portal, resolve_portals
from pipelines.faults import detect_block
from pipelines.decode import Decoded, decode
from pipelines.record import Capture, FetchError, new_run_id

PRIORITY = {"report": 30, "attachment": 25, "column": 20, "list": 20, "section": 10}
# meta: how many sub-columns deep inside the 年报 column a list is, and the reason its link was followed
SUBCOLUMN_DEPTH, SUBCOLUMN_KIND = "xxgk_subcolumn_depth", "xxgk_subcolumn"


class PortalsSpider(scrapy.Spider):
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
        spider.max_url_length = s.getint("XXGK_MAX_URL_LENGTH")
        spider.page_maxsize = s.getint("XXGK_PAGE_MAXSIZE")
        spider.attachment_maxsize = s.getint("XXGK_ATTACHMENT_MAXSIZE")
        crawler.signals.connect(spider.item_scraped, signal=signals.item_scraped)
        return spider

    async def start(self):
        for portal in self.portal_list:
            for url in portal.start_urls:
                request = self.follow(portal, Link(canonicalize_url(url), "", "start"), "section", hops=0)
                if request is not None:
                    yield request

    # stats --------------------------------------------------------------------------------------

    def inc(self, key: str, portal: str | None = None) -> None:
        self.crawler.stats.inc_value(f"xxgk/discovery/{key}" + (f"/{portal}" if portal else ""))

    def item_scraped(self, item, response, spider) -> None:
        # an item that passed every pipeline as a dict is a stored reports row; the classifier drops the rest
        if isinstance(item, dict) and response is not None:
            self.inc("reports", response.meta.get("portal"))

    # requests -----------------------------------------------------------------------------------

    def in_scope(self, portal: Portal, url: str) -> bool:
        return urlsplit(url).netloc.lower() in portal.hosts

    def follow(self, portal: Portal, link: Link, role: str, *, hops: int, column: str | None = None,
               list_pages: int = 0) -> scrapy.Request | None:
        # every list page links every other: without this, budgets and work grow with the square
        # of the list's length, and the dupefilter only drops requests already built
        if link.url in self.followed:
            return None
        if not self.in_scope(portal, link.url):
            self.inc("offsite")
            return None
        trap = is_trap(link.url, max_url_length=self.max_url_length)
        if trap:
            self.inc(f"trap/{trap}")
            return None
        if self.requested[portal.name] >= self.max_pages:
            self.inc("portal_page_limit")
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

    def decode_body(self, response) -> Decoded | None:
        "The raw body by our own decoder: Scrapy trusts a lying header (contract)."
        if not response.body:
            return None
        return decode(response.body, response.headers.get("Content-Type", b"").decode("latin-1") or None)

    def page_html(self, response) -> tuple[str | None, str]:
        "(text, codec) of the raw body."
        decoded = self.decode_body(response)
        return (decoded.text, decoded.encoding or "utf-8") if decoded else (None, "utf-8")

    def parse_nav(self, response):
        """A homepage, section page or list page: rank its links, follow the promising ones."""
        meta = response.meta
        portal = self.received(response)
        if meta["role"] == "list":
            self.inc("lists", portal.name)
        html, encoding = self.page_html(response)
        if html is None:
            return
        block = detect_block(response.status, header_pairs(response.headers), html)
        if block:
            # a challenge page has no links: without this row the portal would just look empty
            yield FetchError(url=canonicalize_url(response.url), kind="blocked",
                             message=f"{block} page instead of a {meta['role']} page")
            return
        hops, column = meta["hops"], meta.get("column")
        in_column = meta["role"] == "list"
        for link in extract_links(html, response.url, encoding):
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
            for request in self.follow_pages(portal, html, response.url, encoding, meta):
                # page 2 of a sub-column is as deep in the column as page 1
                request.meta[SUBCOLUMN_DEPTH] = meta.get(SUBCOLUMN_DEPTH, 0)
                yield request
            if meta.get(SUBCOLUMN_KIND) == "subcolumn:year" and reads_as_report(page_text(html)):
                request = self.refetch_as_report(portal, response)
                if request is not None:
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

    def follow_pages(self, portal: Portal, html: str, url: str, encoding: str, meta: dict):
        for page_url in page_links(html, url, encoding=encoding):
            if page_url in self.followed:
                continue
            if meta["list_pages"] >= self.max_list_pages:
                self.inc("list_page_limit")
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

    def parse_report(self, response):
        meta = response.meta
        portal = self.received(response)
        self.inc("candidates", portal.name)
        # The row is keyed on where the page landed, canonicalised: an old URL that 301s to the report and
        # the report's own list link are one document, whichever the crawl met first (the other is a
        # dupefilter hit), and the rebuild from WARC, which sees only the final hop, keys it the same way.
        url = canonicalize_url(response.url)
        # decoded here only when it may link files; the extraction decodes the rest, off this process
        decoded = self.decode_body(response) if may_link_attachments(response.body) else None
        attachments = report_attachments(decoded.text, response.url, decoded.encoding or "utf-8") if decoded else []
        for item in attachments:
            request = self.follow(portal, Link(item["url"], item["name"] or "", "a"), "attachment",
                                  hops=meta["hops"])
            if request is not None:
                yield request
        yield Capture(
            url=url, body=response.body, status=response.status,
            headers=header_pairs(response.headers),
            final_url=response.url,  # as fetched, the WARC record's target URI
            site=urlsplit(url).netloc.lower(), run_id=self.run_id,
            warc_file=meta.get("warc_file"), warc_offset=meta.get("warc_offset"),
            context=meta.get("column"), link_text=meta.get("link_text") or None, attachments=attachments,
            decoded=decoded,
        )

    def parse_attachment(self, response):
        # the WARC middleware archived the bytes; text extraction from attachments comes later
        portal = self.received(response)
        self.inc("attachments", portal.name)
        return ()

    def on_error(self, failure):
        "A page that could not be fetched: one errors row, its kind named for the user, not for Scrapy."
        request = failure.request
        if failure.check(HttpError):
            self.inc("pages", request.meta.get("portal"))
        found = describe_failure(failure)
        if found is None:
            # robots.txt or the offsite filter said no: policy, not a failure of the page
            self.inc("ignored")
            self.logger.debug("not fetched (%s): %s", failure.value, request.url)
            return
        kind, message = found
        url = (request.meta.get("redirect_urls") or [request.url])[0]  # the link followed, not a later hop
        self.logger.info("fetch failed (%s): %s", kind, url)
        yield FetchError(url=canonicalize_url(url), kind=kind, message=message[:500])
