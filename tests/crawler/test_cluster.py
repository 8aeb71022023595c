"""The shared frontier's Redis side (crawler.cluster.queue, .politeness) against a real Redis server:
leases, their expiry, the one-step push, the end of a crawl, and per-host slots raced by three clients
as three workers would."""
from __future__ import annotations

import asyncio
import time

import pytest
import redis
from scrapy import Request, Spider

from crawler.cluster import connect
from crawler.cluster.localredis import LocalRedis, binary
from crawler.cluster.politeness import HostSlots
from crawler.cluster.queue import CrawlKeys, LeasedPriorityQueue

pytestmark = [pytest.mark.crawl,   # starts a server process
              pytest.mark.skipif(binary() is None, reason="redis-server not installed (.ci/run installs it)")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LocalRedis(tmp_path_factory.mktemp("redis")) as r:
        yield r


@pytest.fixture
def queue(server, request):
    client = connect(server.url)
    client.flushdb()
    keys = CrawlKeys.of("t", {"test": request.node.name})
    q = LeasedPriorityQueue(client, Spider(name="t"), keys.queue)
    q.session = "w1"
    q.join("run-1", "[]", "2024-01-01T00:00:00Z", "w1")
    return q


def test_a_lease_that_expires_returns_the_request_at_its_priority(queue):
    queue.lease_ms = 200
    queue.push_unseen(Request("http://a.example/list", priority=20), "fp-list")
    queue.push_unseen(Request("http://a.example/report", priority=30), "fp-report")
    lease_id, data, back = queue.lease()
    assert queue.decode(data).url == "http://a.example/report" and back == 0
    assert queue.poll(finish=True, now="t", keep_s=60) == (1, 1, "running", 0)
    time.sleep(0.3)   # its worker died: nobody renews it
    lease_id2, data2, back = queue.lease()
    assert (queue.decode(data2).url, back, lease_id2) == ("http://a.example/report", 1, lease_id)


def test_a_renewed_lease_stays_and_an_acknowledged_one_is_gone(queue):
    queue.lease_ms = 300
    queue.push_unseen(Request("http://a.example/1"), "fp-1")
    lease_id, _, _ = queue.lease()
    for _ in range(3):
        time.sleep(0.15)
        assert queue.renew([lease_id], {"pages": 1}) == 1
    assert queue.lease() is None
    queue.ack(lease_id)
    assert queue.poll(finish=False, now="t", keep_s=60) == (0, 0, "running", 0)
    assert queue.renew([lease_id], {}) == 0


def test_a_stopping_worker_gives_back_what_it_holds(queue):
    queue.push_unseen(Request("http://a.example/1", priority=5), "fp-1")
    lease_id, _, _ = queue.lease()
    assert queue.release([lease_id]) == 1
    again, data, _ = queue.lease()
    assert again == lease_id and queue.decode(data).priority == 5


def test_push_marks_seen_and_queues_in_one_step(queue):
    r = Request("http://a.example/x")
    assert queue.push_unseen(r, "fp-x") is True
    assert queue.push_unseen(r, "fp-x") is False
    assert queue.push_unseen(r.replace(dont_filter=True, priority=1), None) is True   # never filtered
    assert len(queue) == 2
    assert queue.server.sismember(queue.k.seen, "fp-x")


def test_the_crawl_finishes_when_nothing_is_queued_or_leased_and_is_remembered(queue):
    queue.push_unseen(Request("http://a.example/1"), "fp-1")
    lease_id, _, _ = queue.lease()
    assert queue.poll(finish=True, now="t1", keep_s=60)[2] == "running"   # a lease is out
    queue.ack(lease_id)
    assert queue.poll(finish=True, now="t2", keep_s=60) == (0, 0, "finished", 0)
    client = queue.server
    assert not client.exists(queue.k.seen) and 0 < client.ttl(queue.k.run) <= 60
    late = queue.join("run-2", "[]", "t3", "w9")
    assert (late["run_id"], late["status"], late["finished_at"]) == ("run-1", "finished", "t2")


def test_sessions_of_one_worker_are_numbered(queue):
    assert queue.join("run-x", "[]", "t", "w1")["session"] == 2   # the fixture's join was the first
    assert queue.join("run-x", "[]", "t", "w2")["session"] == 1


def test_host_slots_hold_concurrency_and_delay_for_every_worker_together(server):
    """Three clients (three workers) ask 12 slots of one host: never more than 2 held at once, and
    starts at least the delay apart (Redis's clock decides)."""
    connect(server.url).flushdb()
    delay, hold = 0.03, 0.15   # a hold of several delays: without the limit, 5 would overlap
    held, peak, starts = [0], [0], []

    async def fetch(slots: HostSlots, token: str) -> None:
        await slots.acquire("h.example", token, limit=2, delay=delay, hold=30)
        starts.append(time.monotonic())
        held[0] += 1
        peak[0] = max(peak[0], held[0])
        await asyncio.sleep(hold)
        held[0] -= 1
        slots.release("h.example", token)

    async def main() -> None:
        workers = [HostSlots(connect(server.url)) for _ in range(3)]
        await asyncio.gather(*(fetch(workers[i % 3], f"t{i}") for i in range(12)))

    asyncio.run(main())
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:])]
    assert peak[0] <= 2
    assert min(gaps) >= delay - 0.005, gaps


def test_a_dead_workers_slot_lapses(server):
    client: redis.Redis = connect(server.url)
    client.flushdb()

    async def main() -> float:
        slots = HostSlots(client)
        await slots.acquire("d.example", "dead", limit=1, delay=0, hold=0.2)   # never released
        began = time.monotonic()
        await slots.acquire("d.example", "alive", limit=1, delay=0, hold=5)
        return time.monotonic() - began

    assert 0.1 < asyncio.run(main()) < 2
