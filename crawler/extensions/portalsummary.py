"""``PortalSummary``: a portal that yields nothing says so, with the reason, when the run ends.

A portal whose start URL redirects off its hosts, whose robots.txt forbids everything, or whose start
URL never became a request used to end the run with 0 pages, no ``errors`` row and exit 0. At the end
of a finished run, for each such portal, one log line (WARNING) and one ``errors`` row:

- ``fetch``, ``nothing_fetched``: "portal X: 0 pages fetched, because …";
- ``discovery``, ``no_reports`` (normal mode only: window mode skips known reports on purpose):
  "portal X: N pages fetched, no report stored, because …".

A portal whose start URL already has an ``errors`` row of this run (refused, a DNS failure, an HTTP
error, a challenge page) gets the log line naming that row, and no second row. A resumed run is not
judged: its portals may have been fetched by the run it resumes.

Stats: ``xxgk/errors/<stage>/<kind>`` as for every errors row.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import signals

from crawler.extensions.reportsdb import ReportsDatabase
from crawler.stoprun import STORAGE_ERRORS
from pipelines.discovery import is_trap

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

    from crawler.portalfile import Portal
    from pipelines.store import Store

logger = logging.getLogger(__name__)


class PortalSummary:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.offsite: dict[str, tuple[str, str]] = {}   # portal → (URL followed, off-host URL it led to)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalSummary:
        o = cls(crawler)
        crawler.signals.connect(o.request_scheduled, signal=signals.request_scheduled)
        # connected before the item pipelines' handlers: its rows are written before the run's row counts them
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    def request_scheduled(self, request: Request, spider) -> None:
        # the spider never builds a request off a portal's hosts: one that is scheduled came from a
        # redirect, and Scrapy's OffsiteMiddleware drops it without a word
        portal = getattr(spider, "portals", {}).get(request.meta.get("portal"))
        if portal is not None and urlsplit(request.url).netloc.lower() not in portal.hosts:
            first = (request.meta.get("redirect_urls") or [request.url])[0]
            self.offsite.setdefault(portal.name, (first, request.url))

    def spider_closed(self, spider, reason: str) -> None:
        if reason != "finished" or self.stats.get_value("xxgk/state/resumed"):
            return
        portals: list[Portal] = list(getattr(spider, "portal_list", []))
        if not portals:
            return
        db = ReportsDatabase.of(self.crawler)
        run_id = getattr(spider, "run_id", None)
        try:
            known = db.submit(_start_url_errors, run_id, portals).result()
        except STORAGE_ERRORS as exc:
            logger.error("portal summary not written: %s", exc)
            return
        for portal in portals:
            row = known.get(portal.name)
            found = self.judge(spider, portal, row)
            if found is None:
                continue
            stage, kind, message = found
            logger.warning("%s", message)
            if row is None:   # else the row that says why is there already
                self.stats.inc_value(f"xxgk/errors/{stage}/{kind}")
                db.submit(_record, run_id, portal.start_urls[0], stage, kind, message)

    def judge(self, spider, portal: Portal, row: tuple[str, str, str] | None) -> tuple[str, str, str] | None:
        """(stage, kind, message) for a portal that yielded nothing, else None. ``row``: an errors row
        of this run for its start URL (stage, kind, url)."""
        pages = self.stats.get_value(f"xxgk/discovery/pages/{portal.name}", 0)
        if not pages:
            why = f"its start URL {row[2]} failed ({row[0]}:{row[1]} in errors)" if row else \
                self.why_no_pages(spider, portal)
            return "fetch", "nothing_fetched", f"portal {portal.name}: 0 pages fetched, because {why}"
        if self.crawler.settings.get("XXGK_MODE") != "normal" or \
                self.stats.get_value(f"xxgk/discovery/reports/{portal.name}", 0):
            return None
        candidates = self.stats.get_value(f"xxgk/discovery/candidates/{portal.name}", 0)
        why = (f"{candidates} report pages were fetched and none read as a report" if candidates else
               "no link on them led to a report page (no 年报 column found within "
               f"XXGK_NAV_DEPTH={self.crawler.settings.get('XXGK_NAV_DEPTH')} links of its start URL)")
        if row is not None:
            why = f"its start URL {row[2]} failed ({row[0]}:{row[1]} in errors)"
        return "discovery", "no_reports", f"portal {portal.name}: {pages} pages fetched, no report stored, because {why}"

    def why_no_pages(self, spider, portal: Portal) -> str:
        if not getattr(spider, "requested", {}).get(portal.name):
            for url in portal.start_urls:
                trap = is_trap(url, max_url_length=getattr(spider, "max_url_length", 512))
                if trap:
                    return f"its start URL {url} looks like a crawler trap ({trap}) and was not requested"
            return "its start URL was never requested (another portal has the same start URL)"
        if portal.name in self.offsite:
            first, elsewhere = self.offsite[portal.name]
            return (f"{first} redirected to {elsewhere}, off the portal's hosts ({', '.join(sorted(portal.hosts))}); "
                    "add that host to allowed_hosts or start from it")
        ignored = self.stats.get_value(f"xxgk/discovery/ignored_reason/{portal.name}")
        if ignored:
            return f"its requests were refused before download: {ignored}"
        return "no response of it reached the spider (see the log)"


def _start_url_errors(store: Store, run_id: str | None, portals: list[Portal]) -> dict[str, tuple[str, str, str]]:
    "portal name → (stage, kind, url) of an errors row of this run for one of its start URLs."
    out = {}
    for portal in portals:
        marks = ", ".join("?" for _ in portal.start_urls)
        row = store.db.execute(f"select stage, kind, url from errors where run_id = ? and url in ({marks}) limit 1",
                               [run_id, *portal.start_urls]).fetchone()
        if row is not None:
            out[portal.name] = tuple(row)
    return out


def _record(store: Store, run_id: str | None, url: str, stage: str, kind: str, message: str) -> None:
    store.record_error(run_id, url, stage, kind, message)
