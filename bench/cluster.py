"""Benchmark of the shared frontier (crawler.cluster): the bench portal crawled with the SQLite frontier,
then by 1 and by 2 worker processes on one Redis, side by side on this machine.

    python -m bench.cluster                  # default size (20 sites x 50 reports), about 2 minutes
    python -m bench.cluster --quick          # 3 sites x 20 reports
    python -m bench --cluster                # the same

For each: wall time, pages fetched, pages/s, reports stored (of the generated manifest, after
``python -m crawler.merge``), CPU seconds of the crawl processes and their extraction workers (wait4),
CPU ms per page, Redis round trips per page (counted by the workers' connections: a pipeline or a Lua
script is one) and the CPU the Redis server spent. Then the merge of the 2 workers' archives: its time,
and the bytes per report a merge through Redis would have carried instead. Politeness off, as in
``python -m bench`` (DOWNLOAD_DELAY=0, 8 per host): the per-host slots in Redis still run, at 8.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import RESULTS, Server, child_env, db_urls, generate, log, matched, report_keys, run_full
from bench.measure import proc_cpu_s
from crawler.cluster import connect
from crawler.cluster.localredis import LocalRedis
from crawler.demo import crawl_command

ROOT = Path(__file__).resolve().parent.parent


def shard_stats(archive: Path) -> dict:
    "pages and Redis round trips of a worker, from its archive's runs row."
    with sqlite3.connect(archive / "reports.db") as con:
        pages, stats = con.execute("select pages_fetched, stats from runs order by started_at desc limit 1").fetchone()
    return {"pages": pages or 0, "roundtrips": json.loads(stats or "{}").get("xxgk/cluster/redis_roundtrips", 0)}


def run_workers(server: Server, redis: LocalRedis, work: Path, n: int, keys: set) -> dict:
    "n crawl processes on one Redis, started together; CPU of each process tree from wait4."
    connect(redis.url).flushdb()   # the same crawl again: not the finished one of the last run
    redis_cpu = proc_cpu_s(redis.proc.pid)
    archives = [work / f"redis{n}-w{i}" for i in range(1, n + 1)]
    procs = []
    began = time.perf_counter()
    for i, archive in enumerate(archives, 1):
        cmd = crawl_command(server.start_urls(), archive, "-s", "LOG_LEVEL=WARNING", "-s", f"XXGK_FRONTIER={redis.url}",
                            "-s", f"XXGK_WORKER_ID=w{i}")
        with open(work / f"redis{n}-w{i}.log", "wb") as err:
            procs.append(subprocess.Popen(cmd, cwd=ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=err))
    cpu, codes = 0.0, []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        codes.append(proc.returncode)
        cpu += usage.ru_utime + usage.ru_stime
    wall = time.perf_counter() - began
    redis_cpu = proc_cpu_s(redis.proc.pid) - redis_cpu
    shards = [shard_stats(a) for a in archives]
    merged = work / f"redis{n}-merged"
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "crawler.merge", str(merged), *map(str, archives)], cwd=ROOT,
                          env=child_env(), capture_output=True, text=True)
    merge_s = time.perf_counter() - t0
    if done.returncode or any(codes):
        log(f"redis x{n}: exit codes {codes}, merge {done.returncode}: {done.stderr[-500:]}")
    urls = db_urls(merged / "reports.db", "reports")
    pages = sum(s["pages"] for s in shards)
    trips = sum(s["roundtrips"] for s in shards)
    return {"name": f"redis-{n}", "workers": n, "wall_s": round(wall, 2), "pages": pages,
            "pages_per_s": round(pages / wall, 1), "reports_stored": matched(urls, keys), "rows_stored": len(urls),
            "cpu_s": round(cpu, 2), "cpu_ms_per_page": round(1000 * cpu / pages, 2) if pages else None,
            "redis_roundtrips": trips, "roundtrips_per_page": round(trips / pages, 2) if pages else None,
            "redis_cpu_s": round(redis_cpu, 2), "per_worker_pages": [s["pages"] for s in shards],
            "merge_s": round(merge_s, 2), "exit_codes": codes, "row_bytes": row_bytes(merged / "reports.db")}


def row_bytes(db: Path) -> int | None:
    "What one report row weighs: what a single writer fed through Redis would receive per report."
    if not db.exists():
        return None
    with sqlite3.connect(db) as con:
        cols = [r[1] for r in con.execute("pragma table_info(reports)")]
        size = " + ".join(f"coalesce(length(cast(\"{c}\" as blob)), 0)" for c in cols)
        return int(con.execute(f"select avg({size}) from reports").fetchone()[0] or 0)


def table(res: dict) -> str:
    p = res["portal"]
    lines = [f"portal: {p['sites']} sites x {p['reports_per_site']} reports = {p['reports']} reports; "
             f"{res['machine']['cpus']} cores", "",
             f"{'run':<24}{'wall s':>8}{'pages':>7}{'pages/s':>9}{'reports':>9}{'CPU s':>8}{'CPU ms/page':>12}"
             f"{'Redis RT/page':>14}{'Redis CPU s':>12}"]
    for r in res["runs"]:
        label = {"sqlite": "SQLite frontier (1 proc)", "redis-1": "Redis, 1 worker", "redis-2": "Redis, 2 workers"}[r["name"]]
        rt = f"{r['roundtrips_per_page']:.2f}" if r.get("roundtrips_per_page") is not None else "-"
        rcpu = f"{r['redis_cpu_s']:.2f}" if r.get("redis_cpu_s") is not None else "-"
        lines.append(f"{label:<24}{r['wall_s']:>8.1f}{r['pages']:>7}{r['pages_per_s']:>9.1f}{r['reports_stored']:>9}"
                     f"{r['cpu_s']:>8.1f}{r['cpu_ms_per_page']:>12.2f}{rt:>14}{rcpu:>12}")
    two = next(r for r in res["runs"] if r["name"] == "redis-2")
    lines += ["", f"2 workers' pages: {two['per_worker_pages']}; merge of their archives: {two['merge_s']:.1f} s "
              f"({two['rows_stored'] / two['merge_s']:.0f} reports/s, process start included); "
              f"a report row weighs {two['row_bytes'] / 1024:.1f} KiB"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", type=int, default=20)
    ap.add_argument("--reports", type=int, default=50)
    ap.add_argument("--page-size", type=int, default=15)
    ap.add_argument("--quick", action="store_true", help="3 sites x 20 reports")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=RESULTS / "cluster.json")
    a = ap.parse_args(argv)
    if a.quick:
        a.sites, a.reports = 3, 20
    work = a.workdir or Path(tempfile.mkdtemp(prefix="xxgk-bench-cluster-"))
    work.mkdir(parents=True, exist_ok=True)
    res: dict = {"machine": {"cpus": os.cpu_count()}, "runs": []}
    try:
        log(f"generating {a.sites} sites x {a.reports} reports in {work}")
        manifest = generate(work / "portal", a.sites, a.reports, a.page_size or None)
        res["portal"] = {"sites": a.sites, "reports_per_site": a.reports, "reports": len(manifest["reports"])}
        keys = report_keys(manifest)
        with Server(work / "portal") as server, LocalRedis(work / "redis") as redis:
            log("SQLite frontier, one process")
            full = run_full(server, work, "sqlite", keys)
            res["runs"].append({**full, "name": "sqlite", "workers": 1})
            for n in (1, 2):
                log(f"{n} worker(s) on one Redis")
                res["runs"].append(run_workers(server, redis, work, n, keys))
        text = table(res)
        res["table"] = text.splitlines()
        print(text)
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n")
    finally:
        if a.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
