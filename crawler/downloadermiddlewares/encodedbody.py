"""``EncodedBodyMiddleware`` (order 595, sees a compressed body before HttpCompressionMiddleware at 590): a
gzip or deflate stream that ends before its end marker raises ``TruncatedEncoding``, which the spider
records as kind ``truncated``.

The HTTP message was whole (its Content-Length or last chunk arrived), but the compressor's output was
cut: a backend that died mid-page behind a compressing proxy. Scrapy unpacks such a body as far as it
goes and says nothing, so a third of a report would be stored as the report. The check inflates at
most as much as HttpCompressionMiddleware will (the request's download_maxsize): past that, that
middleware stops the response itself (``too_large``).
"""
from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

CHUNK = 1 << 16
GZIP_MAGIC = b"\x1f\x8b"


class TruncatedEncoding(IgnoreRequest):
    "A compressed body whose stream ends before its end marker."


def stream_complete(body: bytes, encoding: str, max_size: int) -> bool | None:
    """Whether the gzip/deflate ``body`` reaches its end marker (every gzip member does); None when
    it does not unpack at all (HttpCompressionMiddleware reports that) or unpacks past ``max_size``."""
    if encoding in ("gzip", "x-gzip"):
        wbits_tries = (31,)
    elif encoding == "deflate":
        wbits_tries = (15, -15)   # zlib-wrapped, or raw deflate as some IIS servers send it
    else:
        return True
    for wbits in wbits_tries:
        try:
            return _inflate_to_end(body, wbits, max_size)
        except zlib.error:
            continue
    return None


def _inflate_to_end(data: bytes, wbits: int, max_size: int) -> bool | None:
    unpacked = 0
    while True:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, CHUNK)
        unpacked += len(out)
        while inflater.unconsumed_tail and not inflater.eof:
            if max_size and unpacked > max_size:
                return None
            out = inflater.decompress(inflater.unconsumed_tail, CHUNK)
            unpacked += len(out)
        if not inflater.eof:
            return False
        data = inflater.unused_data
        # another gzip member follows (gzip allows several); anything else after the end is not ours to judge
        if wbits != 31 or not data.startswith(GZIP_MAGIC):
            return True


class EncodedBodyMiddleware:
    def __init__(self, max_size: int):
        self.max_size = max_size

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodedBodyMiddleware:
        return cls(crawler.settings.getint("DOWNLOAD_MAXSIZE"))

    def process_response(self, request: Request, response: Response):
        encodings = [e.strip().lower() for v in response.headers.getlist("Content-Encoding")
                     for e in v.decode("latin-1").split(",") if e.strip()]
        if request.method == "HEAD" or not encodings or not response.body:
            return response
        # the outermost encoding is the one whose stream the server's last step wrote
        complete = stream_complete(response.body, encodings[-1], request.meta.get("download_maxsize", self.max_size))
        if complete is False:
            raise TruncatedEncoding(f"{encodings[-1]} stream cut short: {len(response.body)} bytes received, "
                                    "the stream's end marker missing")
        return response
