"""The two baseline crawls the benchmark runs beside xxgk-archive, as plain Scrapy (no project
settings, no pipelines), with the project's politeness settings and the benchmark's overrides.

    python -m bench.baselines fetch   --urls FILE --stats OUT.json
    python -m bench.baselines generic --start-urls URL1,URL2 --db OUT.db --stats OUT.json

fetch:   fetches exactly the URLs the full pipeline fetched and stores nothing (the upper bound).
generic: what a user would otherwise write: a CrawlSpider following every in-scope link,
         trafilatura.extract on every page, one row per page into SQLite (sqlite-utils, WAL).
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

# the project's own values for everything that is not politeness, so the baselines fetch the
# same way the full pipeline does
PROJECT_KEYS = ("USER_AGENT", "ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS", "DOWNLOAD_TIMEOUT", "RETRY_TIMES",
                "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE", "TWISTED_REACTOR", "REQUEST_FINGERPRINTER_IMPLEMENTATION")
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False}


def settings() -> dict:
    from crawler import settings as project

    out = {k: getattr(project, k) for k in PROJECT_KEYS if hasattr(project, k)}
    out.update(FAST)
    return out


class StatsMixin:
    stats_out: str | None = None

    def closed(self, reason):
        if self.stats_out:
            Path(self.stats_out).write_text(json.dumps(self.crawler.stats.get_stats(), default=str, indent=1))


class FetchOnlySpider(StatsMixin, scrapy.Spider):
    name = "bench-fetch"

    def __init__(self, urls: str, stats_out: str | None = None, **kw):
        super().__init__(**kw)
        self.urls, self.stats_out = Path(urls).read_text().split(), stats_out
        # the portal's off-site redirect (a trap the full pipeline declines) stays unfollowed here
        # too: loopback only, never a DNS lookup of a real host
        self.allowed_domains = sorted({urlsplit(u).hostname for u in self.urls})

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response):
        return ()


class GenericSpider(StatsMixin, CrawlSpider):
    name = "bench-generic"
    rules = (Rule(LinkExtractor(), callback="parse_item", follow=True),)

    def __init__(self, start_urls: str, db: str, stats_out: str | None = None, **kw):
        self.start_urls = start_urls.split(",")
        self.allowed_domains = sorted({urlsplit(u).hostname for u in self.start_urls})
        super().__init__(**kw)
        self.stats_out = stats_out
        from sqlite_utils import Database

        self.db = Database(db)
        self.db.enable_wal()

    def parse_start_url(self, response, **kwargs):
        return self.parse_item(response)

    def parse_item(self, response):
        import trafilatura

        if not isinstance(response, TextResponse):
            return
        text = trafilatura.extract(response.text, url=response.url)
        if not text:
            return
        self.db["pages"].upsert({
            "url": response.url, "title": response.xpath("//title/text()").get(), "text": text,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }, pk="url")
        self.crawler.stats.inc_value("bench/stored")

    def closed(self, reason):
        super().closed(reason)
        self.db.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=("fetch", "generic"))
    ap.add_argument("--urls", help="fetch: file of URLs, one a line")
    ap.add_argument("--start-urls", help="generic: comma-separated homepages")
    ap.add_argument("--db", help="generic: SQLite output")
    ap.add_argument("--stats", required=True, help="write the crawl's Scrapy stats here (JSON)")
    a = ap.parse_args(argv)
    process = CrawlerProcess(settings=settings(), install_root_handler=True)
    if a.kind == "fetch":
        process.crawl(FetchOnlySpider, urls=a.urls, stats_out=a.stats)
    else:
        process.crawl(GenericSpider, start_urls=a.start_urls, db=a.db, stats_out=a.stats)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
