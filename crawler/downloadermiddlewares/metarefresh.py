"""``MetaRefreshMiddleware`` (order 580, in place of Scrapy's): Scrapy's, but a page whose bytes hold no
``http-equiv`` is not decoded to look for a refresh tag.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.http import HtmlResponse

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


# Scrapy reads a refresh tag from the first 4096 characters: at most 4 bytes each
_REFRESH_BYTES = 4 * 4096


def may_refresh(body: bytes) -> bool:
    """Whether a page's start can hold ``<meta http-equiv="refresh">``: in an ASCII-compatible
    encoding its bytes are there as such (w3lib reads no entities in the tag either). A NUL byte
    means UTF-16 or UTF-32: not decided here."""
    head = body[:_REFRESH_BYTES].lower()
    return b"\x00" in head or (b"http-equiv" in head and b"refresh" in head)


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    # Scrapy decodes every HTML response (charset detection included) to look for the tag; most
    # pages do not have one, and the spider decodes each page its own way anyway
    def process_response(self, request: Request, response: Response, spider=None):
        if isinstance(response, HtmlResponse) and not may_refresh(response.body):
            return response
        return super().process_response(request, response)
