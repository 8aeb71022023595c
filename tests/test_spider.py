"""The spider's request budget counts pages, not links (a list page links every other list page)."""
from __future__ import annotations

from scrapy.utils.test import get_crawler

from crawler import settings as project
from crawler.discovery import Link
from crawler.spiders.portals import PortalsSpider


def spider(**settings) -> PortalsSpider:
    defaults = {k: v for k, v in vars(project).items() if k.startswith("XXGK_")}
    crawler = get_crawler(PortalsSpider, {**defaults, "XXGK_MAX_PAGES_PER_PORTAL": 3, **settings})
    return PortalsSpider.from_crawler(crawler, start_urls="http://127.0.0.2:8000/")


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
