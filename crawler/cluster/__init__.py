"""Crawling from several machines: one frontier in Redis, shared by every crawl process that names it
with ``-s XXGK_FRONTIER=redis://HOST:PORT/DB``, each process (a *worker*) with its own ARCHIVE_DIR.

- ``crawler.cluster.queue``: the Redis side, scrapy-redis's priority queue with leases and its
  dupefilter, as Lua scripts so that every step is one atomic round trip;
- ``crawler.cluster.scheduler``: ``RedisFrontierScheduler``, scrapy-redis's scheduler with the
  SQLite frontier's lease/ack;
- ``crawler.cluster.politeness``: per-host slots in Redis, so CONCURRENT_REQUESTS_PER_DOMAIN and
  DOWNLOAD_DELAY hold for the workers together;
- ``crawler.cluster.sessions``: each worker process's stats, in Redis (progress) and in its
  ``run_workers`` row;
- ``python -m crawler.cluster status URL``: queue, leases and workers of the crawls on that Redis;
- ``python -m crawler.merge``: the workers' archives merged into one.

Redis unreachable when a worker starts: one line, exit code 2 (``check``). Unreachable during a run:
``frontier_lost`` stops the run cleanly, exit code 1; what was stored stays, and the requests the
worker held come back to the queue when their leases expire.
"""
from __future__ import annotations

import logging
import os
import re
import socket
from typing import TYPE_CHECKING

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.connection import get_redis

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

# what "Redis is not there" looks like to redis-py (BusyLoadingError, a restart still loading its
# data, is a ConnectionError)
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)
STAT = "xxgk/cluster/frontier_lost"
REASON = "frontier_unavailable"
# the first loss in this process, for the crawl command's exit code (its crawlers are gone by then)
failure: str | None = None
# Calls are blocking and made in the event loop: a partitioned network must not hold it for
# scrapy-redis's default 30 s, nor redis-py's backoff for seconds. A glitch is retried twice, at once:
# a retried lease or push is safe (an unanswered lease expires back into the queue)
TIMEOUTS = {"socket_timeout": 10, "socket_connect_timeout": 5,
            "retry": Retry(ExponentialBackoff(cap=0.2, base=0.02), 2)}
WORKER_ID = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


class CountingConnection(redis.Connection):
    "A redis-py connection that counts round trips (a pipeline or a script is one)."

    sent = 0

    def send_packed_command(self, command, check_health=True):
        CountingConnection.sent += 1
        super().send_packed_command(command, check_health)


def connect(url: str) -> redis.Redis:
    "A client for XXGK_FRONTIER (scrapy-redis's constructor), bytes in and out."
    counting = {"connection_class": CountingConnection} if url.startswith("redis://") else {}
    return get_redis(url=url, **counting, **TIMEOUTS)


def frontier_url(settings: BaseSettings) -> str | None:
    return settings.get("XXGK_FRONTIER") or None


def worker_id(settings: BaseSettings) -> str:
    return settings.get("XXGK_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}"


def check(settings: BaseSettings) -> str | None:
    "Why this process cannot join the frontier XXGK_FRONTIER names, or None (also when unset)."
    url = frontier_url(settings)
    if url is None:
        return None
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return f"XXGK_FRONTIER must be redis://HOST:PORT/DB, not {url!r}"
    if not WORKER_ID.match(worker_id(settings)):
        return f"XXGK_WORKER_ID must be 1-64 letters, digits, '.', '_', '-' or '@', not {worker_id(settings)!r}"
    try:
        client = connect(url)
        client.ping()
        client.close()
    except UNREACHABLE as exc:
        return f"the shared frontier XXGK_FRONTIER={url} is unreachable: {exc}"
    except (redis.RedisError, ValueError) as exc:   # a bad URL, a password it wants
        return f"XXGK_FRONTIER={url} cannot be used: {exc}"
    return None


def lost(crawler: Crawler) -> bool:
    return bool(crawler.stats.get_value(STAT))


def frontier_lost(crawler: Crawler, where: str, exc: BaseException) -> None:
    """Redis stopped answering: record it once and close the spider. The requests in flight finish and
    are stored; their acknowledgements and new links cannot reach Redis, so their leases expire and
    another worker (or this one, restarted) fetches them again."""
    if lost(crawler):
        return
    global failure
    failure = f"{where}: {exc}"
    crawler.stats.set_value(STAT, failure)
    logger.error("the shared frontier stopped answering (%s: %s): stopping the run", where, exc)
    engine = crawler.engine
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=REASON))
