"""The Redis side of the shared frontier: scrapy-redis's priority queue, whose pop is a *lease*, and
its dupefilter.

A crawl (spider and arguments, as the SQLite frontier's key) lives under ``xxgk:SPIDER:HASH:``:

========== ======================================================================================
``queue``  scrapy-redis's ``PriorityQueue``: a sorted set of serialized requests, score -priority
``seen``   scrapy-redis's dupefilter: the set of request fingerprints
``leases`` sorted set, lease id (sha1 of the request) → when it expires (ms, Redis's clock)
``leased`` hash, lease id → the request; ``owners``: lease id → "score|worker session"
``run``    hash: ``run_id``, ``status`` (running, finished), ``started_at``, ``finished_at``, ``crawl``
``workers`` hash, session → its progress (JSON); ``beats``: session → last renewal (ms)
``sessions`` hash, worker id → processes it has started in this run
========== ======================================================================================

Every step is one Lua script, so one round trip and atomic: a request is marked seen *and* queued
together (a worker killed in between would otherwise leave a URL seen and never fetched); a lease
moves it from ``queue`` to ``leases``; an expired lease goes back to ``queue`` with its priority.
Time is Redis's own (``TIME``), never a worker's clock.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, NamedTuple

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

if TYPE_CHECKING:
    from scrapy import Request

_NOW = """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
"""
# KEYS: queue, leases, leased, owners. Expired leases back into the queue, at their priority.
_RECLAIM = _NOW + """
local function reclaim(now)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(expired) do
    local request = redis.call('HGET', KEYS[3], id)
    if request then
      local owner = redis.call('HGET', KEYS[4], id) or '0|'
      redis.call('ZADD', KEYS[1], tonumber(string.match(owner, '^[^|]*')) or 0, request)
    end
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('HDEL', KEYS[4], id)
  end
  return #expired
end
"""
# KEYS: seen, queue. ARGV: fingerprint ('' for a dont_filter request), score, request.
PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""
# KEYS: queue, leases, leased, owners. ARGV: lease ms, session. → {id, request, reclaimed}
LEASE = _RECLAIM + """
local now = now_ms()
local back = reclaim(now)
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return {'', '', back} end
local id = redis.sha1hex(popped[1])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), id)
redis.call('HSET', KEYS[3], id, popped[1])
redis.call('HSET', KEYS[4], id, popped[2] .. '|' .. ARGV[2])
return {id, popped[1], back}
"""
# KEYS: queue, leases, leased, owners. ARGV: lease ids. A worker stopping gives back what it holds.
RELEASE = """
local n = 0
for i = 1, #ARGV do
  local request = redis.call('HGET', KEYS[3], ARGV[i])
  if request then
    local owner = redis.call('HGET', KEYS[4], ARGV[i]) or '0|'
    redis.call('ZADD', KEYS[1], tonumber(string.match(owner, '^[^|]*')) or 0, request)
    n = n + 1
  end
  redis.call('ZREM', KEYS[2], ARGV[i])
  redis.call('HDEL', KEYS[3], ARGV[i])
  redis.call('HDEL', KEYS[4], ARGV[i])
end
return n
"""
# KEYS: leases, workers, beats, run. ARGV: lease ms, session, progress JSON, lease ids… → leases renewed
# (once the crawl has finished, its workers' entries go when the run's record does)
RENEW = _NOW + """
local now = now_ms()
local renewed = 0
for i = 4, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
    renewed = renewed + 1
  end
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2], now)
local keep = redis.call('TTL', KEYS[4])
if keep > 0 then redis.call('EXPIRE', KEYS[2], keep); redis.call('EXPIRE', KEYS[3], keep) end
return renewed
"""
# KEYS: queue, leases, leased, owners, seen, run, sessions, workers, beats.
# ARGV: finish (1: mark the crawl finished when nothing is queued or leased), now (ISO), keep (s).
# → {queued, leased, status, expired leases put back}
POLL = _RECLAIM + """
local back = reclaim(now_ms())
local queued, leased = redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2])
local status = redis.call('HGET', KEYS[6], 'status') or ''
if ARGV[1] == '1' and queued == 0 and leased == 0 and status == 'running' then
  redis.call('HSET', KEYS[6], 'status', 'finished', 'finished_at', ARGV[2])
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
  for i = 6, 9 do redis.call('EXPIRE', KEYS[i], tonumber(ARGV[3])) end
  status = 'finished'
end
return {queued, leased, status, back}
"""
# KEYS: run, sessions, beats. ARGV: new run id, crawl (JSON), now (ISO), worker id, lease ms.
# → {run id, status, created, session number, finished_at, workers alive}
JOIN = _NOW + """
local status = redis.call('HGET', KEYS[1], 'status')
local created = 0
if not status then
  redis.call('HSET', KEYS[1], 'run_id', ARGV[1], 'status', 'running', 'started_at', ARGV[3], 'crawl', ARGV[2])
  status, created = 'running', 1
