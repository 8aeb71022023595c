"""Why a request failed, in the words users see in the ``errors`` table (kind, message), not Scrapy's."""
from __future__ import annotations

from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadTimeoutError, IgnoreRequest, ResponseDataLossError)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawler.downloadermiddlewares.emptybody import EmptyBody
from crawler.downloadermiddlewares.encodedbody import TruncatedEncoding
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
FAILURE_MESSAGES = {"too_large": "larger than download_maxsize", "truncated": "body cut short (shorter than its Content-Length, or its last chunk missing)"}


def unpacked_too_large(failure: Failure) -> str | None:
    """The message for a compressed body that unpacks past the request's size limit, else None.

    HttpCompressionMiddleware raises a bare IgnoreRequest for it (only its log line says why), caused
    by its private ``_DecompressionMaxSizeExceeded``: known here by the sizes that exception carries."""
    cause = failure.value.__cause__ if failure.check(IgnoreRequest) else None
    size, limit = getattr(cause, "decompressed_size", None), getattr(cause, "max_size", None)
    if size is None or limit is None:
        return None
    return f"unpacks to more than {limit} bytes, this page's limit (Content-Encoding; stopped at {size} bytes)"


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
    if failure.check(EmptyBody):
        return "empty", str(failure.value)
    if failure.check(TruncatedEncoding):
        return "truncated", str(failure.value)
    unpacked = unpacked_too_large(failure)
    if unpacked:
        return "too_large", unpacked
    if failure.check(IgnoreRequest):
        return None
    kind = next((k for types, k in FETCH_FAILURES if failure.check(*types)), failure.type.__name__)
    message = str(failure.value) or FAILURE_MESSAGES.get(kind, failure.type.__name__)
    if kind == "too_large":
        message += f" (limit {failure.request.meta.get('download_maxsize')} bytes)"
    return kind, message
