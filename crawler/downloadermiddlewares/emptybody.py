"""``EmptyBodyMiddleware`` (order 585, after HttpCompressionMiddleware has unpacked the body): a 2xx with
nothing in it, for a homepage, section, list page or attachment, raises ``EmptyBody``, which the
spider records as kind ``empty``.

Such a page has no links to follow and no file to keep, and without this it left no trace: a portal
whose homepage answers an empty 200 looked like a portal with nothing on it. Report pages are left
to the classify stage, which names an empty one the same way; robots.txt (no role) may be empty.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


class EmptyBody(IgnoreRequest):
    "A 2xx response with no body where a page or file was expected."


class EmptyBodyMiddleware:
    def process_response(self, request: Request, response: Response):
        role = request.meta.get("role")
        if (role and role != "report" and request.method != "HEAD" and 200 <= response.status < 300
                and not response.body.strip()):
            kind = response.headers.get("Content-Type", b"").decode("latin-1") or "no Content-Type"
            raise EmptyBody(f"HTTP {response.status} with {len(response.body)} bytes ({kind}), fetched as {role}")
        return response
