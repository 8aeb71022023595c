"""``ClusterPolitenessMiddleware`` (990: last before the download, first to see its response): with
XXGK_FRONTIER, a request waits for a slot of its host in Redis, so CONCURRENT_REQUESTS_PER_DOMAIN and
DOWNLOAD_DELAY hold for all the workers together. Three workers do not triple the load on a county
server.

Per host (Scrapy's download slot key: the hostname), shared by every crawl on that Redis:
``xxgk:host:HOST:holders``, a sorted set of the requests holding a slot (token → when the hold lapses,
in case its worker died), and ``xxgk:host:HOST:next``, when the next request may start. The delay is
DOWNLOAD_DELAY, or the worker's own slot delay when AutoThrottle has raised it. Each worker's own
Scrapy slot still applies behind this one.

Stats: ``xxgk/cluster/host_waits`` (requests that had to wait), ``xxgk/cluster/host_wait_s``.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler import cluster

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

SLOT = "xxgk_host_slot"   # meta: (host, token) of the slot a request holds
# KEYS: holders, next. ARGV: token, limit, delay ms, hold ms. → 0 granted, > 0 ms to wait, -1 full
ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local start = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < start then return start - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
local delay = tonumber(ARGV[3])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay) end
return 0
"""


class HostSlots:
    """Per-host slots in Redis. In this process one request per host asks Redis at a time (the rest
    wait on a local lock), and a slot given back here wakes it at once; a slot given back by another
    worker is seen at the next poll (50 ms, doubling to 0.5 s while the host stays full)."""

    def __init__(self, server):
        self.server = server
        self.acquire_script = server.register_script(ACQUIRE)
        self.locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.freed: dict[str, asyncio.Event] = defaultdict(asyncio.Event)

    @staticmethod
    def keys(host: str) -> list[str]:
        return [f"xxgk:host:{host}:holders", f"xxgk:host:{host}:next"]

    async def acquire(self, host: str, token: str, *, limit: int, delay: float, hold: float) -> float:
        "Wait for a slot; the seconds waited."
        began, poll = time.monotonic(), 0.05
        async with self.locks[host]:
            while True:
                wait = self.acquire_script(keys=self.keys(host),
                                           args=[token, max(1, limit), int(delay * 1000), int(hold * 1000)])
                if wait == 0:
                    return time.monotonic() - began
                if wait > 0:
                    await self.nap(host, wait / 1000)
                else:
                    await self.nap(host, poll)
                    poll = min(0.5, poll * 2)

    async def nap(self, host: str, seconds: float) -> None:
        freed = self.freed[host]
        freed.clear()
        try:
            await asyncio.wait_for(freed.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    def release(self, host: str, token: str) -> None:
        self.server.zrem(self.keys(host)[0], token)
        self.freed[host].set()


class ClusterPolitenessMiddleware:
    def __init__(self, crawler: Crawler, slots: HostSlots):
        self.crawler = crawler
        self.slots = slots
        s = crawler.settings
        self.limit = s.getint("CONCURRENT_REQUESTS_PER_IP") or s.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.delay = s.getfloat("DOWNLOAD_DELAY")
        self.timeout = s.getfloat("DOWNLOAD_TIMEOUT")
        self.per_slot = s.getdict("DOWNLOAD_SLOTS")

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        url = cluster.frontier_url(crawler.settings)
        if url is None:   # one process alone: its own Scrapy slots are the politeness (no reason: no log line)
            raise NotConfigured
        return cls(crawler, HostSlots(cluster.connect(url)))

    def slot_of(self, request: Request) -> tuple[str, int, float]:
        "(key, concurrency, delay) of the request's Scrapy download slot, AutoThrottle's delay included."
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        own = self.per_slot.get(key, {})
        delay = own.get("delay", self.delay)
        local = downloader.slots.get(key)
        if local is not None:
            delay = max(delay, local.delay)
        return key, int(own.get("concurrency", self.limit)), float(delay)

    async def process_request(self, request: Request) -> None:
        if cluster.lost(self.crawler):
            raise IgnoreRequest("the shared frontier is unreachable: not fetched (its lease brings it back)")
        host, limit, delay = self.slot_of(request)
        token = uuid.uuid4().hex
        # a worker that dies holding a slot frees it when the download would have timed out
        hold = float(request.meta.get("download_timeout", self.timeout)) + 2 * delay + 5
        try:
            waited = await self.slots.acquire(host, token, limit=limit, delay=delay, hold=hold)
        except cluster.UNREACHABLE as exc:
            cluster.frontier_lost(self.crawler, "host slot", exc)
            raise IgnoreRequest("the shared frontier is unreachable: not fetched") from None
        request.meta[SLOT] = (host, token)
        if waited > 0.001:
            self.crawler.stats.inc_value("xxgk/cluster/host_waits")
            self.crawler.stats.inc_value("xxgk/cluster/host_wait_s", round(waited, 3))

    def process_response(self, request: Request, response: Response) -> Response:
        self.release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self.release(request)

    def release(self, request: Request) -> None:
        held = request.meta.pop(SLOT, None)
        if held is None or cluster.lost(self.crawler):
            return
        try:
            self.slots.release(*held)
        except cluster.UNREACHABLE as exc:
            cluster.frontier_lost(self.crawler, "host slot", exc)
