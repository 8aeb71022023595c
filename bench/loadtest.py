"""A short concurrent keep-alive burst against the benchmark server, to show it is not the
bottleneck: requests per second seen by the client, and the server's own CPU per request."""
from __future__ import annotations

import asyncio
import time

from bench.measure import proc_cpu_s


async def _worker(host: str, port: int, paths: list[str], deadline: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        i = 0
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode("latin-1"))
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            counts[0] += 1
            counts[1] += length
    finally:
        writer.close()


async def _burst(targets: list[tuple[str, int, list[str]]], concurrency: int, seconds: float):
    counts = [0, 0]
    deadline = time.perf_counter() + seconds
    jobs = []
    for n in range(concurrency):
        host, port, paths = targets[n % len(targets)]
        rotated = paths[n * 7 % len(paths):] + paths[:n * 7 % len(paths)]
        jobs.append(_worker(host, port, rotated, deadline, counts))
    t0 = time.perf_counter()
    await asyncio.gather(*jobs)
    return counts, time.perf_counter() - t0


def burst(server_pid: int, targets: list[tuple[str, int, list[str]]], concurrency: int = 16,
          seconds: float = 3.0) -> dict:
    """targets: (host, port, [paths]) per site. Returns req/s, MB/s and server CPU per request."""
    cpu0 = proc_cpu_s(server_pid)
    (requests, nbytes), wall = asyncio.run(_burst(targets, concurrency, seconds))
    cpu = proc_cpu_s(server_pid) - cpu0
    return {"requests": requests, "seconds": round(wall, 2), "req_per_s": round(requests / wall, 1),
            "mb_per_s": round(nbytes / wall / 1e6, 1), "concurrency": concurrency,
            "server_cpu_s": round(cpu, 2),
            "server_req_per_cpu_s": round(requests / cpu, 1) if cpu > 0 else None}
