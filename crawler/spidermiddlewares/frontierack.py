"""``FrontierAckMiddleware``: spider middleware, outermost, that lets the frontier acknowledge a request
only once every output of its response is safe."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object

from crawler.scheduler import FRONTIER_ID, PARENT_ID, UNFINISHED, FrontierScheduler, output_complete

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable

    from scrapy.crawler import Crawler
    from scrapy.http import Response


class FrontierAckMiddleware:
    """Spider middleware, outermost (closest to the engine): counts what each response's callback
    yields, stamps new requests with their parent's row, and tells the scheduler the total."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        if not issubclass(load_object(crawler.settings["SCHEDULER"]), FrontierScheduler):
            raise NotConfigured("SCHEDULER is not the SQLite frontier")
        return cls(crawler)

    def _tag(self, output: Any, row_id: int | None) -> None:
        if isinstance(output, Request):
            output.meta.pop(FRONTIER_ID, None)   # a child copied its parent's meta: it is a new request
            if row_id is not None:
                output.meta[PARENT_ID] = row_id

    def _complete(self, response: Response, total: int) -> None:
        if response.meta.get(UNFINISHED):
            return   # left leased: the next run fetches it again, whole
        self.crawler.signals.send_catch_log(output_complete, request=response.request, total=total)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        row_id, total = response.meta.get(FRONTIER_ID), 0
        for output in result:
            self._tag(output, row_id)
            total += output is not None
            yield output
        self._complete(response, total)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        row_id, total = response.meta.get(FRONTIER_ID), 0
        async for output in result:
            self._tag(output, row_id)
            total += output is not None
            yield output
        self._complete(response, total)
