"""The crawls on a shared frontier, seen from Redis.

    python -m crawler.cluster status redis://HOST:PORT/DB     # queue, leases, workers and their rates
    python -m crawler.cluster forget redis://HOST:PORT/DB     # drop every crawl's state (no worker running)

``status`` reads, never writes. ``forget`` is the cluster's ``XXGK_RESUME=False``: the next worker starts
a new run, even within XXGK_CLUSTER_FINISHED_HOURS of the last one's end.
"""
from __future__ import annotations

import argparse
import json
import sys

import redis

from crawler import cluster


def crawls(client: redis.Redis) -> list[str]:
    return sorted(key.decode()[: -len(":run")] for key in client.scan_iter(match="xxgk:*:run", count=1000))


def describe(client: redis.Redis, prefix: str) -> list[str]:
    run = {k.decode(): v.decode() for k, v in client.hgetall(f"{prefix}:run").items()}
    seconds, micros = client.time()
    now_ms = seconds * 1000 + micros // 1000
    pipe = client.pipeline()
    pipe.zcard(f"{prefix}:queue").zcard(f"{prefix}:leases").scard(f"{prefix}:seen")
    pipe.hvals(f"{prefix}:owners").hgetall(f"{prefix}:workers").hgetall(f"{prefix}:beats")
    queued, leased, seen, owners, workers, beats = pipe.execute()
    held: dict[str, int] = {}
    for owner in owners:
        session = owner.decode().partition("|")[2]
        held[session] = held.get(session, 0) + 1
    status = run.get("status", "?")
    when = f"finished {run.get('finished_at')}" if status == "finished" else f"started {run.get('started_at')}"
    lines = [f"{prefix}  run {run.get('run_id')}  {status} ({when})  crawl {run.get('crawl')}",
             f"  queued {queued}  leased {leased}  seen {seen}",
             f"  {'worker':<24} {'state':<12} {'pages':>7} {'reports':>8} {'pages/s':>8} {'leases':>7} {'last heard':>11}"]
    for session, raw in sorted(workers.items()):
        p = json.loads(raw)
        name = session.decode()
        beat = beats.get(session)
        age = f"{(now_ms - int(beat)) / 1000:.0f} s ago" if beat else "?"
        lines.append(f"  {name:<24} {p.get('state', '?'):<12} {p.get('pages', 0):>7} {p.get('reports', 0):>8} "
                     f"{p.get('pages_per_s', 0):>8} {held.get(name, 0):>7} {age:>11}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.cluster", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("status", "forget"))
    parser.add_argument("url", help="the workers' XXGK_FRONTIER, redis://HOST:PORT/DB")
    args = parser.parse_args(argv)
    try:
        client = cluster.connect(args.url)
        found = crawls(client)
        if args.command == "forget":
            for prefix in found:
                keys = [k for k in client.scan_iter(match=f"{prefix}:*", count=1000)]
                client.delete(*keys)
            print(f"forgot {len(found)} crawls on {args.url}")
            return 0
        if not found:
            print(f"no crawl on {args.url}")
        for prefix in found:
            print("\n".join(describe(client, prefix)))
    except (*cluster.UNREACHABLE, ValueError) as exc:
        print(f"error: {args.url}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
