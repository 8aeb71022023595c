"""``ConditionalGetMiddleware``: If-None-Match / If-Modified-Since for report pages and attachments from
their last capture; a 304 is answered with the archived payload (XXGK_CONDITIONAL_GET).

Order 800: its process_response turns a 304 into the archived payload after the WARC capture (950) and
DownloaderStats (850) have seen the 304 as it came, before RedirectMiddleware (600) and
HttpCompressionMiddleware (590) treat the payload like a fresh one.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler.extensions.reportsdb import ReportsDatabase
from crawler.responses import header_pairs
from pipelines.warc import freshen, read_response

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

PREVIOUS = "xxgk_previous"   # meta: the capture row a conditional request was built from
# pages whose content is the archive's; list pages are always fetched in full: CMS lists are
# generated, and a validator set by a template or a cache can answer 304 over a new report link
CONDITIONAL_ROLES = ("report", "attachment")


class ConditionalGetMiddleware:
    """Asks "changed since?" for report pages and attachments that were captured before.

    A 304 is not an error: it is archived (a server-not-modified revisit, by the WARC middleware)
    and answered, as an HTTP cache would, with the archived payload under the stored headers
    freshened by the 304's. The page then goes through the stages like any other, keeps status
    304, and the store marks its version seen without rewriting the reports row.
    """

    def __init__(self, crawler: Crawler, archive_dir: Path):
        self.crawler = crawler
        self.db = ReportsDatabase.of(crawler)
        self.warc_dir = archive_dir / "warc"

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        settings = crawler.settings
        if not settings.getbool("XXGK_CONDITIONAL_GET"):
            raise NotConfigured("XXGK_CONDITIONAL_GET is off")
        if not settings.getbool("XXGK_WARC_ENABLED"):
            raise NotConfigured("conditional GET needs the WARC capture to answer a 304")
        return cls(crawler, Path(settings.get("ARCHIVE_DIR")))

    def process_request(self, request: Request):
        previous = request.meta.get(PREVIOUS)
        if previous is not None:
            if previous["url"] == request.url:
                return None   # a retry, conditional already
            # a redirect copied the headers: those validators belong to the URL it left
            for name in ("If-None-Match", "If-Modified-Since"):
                request.headers.pop(name, None)
            del request.meta[PREVIOUS]
        index = self.db.index
        if index is None or request.meta.get("role") not in CONDITIONAL_ROLES or request.method != "GET":
            return None
        last = index.last_capture(request.url)
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


