"""Feed exports (``scrapy crawl portals -O reports.jsonl``): one item per stored report, the row as
``reports`` holds it, and a failed export is an error of the run.

Scrapy's ``FeedExporter`` with two changes. A feed exports the stored report rows (the dicts the
StorePipeline returns) and nothing else, unless its options name ``item_classes`` or ``item_filter``
(the ``errors`` rows a page leaves are items too, and no report). And an export that fails (a file that
cannot be opened, an item that cannot be serialised, a storage that does not take the file) is logged
once and recorded here, for the crawl command to end with exit code 1 instead of 0 beside an empty file.
"""
from __future__ import annotations

import logging
from typing import Any

from scrapy.extensions.feedexport import FeedExporter as ScrapyFeedExporter
from scrapy.extensions.feedexport import ItemFilter

logger = logging.getLogger(__name__)

# the first failure in this process, for the crawl command's exit code (its crawlers are gone by then)
failure: str | None = None


class ReportRows(ItemFilter):
    "Only the stored report rows."

    def accepts(self, item: Any) -> bool:
        return isinstance(item, dict)


def fail(message: str) -> None:
    global failure
    if failure is None:
        failure = message
        logger.error("feed export failed: %s", message)


class FeedExporter(ScrapyFeedExporter):
    def _load_filter(self, feed_options: dict[str, Any]) -> ItemFilter:
        if "item_filter" in feed_options or feed_options.get("item_classes"):
            return super()._load_filter(feed_options)
        return ReportRows(feed_options)

    def open_spider(self, spider) -> None:
        try:
            super().open_spider(spider)
        except Exception as exc:  # noqa: BLE001 - Scrapy would log it and carry on with no file
            fail(f"cannot open the feed: {exc!r}")

    def item_scraped(self, item: Any, spider) -> None:
        if failure is not None:
            return   # one error line, not one per report
        try:
            super().item_scraped(item, spider)
        except OSError as exc:
            fail(f"cannot write it: {exc}")
        except Exception as exc:  # noqa: BLE001
            fail(f"a {type(item).__name__} item could not be exported: {exc!r}")

    async def close_spider(self, spider) -> None:
        if failure is not None:   # a feed that never opened has nothing to store (Scrapy would try again)
            self.slots = [slot for slot in self.slots if slot.file is not None]
        await super().close_spider(spider)
        failed = {k: v for k, v in self.crawler.stats.get_stats().items() if k.startswith("feedexport/failed_count/")}
        if failed:
            fail(f"the feed was not stored ({', '.join(sorted(failed))}); see the log")