end
local now, alive = now_ms(), 0
local beats = redis.call('HGETALL', KEYS[3])
for i = 2, #beats, 2 do
  if now - tonumber(beats[i]) < 2 * tonumber(ARGV[5]) then alive = alive + 1 end
end
local n = 0
if status == 'running' then
  n = redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
  redis.call('HSET', KEYS[3], n > 1 and (ARGV[4] .. '.' .. n) or ARGV[4], now)
end
return {redis.call('HGET', KEYS[1], 'run_id'), status, created, n, redis.call('HGET', KEYS[1], 'finished_at') or '', alive}
"""


class CrawlKeys(NamedTuple):
    prefix: str

    @classmethod
    def of(cls, spider_name: str, spider_args: Any) -> CrawlKeys:
        "The same spider with the same arguments is the same crawl (as for the SQLite frontier)."
        crawl = json.dumps([spider_name, spider_args], sort_keys=True, ensure_ascii=False)
        return cls(f"xxgk:{spider_name}:{hashlib.sha1(crawl.encode()).hexdigest()[:12]}")

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return f"{self.prefix}:{name}"


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis's ``PriorityQueue`` whose pop is a lease (``lease``/``ack``/``renew``/``release``),
    and whose push marks the request seen in the same step (``push_unseen``)."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.k = CrawlKeys(self.key.rsplit(":", 1)[0])
        self.lease_ms = 60_000
        self.session = ""
        self._scripts = {name: server.register_script(src) for name, src in
                         (("push", PUSH), ("lease", LEASE), ("release", RELEASE), ("renew", RENEW),
                          ("poll", POLL), ("join", JOIN))}

    def _leases(self) -> list[str]:
        return [self.key, self.k.leases, self.k.leased, self.k.owners]

    def push(self, request: Request) -> None:
        self.push_unseen(request, None)

    def push_unseen(self, request: Request, fingerprint: str | None, data: bytes | None = None) -> bool:
        "Queue ``request`` unless its fingerprint is seen; the fingerprint is seen from now on. One step."
        data = self._encode_request(request) if data is None else data
        return bool(self._scripts["push"](keys=[self.k.seen, self.key], args=[fingerprint or "", -request.priority, data]))

    def lease(self) -> tuple[str, bytes, int] | None:
        "(lease id, serialized request, expired leases put back) of the next request, or None."
        lease_id, data, back = self._scripts["lease"](keys=self._leases(), args=[self.lease_ms, self.session])
        return (lease_id.decode(), data, back) if lease_id else None

    def decode(self, data: bytes) -> Request:
        return self._decode_request(data)

    def ack(self, lease_id: str) -> None:
        with self.server.pipeline(transaction=True) as pipe:
            pipe.zrem(self.k.leases, lease_id).hdel(self.k.leased, lease_id).hdel(self.k.owners, lease_id)
            pipe.execute()

    def renew(self, lease_ids: list[str], progress: dict) -> int:
        "Extend this worker's leases and publish its progress; how many of the leases were still its."
        return self._scripts["renew"](keys=[self.k.leases, self.k.workers, self.k.beats, self.k.run],
                                      args=[self.lease_ms, self.session, json.dumps(progress), *lease_ids])

    def release(self, lease_ids: list[str]) -> int:
        return self._scripts["release"](keys=self._leases(), args=lease_ids) if lease_ids else 0

    def poll(self, *, finish: bool, now: str, keep_s: int) -> tuple[int, int, str, int]:
        """(queued, leased, run status, expired leases put back); with ``finish``, a crawl with nothing
        queued or leased is marked finished."""
        queued, leased, status, back = self._scripts["poll"](
            keys=[*self._leases(), self.k.seen, self.k.run, self.k.sessions, self.k.workers, self.k.beats],
            args=[int(finish), now, max(1, int(keep_s))])
        return queued, leased, status.decode(), back

    def join(self, run_id: str, crawl: str, now: str, worker: str) -> dict:
        "Join the crawl's run, or start it; see JOIN."
        got = self._scripts["join"](keys=[self.k.run, self.k.sessions, self.k.beats],
                                    args=[run_id, crawl, now, worker, self.lease_ms])
        return {"run_id": got[0].decode(), "status": got[1].decode(), "created": bool(got[2]),
                "session": int(got[3]), "finished_at": got[4].decode(), "alive": int(got[5])}


class RedisDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter (a set of fingerprints in Redis) with the crawl's own request
    fingerprinter, the SQLite frontier's. The set belongs to the crawl, not to one worker: closing
    a worker leaves it; the crawl's end deletes it (``POLL``)."""

    def __init__(self, server, key: str, fingerprinter, debug: bool = False):
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    def request_fingerprint(self, request: Request) -> str:
        return self.fingerprinter.fingerprint(request).hex()

    def seen(self, fingerprint: str) -> bool:
        "Whether the crawl has this fingerprint, without adding it."
        return bool(self.server.sismember(self.key, fingerprint))

    def close(self, reason: str = "") -> None:
        pass
