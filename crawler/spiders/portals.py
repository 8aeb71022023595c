"""The ``portals`` spider: homepage → 信息公开 → 年报 column → list pages → report pages.

It only finds links and yields raw captures; decoding, cleaning and metadata are item pipelines.
Arguments: ``-a start_urls=URL1,URL2`` or ``-a portals=FILE`` (default: portals.toml).
"""
from __future__ import annotations

import secrets
from collections import Counter
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from crawler.discovery import (Link, attachment_links, attachment_type, canonicalize_url, classify_link, extract_links,
                               is_report_title, is_trap, page_links, section_score)
from crawler.middlewares import header_pairs
from crawler.portals import Portal, resolve_portals
from pipelines.decode import decode
from pipelines.record import Capture, FetchError

PRIORITY = {"report": 30, "column": 20, "list": 20, "section": 10}


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


class PortalsSpider(scrapy.Spider):
    name = "portals"

    def __init__(self, start_urls: str | None = None, portals: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.portal_list: list[Portal] = resolve_portals(start_urls, portals)
        self.spider_args = {k: v for k, v in (("start_urls", start_urls), ("portals", portals)) if v}
        self.run_id = new_run_id()
        self.portal_of_host = {host: p for p in self.portal_list for host in p.hosts}
        self.requested: Counter[str] = Counter()

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
        return spider

    async def start(self):
        for portal in self.portal_list:
            for url in portal.start_urls:
                request = self.follow(portal, Link(canonicalize_url(url), "", "start"), "section", hops=0)
                if request is not None:
                    yield request

    # requests -----------------------------------------------------------------------------------

    def inc(self, key: str) -> None:
        self.crawler.stats.inc_value(f"xxgk/discovery/{key}")

    def in_scope(self, portal: Portal, url: str) -> bool:
        return urlsplit(url).netloc.lower() in portal.hosts

    def follow(self, portal: Portal, link: Link, role: str, *, hops: int, column: str | None = None,
               list_pages: int = 0) -> scrapy.Request | None:
        if not self.in_scope(portal, link.url):
            return None
        trap = is_trap(link.url, max_url_length=self.max_url_length)
        if trap:
            self.inc(f"trap/{trap}")
            return None
        if self.requested[portal.name] >= self.max_pages:
            self.inc("portal_page_limit")
            return None
        self.requested[portal.name] += 1
        meta = {"portal": portal.name, "role": role, "hops": hops, "column": column, "list_pages": list_pages,
                "link_text": link.text, "download_maxsize": self.page_maxsize}
        callback = self.parse_report if role == "report" else self.parse_nav
        if role == "attachment":
            meta["download_maxsize"] = self.attachment_maxsize
            callback = self.parse_attachment
        return scrapy.Request(link.url, callback=callback, errback=self.on_error, meta=meta,
                              priority=PRIORITY.get(role, 0))

    # callbacks ----------------------------------------------------------------------------------

    def page_html(self, response) -> str | None:
        if not response.body:
            return None
        return decode(response.body, response.headers.get("Content-Type", b"").decode("latin-1") or None).text

    def parse_nav(self, response):
        """A homepage, section page or list page: rank its links, follow the promising ones."""
        meta = response.meta
        portal = self.portal_of_host.get(urlsplit(response.url).netloc.lower()) \
            or next(p for p in self.portal_list if p.name == meta["portal"])
        html = self.page_html(response)
        if html is None:
            return
        hops, column = meta["hops"], meta.get("column")
        for link in extract_links(html, response.url):
            kind = classify_link(link)
            if kind == "report":
                self.inc("report_links")
                request = self.follow(portal, link, "report", hops=hops + 1, column=column)
            elif kind == "column" and hops < self.nav_depth:
                request = self.follow(portal, link, "list", hops=hops + 1, column=link.text or column)
            elif kind == "section" and hops < self.nav_depth - 1 and section_score(link) > 0:
                request = self.follow(portal, link, "section", hops=hops + 1, column=column)
            else:
                self.count_rejected(link)
                request = None
            if request is not None:
                yield request
        if meta["role"] == "list":
            yield from self.follow_pages(portal, html, response.url, meta)

    def follow_pages(self, portal: Portal, html: str, url: str, meta: dict):
        for page_url in page_links(html, url):
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
        if not link.text:
            return
        keep, reason = is_report_title(link.text)
        if not keep and reason.startswith("lookalike"):
            self.inc(f"rejected/{reason}")
            self.logger.debug("skipped %s (%s): %s", link.url, reason, link.text)

    def parse_report(self, response):
        meta = response.meta
        portal = next(p for p in self.portal_list if p.name == meta["portal"])
        request_url = canonicalize_url(response.request.url)
        attachments = []
        html = self.page_html(response)
        if html is not None:
            for link in attachment_links(extract_links(html, response.url)):
                attachments.append({"url": link.url, "name": link.text or None,
                                    "type": attachment_type(link.url, link.text)})
                request = self.follow(portal, link, "attachment", hops=meta["hops"])
                if request is not None:
                    yield request
        yield Capture(
            url=request_url, body=response.body, status=response.status,
            headers=header_pairs(response.headers),
            final_url=canonicalize_url(response.url) if response.url != response.request.url else None,
            site=urlsplit(request_url).netloc.lower(), run_id=self.run_id,
            warc_file=meta.get("warc_file"), warc_offset=meta.get("warc_offset"),
            context=meta.get("column"), link_text=meta.get("link_text") or None, attachments=attachments,
        )

    def parse_attachment(self, response):
        # the WARC middleware archived the bytes; text extraction from attachments comes later
        self.crawler.stats.inc_value("xxgk/attachments/fetched")
        return ()

    def on_error(self, failure):
        request = failure.request
        if failure.check(HttpError):
            status = failure.value.response.status
            kind, message = f"http_{status}", f"HTTP {status}"
        elif failure.check(TimeoutError, TCPTimedOutError):
            kind, message = "timeout", str(failure.value)
        elif failure.check(DNSLookupError):
            kind, message = "dns", str(failure.value)
        else:
            kind, message = failure.type.__name__, str(failure.value)
        self.logger.info("fetch failed (%s): %s", kind, request.url)
        yield FetchError(url=canonicalize_url(request.url), kind=kind, message=message[:500])
