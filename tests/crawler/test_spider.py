"""The spider's request budget counts pages, not links (a list page links every other list page); sub-columns
of the 年报 column are walked as lists of the same column, within bounds."""
from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler import settings as project
from pipelines.discovery import Link
from crawler.linkfollowing import SUBCOLUMN_DEPTH
from crawler.spiders.portals import PortalsSpider


def spider(**settings) -> PortalsSpider:
    defaults = {k: v for k, v in vars(project).items() if k.startswith("XXGK_")}
    # the stages run in this process (no worker pool): the spider awaits them as in a crawl
    crawler = get_crawler(PortalsSpider, {**defaults, "EXTENSIONS": {"crawler.extensions.extraction.Extraction": 0},
                                          "XXGK_EXTRACT_WORKERS": 0,
                                          "XXGK_MAX_PAGES_PER_PORTAL": 3, **settings})
    s = PortalsSpider.from_crawler(crawler, start_urls="http://127.0.0.2:8000/")
    crawler.spider = s
    return s


def test_a_link_seen_again_costs_nothing():
    s = spider()
    (portal,) = s.portal_list
    pages = [Link(f"http://127.0.0.2:8000/list.jsp?page={i}", "", "paging") for i in (1, 2, 3)]
    # each of three list pages links all three: nine links, three pages
    built = [s.follow(portal, link, "list", hops=1) for _ in pages for link in pages]
    assert [r.url for r in built if r is not None] == [p.url for p in pages]
    assert s.requested[portal.name] == 3
    assert s.crawler.stats.get_value("xxgk/discovery/portal_page_limit") is None


def test_budget_still_bounds_new_pages():
    s = spider()
    (portal,) = s.portal_list
    links = [Link(f"http://127.0.0.2:8000/a{i}.html", "", "a") for i in range(5)]
    assert sum(s.follow(portal, link, "section", hops=1) is not None for link in links) == 3


# --- sub-columns of the 年报 column (parse_nav on real responses) -----------------------------------

COLUMN_PAGE = """<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/xxgk/">政府信息公开</a><a href="/xwzx/">部门动态</a></div>
<ul class="sub">
 <li><a href="/lm/2023/">2023年</a></li><li><a href="/lm/2022/">2022年度</a></li>
 <li><a href="/lm/bm/">县政府部门</a></li><li><a href="/lm/xz/">乡镇（街道）</a></li>
 <li><a href="/lm/1998/">1998年</a></li>
</ul>
<ul class="list">
 <li><a href="/art/1.html">示例县2023年政府信息公开工作年度报告</a></li>
 <li><a href="/art/2.html">2022年部门预算</a></li>
</ul></body></html>"""
REPORT_PAGE = """<html><head><meta charset="utf-8"></head><body><h1>2022年度报告</h1>
<p>一、总体情况</p><p>……</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>
<p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p>
</body></html>"""
BASE = "http://127.0.0.2:8000"


def respond(url: str, html: str, **meta) -> HtmlResponse:
    meta = {"portal": "127.0.0.2:8000", "role": "list", "hops": 2, "column": "政府信息公开年报", "list_pages": 0,
            "link_text": "政府信息公开年报", **meta}
    return HtmlResponse(url, body=html.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"},
                        request=Request(url, meta=meta))


def followed(spider_, response) -> dict[str, Request]:
    async def collect():
        return [r async for r in spider_.parse_nav(response)]
    return {r.url: r for r in asyncio.run(collect()) if isinstance(r, Request)}


def test_sub_columns_are_lists_of_the_same_column():
    s = spider(XXGK_MAX_PAGES_PER_PORTAL=100)
    got = followed(s, respond(f"{BASE}/lm/", COLUMN_PAGE))
    subs = {f"{BASE}/lm/2023/", f"{BASE}/lm/2022/", f"{BASE}/lm/bm/", f"{BASE}/lm/xz/"}
    assert set(got) == subs | {f"{BASE}/art/1.html", f"{BASE}/xxgk/"}   # the nav's section link as before
    for url in subs:
        assert got[url].meta["role"] == "list" and got[url].callback == s.parse_nav
        assert got[url].meta["column"] == "政府信息公开年报" and got[url].meta["hops"] == 3
    assert got[f"{BASE}/art/1.html"].meta["role"] == "report"
    stats = s.crawler.stats
    assert stats.get_value("xxgk/discovery/followed/subcolumn:year") == 2
    assert stats.get_value("xxgk/discovery/followed/subcolumn:group") == 2
    assert stats.get_value("xxgk/discovery/rejected/lookalike:budget") == 1


