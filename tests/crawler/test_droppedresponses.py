"""Issue 22: the downloader middlewares that turn a silently dropped response into a named failure
(crawler/downloadermiddlewares/encodedbody.py, emptybody.py) and how the spider's errback names it
(crawler/fetchfailures.py)."""
from __future__ import annotations

import gzip
import time
import zlib

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.downloadermiddlewares.emptybody import EmptyBody, EmptyBodyMiddleware
from crawler.downloadermiddlewares.encodedbody import EncodedBodyMiddleware, TruncatedEncoding, stream_complete
from crawler.fetchfailures import describe_failure

URL = "http://127.0.0.2:8000/nb.html"
PAGE = ("<html><body>" + "<p>一、总体情况。本年度共主动公开政府信息1234条。</p>" * 400 + "</body></html>").encode("utf-8")
LIMIT = 1 << 20


def gz(data: bytes) -> bytes:
    "Gzip with no timestamp: the same bytes, and so the same test ids, in every pytest worker."
    return gzip.compress(data, mtime=0)


def deflate(data: bytes, wbits: int) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize("body, encoding, expected", [
    (gz(PAGE), "gzip", True),
    (gz(PAGE) + gz(PAGE), "gzip", True),            # two members, both whole
    (gz(PAGE) + b"\r\n", "gzip", True),                         # trailing bytes after the end
    (gz(PAGE)[:-9], "gzip", False),                            # cut in the last block
    (gz(PAGE)[:40], "x-gzip", False),
    (gz(PAGE) + gz(PAGE)[:-9], "gzip", False),     # the second member cut
    (deflate(PAGE, 15), "deflate", True), (deflate(PAGE, 15)[:40], "deflate", False),
    (deflate(PAGE, -15), "deflate", True), (deflate(PAGE, -15)[:40], "deflate", False),   # raw, as IIS sends
    (b"not compressed at all", "gzip", None),                             # HttpCompression reports that one
    (PAGE, "identity", True), (PAGE, "br", True),                          # not ours to judge
])
def test_stream_complete(body, encoding, expected):
    assert stream_complete(body, encoding, LIMIT) is expected


def test_a_bomb_is_inflated_no_further_than_the_limit():
    bomb = gzip.compress(bytes(256 * LIMIT), compresslevel=9)   # 256 MiB of zeros in 256 KB
    started = time.process_time()
    assert stream_complete(bomb, "gzip", LIMIT) is None
    # past the limit it stops: well under what inflating 256 MiB costs (about a second)
    assert time.process_time() - started < 0.2


def respond(body: bytes, encoding: str | None = None, status: int = 200, role: str | None = "list",
            method: str = "GET") -> tuple[Request, Response]:
    request = Request(URL, method=method, meta={"role": role, "portal": "p", "download_maxsize": LIMIT})
    headers = {"Content-Type": "text/html; charset=utf-8", **({"Content-Encoding": encoding} if encoding else {})}
    return request, HtmlResponse(URL, status=status, body=body, headers=headers, request=request)


def test_encoded_body_middleware_raises_for_a_cut_stream_and_passes_a_whole_one():
    mw = EncodedBodyMiddleware(64 * LIMIT)
    request, response = respond(gzip.compress(PAGE), "gzip")
    assert mw.process_response(request, response) is response
    request, response = respond(gzip.compress(PAGE)[:-20], "gzip")
    with pytest.raises(TruncatedEncoding, match="gzip stream cut short"):
        mw.process_response(request, response)


@pytest.mark.parametrize("body, role, status, method, raises", [
    (b"", "list", 200, "GET", True), (b" \r\n", "section", 200, "GET", True), (b"", "attachment", 200, "GET", True),
    (b"", "list", 204, "GET", True),
    (b"", "report", 200, "GET", False),      # the classify stage names an empty report page
    (b"", None, 200, "GET", False),          # robots.txt: empty means "allow all"
    (b"", "list", 404, "GET", False),        # an HTTP error is the spider's errback's
    (b"", "list", 200, "HEAD", False),
    (b"<html></html>", "list", 200, "GET", False),
])
def test_empty_body_middleware(body, role, status, method, raises):
    request, response = respond(body, status=status, role=role, method=method)
    if raises:
        with pytest.raises(EmptyBody):
            EmptyBodyMiddleware().process_response(request, response)
    else:
        assert EmptyBodyMiddleware().process_response(request, response) is response


def failure_of(exc: BaseException, request: Request) -> Failure:
    try:
        raise exc
    except BaseException:
        failure = Failure()
    failure.request = request
    return failure


def test_a_body_that_unpacks_past_the_limit_is_too_large_not_policy():
    "Scrapy's HttpCompressionMiddleware raises a bare IgnoreRequest: the errback must still name it."
    crawler = get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 64 * LIMIT})
    request, response = respond(gzip.compress(bytes(2 * LIMIT)), "gzip")
    try:
        HttpCompressionMiddleware.from_crawler(crawler).process_response(request, response)
    except IgnoreRequest as exc:
        found = describe_failure(failure_of(exc, request))
    else:
        pytest.fail("HttpCompressionMiddleware no longer refuses a body past download_maxsize")
    assert found is not None and found[0] == "too_large" and f"unpacks to more than {LIMIT} bytes" in found[1]


def test_dropped_bodies_are_named_and_policy_is_not():
    request, _ = respond(b"")
    assert describe_failure(failure_of(EmptyBody("HTTP 200 with 0 bytes"), request))[0] == "empty"
    assert describe_failure(failure_of(TruncatedEncoding("gzip stream cut short"), request))[0] == "truncated"
    assert describe_failure(failure_of(IgnoreRequest("Forbidden by robots.txt"), request)) is None
