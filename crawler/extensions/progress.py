"""``Progress``: a line every XXGK_PROGRESS_INTERVAL seconds while a crawl runs, and its summary at the end.

The line (logged at INFO, in place of Scrapy's per-minute LogStats line) says what a person watching a
long run asks: how far (pages, and the rate since the last line), what it found (reports new, changed,
unchanged, not modified), what went wrong (errors), and where (the busiest portals, pages/reports
each). The summary (crawler.summary) comes once everything is written, so it is the run's last word,
after Scrapy's stats dump.

Settings: XXGK_PROGRESS_INTERVAL (seconds; 0 turns the line off, the summary stays).
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from twisted.internet import task

from crawler.summary import OUTCOMES, outcomes, portal_stats, summary

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
PORTALS_SHOWN = 5


def errors(stats: dict) -> int:
    "Pages that could not be fetched (``xxgk/errors/…``) and stages that failed (``xxgk/<stage>/error``)."
    return sum(v for k, v in stats.items()
               if k.startswith("xxgk/errors/") or (k.startswith("xxgk/") and k.endswith("/error")))


def progress_line(stats: dict, elapsed: float, pages_before: int, interval: float) -> str:
    pages = stats.get("response_received_count", 0)
    seen = outcomes(stats)
    rate = (pages - pages_before) / interval if interval else 0
    line = (f"progress {int(elapsed) // 60}:{int(elapsed) % 60:02d}: {pages} pages ({rate:.1f}/s), "
            f"reports " + ", ".join(f"{seen[k]} {label.split(' (')[0]}" for k, label in OUTCOMES)
            + f", errors {errors(stats)}")
    per_portal = portal_stats(stats)
    if per_portal:
        busiest = sorted(per_portal, key=lambda p: -per_portal[p].get("pages", 0))
        shown = ", ".join(f"{p} {per_portal[p].get('pages', 0)}/{per_portal[p].get('reports', 0)}"
                          for p in busiest[:PORTALS_SHOWN])
        more = f" and {len(busiest) - PORTALS_SHOWN} more" if len(busiest) > PORTALS_SHOWN else ""
        line += f"; pages/reports by portal: {shown}{more}"
    return line


class Progress:
    def __init__(self, crawler: Crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.db_path = Path(crawler.settings.get("ARCHIVE_DIR")) / "reports.db"
        self.started = time.monotonic()
        self.pages_before = 0
        self.task: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        o = cls(crawler, crawler.settings.getfloat("XXGK_PROGRESS_INTERVAL", 60.0))
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        # after the database thread has written and closed everything (it connects first)
        crawler.signals.connect(o.engine_stopped, signal=signals.engine_stopped)
        return o

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        if self.interval > 0:
            self.task = task.LoopingCall(self.log)
            self.task.start(self.interval, now=False)

    def log(self) -> None:
        stats = self.crawler.stats.get_stats()
        logger.info(progress_line(stats, time.monotonic() - self.started, self.pages_before, self.interval))
        self.pages_before = stats.get("response_received_count", 0)

    def spider_closed(self, spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()

    def engine_stopped(self) -> None:
        run_id = getattr(self.crawler.spider, "run_id", None)
        if not self.db_path.exists() or run_id is None:
            return
        try:
            logger.info("%s", summary(self.db_path, run_id))
        except Exception as exc:  # noqa: BLE001 - a summary never fails a run
            logger.warning("no summary of run %s: %r", run_id, exc)
