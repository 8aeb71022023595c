"""The meta-refresh middleware: Scrapy's, skipping the decode of pages that cannot hold the tag.

A portal's homepage is often only ``<meta http-equiv="refresh" content="0;url=/xxgk/index.html">``;
that page must still lead on, whatever its encoding, while other pages are let through as they are."""
from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler import settings as project
from crawler.downloadermiddlewares.metarefresh import MetaRefreshMiddleware, may_refresh

URL = "http://127.0.0.2:8000/"
REFRESH = '<html><head><meta http-equiv="{equiv}" content="0; url={target}"></head><body>{body}</body></html>'


def middleware() -> MetaRefreshMiddleware:
    crawler = get_crawler(settings_dict={k: getattr(project, k) for k in dir(project) if k.isupper()})
    return MetaRefreshMiddleware.from_crawler(crawler)


def respond(html: str, encoding: str = "utf-8", charset: str | None = None) -> HtmlResponse:
    headers = {"Content-Type": f"text/html; charset={charset or encoding}"}
    return HtmlResponse(URL, body=html.encode(encoding), headers=headers, request=Request(URL))


@pytest.mark.parametrize("html, encoding, target", [
    (REFRESH.format(equiv="refresh", target="/xxgk/index.html", body=""), "utf-8", "/xxgk/index.html"),
    (REFRESH.format(equiv="REFRESH", target="/zwgk/", body="正在跳转"), "gb18030", "/zwgk/"),
    (REFRESH.format(equiv="Refresh", target="/big5/", body="頁面跳轉中"), "big5", "/big5/"),
    # UTF-16: the bytes of 'http-equiv' are not there as such
    (REFRESH.format(equiv="refresh", target="/u16/", body="跳转"), "utf-16", "/u16/"),
])
def test_a_refresh_page_redirects(html, encoding, target):
    response = respond(html, encoding)
    assert may_refresh(response.body)
    out = middleware().process_response(response.request, response)
    assert isinstance(out, Request) and out.url == "http://127.0.0.2:8000" + target


@pytest.mark.parametrize("html", [
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>'
    '<body><p>2023年政府信息公开工作年度报告</p><a href="/refresh.html">刷新</a></body></html>',
    "<html><body><p>一、总体情况</p></body></html>",
])
def test_other_pages_pass_through(html):
    response = respond(html)
    assert middleware().process_response(response.request, response) is response


def test_the_check_only_skips_pages_without_the_tag():
    assert not may_refresh(b'<meta http-equiv="Content-Type" content="text/html">' + "正文".encode() * 100)
    assert not may_refresh(b"<html><body>refresh</body></html>")       # the word, no http-equiv
    assert may_refresh(b'<META HTTP-EQUIV="Refresh" CONTENT="5;URL=/a">')
    # the tag past the first 4096 characters is not read by Scrapy either
    late = b"<html><head>" + b" " * 20000 + b'<meta http-equiv="refresh" content="0;url=/a"></head></html>'
    assert not may_refresh(late)
    response = respond(late.decode())
    assert middleware().process_response(response.request, response) is response
