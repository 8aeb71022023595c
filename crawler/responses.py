"""Scrapy's responses and requests as the library's records (``pipelines.record``, ``pipelines.warc``)."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from pipelines.warc import Exchange

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


def header_pairs(headers) -> list[tuple[str, str]]:
    "Scrapy Headers → (name, value) pairs, repeats kept, bytes through latin-1 (never UTF-8)."
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


def crawl_context(meta: dict) -> dict[str, str]:
    """Why the page was fetched, as WARC extension fields, so a rebuild from WARC alone makes the
    same report decisions as the crawl did. Values are percent-encoded: WARC headers are not a
    safe place for raw Chinese text in every reader."""
    fields = {"XXGK-Role": meta.get("role"), "XXGK-Context": meta.get("column"),
              "XXGK-Link-Text": meta.get("link_text"), "XXGK-Report": meta.get("report_url")}
    return {k: quote(str(v), safe="") for k, v in fields.items() if v}


def exchange(request: Request, response: Response) -> Exchange:
    "The request/response pair as received, for its WARC records."
    ip = getattr(response, "ip_address", None)
    return Exchange(url=response.url, status=response.status, headers=header_pairs(response.headers),
                    body=response.body, method=request.method, request_headers=header_pairs(request.headers),
                    request_body=request.body,
                    protocol=getattr(response, "protocol", None) or "HTTP/1.1", ip=str(ip) if ip else None,
                    fields=crawl_context(request.meta))
