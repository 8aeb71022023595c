"""Downloader and spider middlewares of an archival run.

- ``WarcCaptureMiddleware``: every response, each redirect hop and retry included, into WARC; an
  unchanged payload becomes a ``revisit`` record (XXGK_WARC_ENABLED, XXGK_WARC_DEDUP,
  XXGK_WARC_MAX_SIZE). Sets ``warc_file`` / ``warc_offset`` in the request meta: the record that
  holds the page's payload (the original one, for a revisit).
- ``ConditionalGetMiddleware``: If-None-Match / If-Modified-Since for report pages and attachments
  from their last capture; a 304 is answered with the archived payload (XXGK_CONDITIONAL_GET).
- ``WindowModeMiddleware``: XXGK_MODE=window, for runs every few hours in the publication window:
  list pages and new reports only (XXGK_WINDOW_RECHECK_HOURS).
- ``RobotsTxtMiddleware``: Scrapy's, with every request that waits for a host's robots.txt
  checked against it (Scrapy 2.19 lets all but the first through).

All three read the capture index (``captures`` in ARCHIVE_DIR/reports.db); its rows are written by the
crawl's database thread (``crawler.writer``).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.storage import STORAGE_ERRORS, stop_run
from crawler.warc import (IDENTICAL_PAYLOAD, SERVER_NOT_MODIFIED, Original, RollingWarcWriter, freshen, header,
                          payload_digest, read_response)
from crawler.writer import ReportsWriter
from pipelines.store import CaptureIndex, Store, open_database

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

PREVIOUS = "xxgk_previous"   # meta: the capture row a conditional request was built from
# pages whose content is the archive's; list pages are always fetched in full: CMS lists are
# generated, and a validator set by a template or a cache can answer 304 over a new report link
CONDITIONAL_ROLES = ("report", "attachment")
MODES = ("normal", "window")


def header_pairs(headers) -> list[tuple[str, str]]:
    "Scrapy Headers → (name, value) pairs, repeats kept, bytes through latin-1 (never UTF-8)."
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


def crawl_context(meta: dict) -> dict[str, str]:
    """Why the page was fetched, as WARC extension fields, so a rebuild from WARC alone makes the
    same report decisions as the crawl did. Values are percent-encoded: WARC headers are not a
    safe place for raw Chinese text in every reader."""
    fields = {"XXGK-Role": meta.get("role"), "XXGK-Context": meta.get("column"),
              "XXGK-Link-Text": meta.get("link_text")}
    return {k: quote(str(v), safe="") for k, v in fields.items() if v}


def payload_record(capture: dict) -> Original:
    "The response record that holds a capture's payload (itself, or the one a revisit refers to)."
    if capture["type"] == "response":
        return Original(capture["record_id"], capture["url"], capture["date"])
    return Original(capture["refers_to"], capture["refers_to_uri"], capture["refers_to_date"])


class CaptureIndexUser:
    """Opens the capture index when the spider opens, closes it when it closes."""

    def __init__(self, crawler: Crawler, archive_dir: Path):
        self.crawler = crawler
        self.archive_dir = archive_dir
        self.index: CaptureIndex | None = None

    def connect(self, crawler: Crawler) -> None:
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_opened(self, spider) -> None:
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        self.index = CaptureIndex(open_database(self.archive_dir / "reports.db"))

    def spider_closed(self, spider) -> None:
        if self.index is not None:
            self.index.db.close()
            self.index = None


class WarcCaptureMiddleware(CaptureIndexUser):
    """Writes each response as it came (before decompression, each redirect hop) and indexes it."""

    def __init__(self, crawler: Crawler, archive_dir: Path, max_size: int, dedup: bool):
        super().__init__(crawler, archive_dir)
        self.directory = archive_dir / "warc"
        self.max_size = max_size
        self.dedup = dedup
        self.writer: RollingWarcWriter | None = None
        # index rows are written by the crawl's database thread, a moment later: until they are
        # committed, this run's payloads are found here, so a duplicate right behind its original
        # is still a revisit
        self.db = ReportsWriter.of(crawler)
        self.unindexed: dict[str, dict] = {}   # payload digest → its response's index row

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        settings = crawler.settings
        if not settings.getbool("XXGK_WARC_ENABLED"):
            raise NotConfigured("XXGK_WARC_ENABLED is off")
        o = cls(crawler, Path(settings.get("ARCHIVE_DIR")), settings.getint("XXGK_WARC_MAX_SIZE"),
                settings.getbool("XXGK_WARC_DEDUP"))
        o.connect(crawler)
        return o

    def spider_opened(self, spider) -> None:
        super().spider_opened(spider)
        self.writer = RollingWarcWriter(self.directory, getattr(spider, "run_id", "run"), self.max_size)

    def spider_closed(self, spider) -> None:
        if self.writer is not None:
            self.writer.close()
        super().spider_closed(spider)

    def original_of(self, response: Response, request: Request) -> tuple[dict | None, str]:
        "The earlier capture this one can refer to instead of repeating the payload, and the profile."
        previous = request.meta.get(PREVIOUS)
        if response.status == 304 and previous:
            return previous, SERVER_NOT_MODIFIED
        if not self.dedup or response.status != 200 or not response.body:
            return None, IDENTICAL_PAYLOAD
        original = self.original(payload_digest(response.body), response.url)
        if original and not (self.directory / original["warc_file"]).exists():
            original = None   # its file was moved away: this capture must hold the bytes itself
        return original, IDENTICAL_PAYLOAD

    def original(self, digest: str, url: str) -> dict | None:
        "CaptureIndex.original, this run's rows not yet committed included (the same URL's first)."
        found = self.index.original(digest, url)
        if found is None or found["url"] != url:
            mine = self.unindexed.get(digest)
            if mine is not None and (found is None or mine["url"] == url):
                return mine
        return found

    def process_response(self, request: Request, response: Response):
        if self.writer is None:
            return response
        try:
            self.capture(request, response)
        except STORAGE_ERRORS as exc:
            stop_run(self.crawler, "warc", exc)
        return response

    def capture(self, request: Request, response: Response) -> None:
        headers = header_pairs(response.headers)
        original, profile = self.original_of(response, request)
        ref = payload_record(original) if original else None
        ip = str(response.ip_address) if getattr(response, "ip_address", None) else None
        written = self.writer.write(
            url=response.url, status=response.status, headers=headers,
            body=response.body, method=request.method, request_headers=header_pairs(request.headers),
            protocol=getattr(response, "protocol", None) or "HTTP/1.1", ip=ip,
            extra_headers=crawl_context(request.meta), revisit_of=ref, profile=profile)
        row = {"url": response.url, "date": written.date, "record_id": written.record_id,
               "type": written.rec_type, "status": response.status, "warc_file": written.file,
               "warc_offset": written.offset, "role": request.meta.get("role"),
               "run_id": getattr(self.crawler.spider, "run_id", None), "length": len(response.body),
               "etag": header(headers, "ETag"), "last_modified": header(headers, "Last-Modified")}
        if ref is None:
            row.update(digest=written.digest, payload_file=written.file, payload_offset=written.offset)
        else:
            row.update(profile=profile, digest=original["digest"], refers_to=ref.record_id,
                       refers_to_uri=ref.uri, refers_to_date=ref.date,
                       payload_file=original["payload_file"], payload_offset=original["payload_offset"])
            if profile == SERVER_NOT_MODIFIED:
                # a 304 need not repeat the validators: the ones it confirmed still hold
                row["etag"] = row["etag"] or original["etag"]
                row["last_modified"] = row["last_modified"] or original["last_modified"]
            self.crawler.stats.inc_value("xxgk/warc/revisits")
        done = None
        if ref is None and response.status == 200 and written.digest:
            self.unindexed[written.digest] = row
            done = partial(self.unindexed.pop, written.digest, None)
        self.db.write_later(Store.add_capture, row, done=done)
        # the page's row must point at bytes: for a revisit, the original record's
        request.meta["warc_file"], request.meta["warc_offset"] = row["payload_file"], row["payload_offset"]
        self.crawler.stats.inc_value("xxgk/warc/records")


class ConditionalGetMiddleware(CaptureIndexUser):
    """Asks "changed since?" for report pages and attachments that were captured before.

    A 304 is not an error: it is archived (a server-not-modified revisit, by the WARC middleware)
    and answered, as an HTTP cache would, with the archived payload under the stored headers
    freshened by the 304's. The page then goes through the stages like any other, keeps status
    304, and the store marks its version seen without rewriting the reports row.
    """

    def __init__(self, crawler: Crawler, archive_dir: Path):
        super().__init__(crawler, archive_dir)
        self.warc_dir = archive_dir / "warc"

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        settings = crawler.settings
        if not settings.getbool("XXGK_CONDITIONAL_GET"):
            raise NotConfigured("XXGK_CONDITIONAL_GET is off")
        if not settings.getbool("XXGK_WARC_ENABLED"):
            raise NotConfigured("conditional GET needs the WARC capture to answer a 304")
        o = cls(crawler, Path(settings.get("ARCHIVE_DIR")))
        o.connect(crawler)
        return o

    def process_request(self, request: Request):
        previous = request.meta.get(PREVIOUS)
        if previous is not None:
            if previous["url"] == request.url:
                return None   # a retry, conditional already
            # a redirect copied the headers: those validators belong to the URL it left
            for name in ("If-None-Match", "If-Modified-Since"):
                request.headers.pop(name, None)
            del request.meta[PREVIOUS]
        if self.index is None or request.meta.get("role") not in CONDITIONAL_ROLES or request.method != "GET":
            return None
        last = self.index.last_capture(request.url)
        if last is None or not (last["etag"] or last["last_modified"]):
            return None
        if not (self.warc_dir / last["payload_file"]).exists():
            return None   # we could not answer a 304 with the bytes: ask for them
        if last["etag"]:
            request.headers["If-None-Match"] = last["etag"]
        if last["last_modified"]:
            request.headers["If-Modified-Since"] = last["last_modified"]
        request.meta[PREVIOUS] = last
        # a 304 goes to the callback, not to HttpErrorMiddleware's errback
        request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", ()), 304]
        self.crawler.stats.inc_value("xxgk/conditional/sent")
        return None

    def process_response(self, request: Request, response: Response):
        previous = request.meta.get(PREVIOUS)
        if response.status != 304 or not previous:
            return response
        stored = read_response(self.warc_dir / previous["payload_file"], previous["payload_offset"])
        headers = Headers(freshen(stored.headers, header_pairs(response.headers)))
        cls = responsetypes.from_args(headers=headers, url=response.url, body=stored.body)
        self.crawler.stats.inc_value("xxgk/conditional/not_modified")
        return cls(url=response.url, status=304, headers=headers, body=stored.body, request=request,
                   flags=[*response.flags, "not_modified"], certificate=response.certificate,
                   ip_address=response.ip_address, protocol=response.protocol)


class WindowModeMiddleware(BaseSpiderMiddleware):
    """XXGK_MODE=window: a run that re-checks the report lists and fetches new reports, leaving
    known report pages alone when they were captured less than XXGK_WINDOW_RECHECK_HOURS ago.

    Meant for runs every few hours from January to April, when the year's reports appear; the
    nightly normal run still re-validates every report (cheaply, with conditional GETs)."""

    def __init__(self, crawler: Crawler, archive_dir: Path, recheck: timedelta):
        super().__init__(crawler)
        self.captures = CaptureIndexUser(crawler, archive_dir)
        self.recheck = recheck

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        settings = crawler.settings
        mode = settings.get("XXGK_MODE")
        if mode not in MODES:
            raise ValueError(f"XXGK_MODE must be one of {', '.join(MODES)}, not {mode!r}")
        crawler.stats.set_value("xxgk/mode", mode)
        if mode != "window":
            raise NotConfigured   # the default: no "Disabled …" warning in every normal run
        o = cls(crawler, Path(settings.get("ARCHIVE_DIR")),
                timedelta(hours=settings.getfloat("XXGK_WINDOW_RECHECK_HOURS")))
        o.captures.connect(crawler)
        return o

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        index = self.captures.index
        if request.meta.get("role") != "report" or index is None:
            return request
        last = index.last_seen(request.url)
        if last is None:
            return request
        age = datetime.now(timezone.utc) - datetime.fromisoformat(last.replace("Z", "+00:00"))
        if age < self.recheck:
            self.crawler.stats.inc_value("xxgk/mode/window/recent_report_skipped")
            return None
        return request


class _OneLine(logging.Filter):
    "A robots.txt that cannot be fetched (portal down) is one log line, not a traceback."

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = record.exc_text = None
        return True


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, fixed for requests that wait for robots.txt together.

    Under the asyncio reactor, Scrapy 2.19 has each waiting request ``await`` the same Deferred
    through ``asFuture``, whose callback returns None: the first waiter gets the parser, every
    later one gets None, which means "no robots.txt", and is fetched unchecked. A normal crawl
    rarely has two requests waiting (a host's homepage comes alone), but a resumed crawl starts
    with many requests per host at once. Here a waiter only waits, then reads the parser."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        scrapy_logger = logging.getLogger(ScrapyRobotsTxtMiddleware.__module__)
        if not any(isinstance(f, _OneLine) for f in scrapy_logger.filters):
            scrapy_logger.addFilter(_OneLine())

    async def robot_parser(self, request: Request):
        netloc = urlparse_cached(request).netloc
        while isinstance(pending := self._parsers.get(netloc), Deferred):
            done: Deferred = Deferred()

            def wake(result, done=done):
                done.callback(None)
                return result   # hand the result on, untouched, to whoever else listens

            pending.addBoth(wake)
            await maybe_deferred_to_future(done)
        return await super().robot_parser(request)