def test_year_links_are_reports_outside_the_column():
    "On a section page '2022年度报告' is still fetched as a report, and '2023年' is nothing."
    s = spider(XXGK_MAX_PAGES_PER_PORTAL=100)
    html = '<a href="/a/1.html">2022年度报告</a><a href="/lm/2023/">2023年</a><a href="/lm/bm/">县政府部门</a>'
    got = followed(s, respond(f"{BASE}/xxgk/", html, role="section", hops=1, column=None))
    assert {u: r.meta["role"] for u, r in got.items()} == {f"{BASE}/a/1.html": "report"}


def test_sub_columns_nest_two_deep_and_count_as_list_pages():
    s = spider(XXGK_MAX_PAGES_PER_PORTAL=100)
    (year,) = [r for r in followed(s, respond(f"{BASE}/lm/", COLUMN_PAGE)).values() if r.url.endswith("/2023/")]
    group_page = '<a href="/lm/2023/bm/">部门年报</a><a href="/lm/2023/bm/index_1.html">下一页</a>'
    got = followed(s, respond(year.url, group_page, **year.meta))
    (group,) = [r for r in got.values() if r.url.endswith("/bm/")]
    assert group.meta["list_pages"] == year.meta["list_pages"] + 1
    deeper = followed(s, respond(group.url, '<a href="/lm/2023/bm/x/">2023年</a><a href="/p2.html">下一页</a>',
                                 **group.meta))
    assert list(deeper) == [f"{BASE}/p2.html"]   # its paging is walked, a third level is not
    assert deeper[f"{BASE}/p2.html"].meta[SUBCOLUMN_DEPTH] == 2   # and page 2 is as deep as page 1
    assert s.crawler.stats.get_value("xxgk/discovery/subcolumn_depth_limit") == 1

    s = spider(XXGK_MAX_PAGES_PER_PORTAL=100, XXGK_MAX_LIST_PAGES=1)
    got = followed(s, respond(f"{BASE}/lm/", COLUMN_PAGE))
    assert sum(r.meta["role"] == "list" and "/lm/" in r.url for r in got.values()) == 1
    assert s.crawler.stats.get_value("xxgk/discovery/list_page_limit") >= 1


def test_a_year_link_that_led_to_a_report_is_fetched_again_as_one():
    s = spider(XXGK_MAX_PAGES_PER_PORTAL=100)
    (year,) = [r for r in followed(s, respond(f"{BASE}/lm/", COLUMN_PAGE)).values() if r.url.endswith("/2022/")]
    got = followed(s, respond(year.url, REPORT_PAGE, **year.meta))
    again = got[year.url]
    assert again.meta["role"] == "report" and again.callback == s.parse_report and again.dont_filter
    assert again.meta["column"] == "政府信息公开年报" and again.meta["link_text"] == "2022年度"
    # a year list is walked as a list only
    s = spider(XXGK_MAX_PAGES_PER_PORTAL=100)
    (year,) = [r for r in followed(s, respond(f"{BASE}/lm/", COLUMN_PAGE)).values() if r.url.endswith("/2022/")]
    listing = "".join(f'<li><a href="/art/{i}.html">示例县{name}2022年政府信息公开工作年度报告</a></li>'
                      for i, name in enumerate(("教育局", "财政局", "民政局"), 10))
    got = followed(s, respond(year.url, f"<ul>{listing}</ul>", **year.meta))
    assert {r.meta["role"] for r in got.values()} == {"report"} and len(got) == 3
    assert s.crawler.stats.get_value("xxgk/discovery/subcolumn_as_report") is None
