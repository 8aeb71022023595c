"""Why a request failed, in the words users see in the ``errors`` table (kind, message), not Scrapy's."""
from __future__ import annotations

from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadTimeoutError, IgnoreRequest, ResponseDataLossError)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawler.downloadermiddlewares.redirectloop import RedirectLoop
from crawler.responses import header_pairs
from pipelines.decode import decode
from pipelines.faults import detect_block

# Scrapy's and Twisted's exception classes → the kinds users see in the errors table
FETCH_FAILURES = (
    ((DownloadTimeoutError, TimeoutError, TCPTimedOutError), "timeout"),
    ((DownloadCancelledError,), "too_large"),
    ((ResponseDataLossError,), "truncated"),
    ((DownloadConnectionRefusedError, ConnectionRefusedError), "refused"),
    ((CannotResolveHostError, DNSLookupError), "dns"),
)
FAILURE_MESSAGES = {"too_large": "larger than download_maxsize", "truncated": "body shorter than its Content-Length"}


def describe_failure(failure: Failure) -> tuple[str, str] | None:
    """(kind, message) of a failed request; None when a policy refused it (robots.txt, the offsite
    filter): that is no failure of the page."""
    # HttpError subclasses IgnoreRequest, and so does RedirectLoop: test them first, or every
    # HTTP error and loop passes as policy
    if failure.check(HttpError):
        response = failure.value.response
        text = decode(response.body, response.headers.get("Content-Type", b"").decode("latin-1") or None).text \
            if response.body else None
        block = detect_block(response.status, header_pairs(response.headers), text)
        if block:
            return "blocked", f"{block} page (HTTP {response.status}, {len(response.body)} bytes)"
        return f"http_{response.status}", f"HTTP {response.status}"
    if failure.check(RedirectLoop):
        return "redirect_loop", str(failure.value)
    if failure.check(IgnoreRequest):
        return None
    kind = next((k for types, k in FETCH_FAILURES if failure.check(*types)), failure.type.__name__)
    message = str(failure.value) or FAILURE_MESSAGES.get(kind, failure.type.__name__)
    if kind == "too_large":
        message += f" (limit {failure.request.meta.get('download_maxsize')} bytes)"
    return kind, message
