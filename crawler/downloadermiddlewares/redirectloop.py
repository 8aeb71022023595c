"""``RedirectLoopMiddleware`` (order 610, sees a 3xx before RedirectMiddleware at 600): a redirect back
to a URL of its own chain raises ``RedirectLoop``, which the spider records as kind ``redirect_loop``
(otherwise the loop's second visit is silently dropped by the dupefilter).
"""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest

from pipelines.discovery import canonicalize_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


class RedirectLoop(IgnoreRequest):
    "A redirect back to a URL of its own chain."


class RedirectLoopMiddleware:
    def process_response(self, request: Request, response: Response):
        location = response.headers.get("Location")
        if 300 <= response.status < 400 and location:
            target = canonicalize_url(urljoin(request.url, location.decode("latin-1")))
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if target in {canonicalize_url(u) for u in chain}:
                raise RedirectLoop("redirect loop: " + " -> ".join([*chain, target]))
        return response
