"""Benchmark: crawl throughput, extraction cost and memory, as ratios against baselines run side
by side on this machine (issue 9). Not part of the test suite.

    python -m bench                      # default size, < 10 minutes on 2 cores
    python -m bench --quick              # sanity check, < 1 minute
    python -m bench --sites 20 --reports 500 --rss-scale 10    # the issue's full size (long)
    python -m bench --cluster            # several machines: 1 and 2 workers on one Redis (bench.cluster)

Generates a portal set from the demo portal's templates into a temporary directory, serves it on
loopback (127.0.0.2, …) with a fast static server, and runs, each as its own process:
  (a) fetch-only Scrapy spider over the URLs the full pipeline fetched (stores nothing),
  (b) xxgk-archive, full pipeline: `scrapy crawl portals` (WARC, decode, metadata, clean, SQLite),
  (c) a generic CrawlSpider + trafilatura.extract into SQLite,
  (d) the rebuild from WARC (`python -m crawler.reprocess`) over (b)'s archive;
then times clean_html against trafilatura.extract on the same decoded pages, and records the
full pipeline's peak RSS at 1x and --rss-scale x the portal. Prints one table and writes
bench/results/latest.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from bench import cleantime, loadtest, portal, rendering
from bench.measure import ChildRun, proc_cpu_s, run_child

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "-s", "LOG_LEVEL=WARNING"]
TARGETS = {"full_vs_fetch": 0.5, "full_vs_generic": 1.0, "clean_vs_trafilatura": 1.0, "rss_ratio": 1.5}


def generate(out: Path, sites: int, reports: int, page_size: int | None) -> dict:
    """The portal, generated in a child process: building 10,000 pages in memory would leave this
    process large, and every child it starts afterwards would inherit that in its ru_maxrss."""
    cmd = [sys.executable, "-m", "bench.portal", "--out", str(out), "--sites", str(sites), "--reports", str(reports)]
    if page_size:
        cmd += ["--page-size", str(page_size)]
    subprocess.run(cmd, cwd=ROOT, env=child_env(), check=True, stdout=subprocess.DEVNULL)
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    return env


class Server:
    "bench.server as a subprocess; the CPU it used is read from /proc before it stops."

    def __init__(self, root: Path):
        self.root = root
        self.manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))

    def __enter__(self) -> "Server":
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.server", "--root", str(self.root)],
                                     cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            self.proc.kill()
            raise RuntimeError(f"bench server did not start: {line!r}")
        self.port = int(line.split()[1])
        self.cpu0 = proc_cpu_s(self.proc.pid)
        return self

    def cpu_s(self) -> float:
        return proc_cpu_s(self.proc.pid) - self.cpu0

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()

    def start_urls(self) -> list[str]:
        return [f"http://{s['host']}:{self.port}{s['homepage']}" for s in self.manifest["sites"]]

    def burst_targets(self) -> list[tuple[str, int, list[str]]]:
        out = []
        for s in self.manifest["sites"]:
            paths = [f["path"] + (f"?{f['query']}" if f["query"] else "") for f in s["files"]]
            out.append((s["host"], self.port, paths))
        return out


# --- what a crawl stored --------------------------------------------------------------------------

def report_keys(manifest: dict) -> set[tuple[str, str]]:
    from crawler.demo.portal.server import TRACKING, route_key

    hosts = {s["name"]: s["host"] for s in manifest["sites"]}
    out = set()
    for r in manifest["reports"]:
        path, _, query = r["path"].partition("?")
        out.add((hosts[r["site"]], route_key(path, query, TRACKING)))
    return out


def matched(urls, keys: set) -> int:
    "How many stored URLs are report pages of the manifest."
    from crawler.demo.portal.server import TRACKING, route_key

    n = 0
    for url in urls:
        parts = urlsplit(url)
        n += (parts.hostname, route_key(parts.path, parts.query, TRACKING)) in keys
    return n


def db_urls(db: Path, table: str) -> list[str]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as con:
        return [u for (u,) in con.execute(f"select url from {table}")]


def full_run_stats(db: Path) -> dict:
    with sqlite3.connect(db) as con:
        row = con.execute("select pages_fetched, errors, stats from runs order by started_at desc limit 1").fetchone()
    stats = json.loads(row[2] or "{}")
    return {"pages": row[0], "errors": row[1],
            "rejected": sum(v for k, v in stats.items() if k.startswith("xxgk/classify/rejected/")),
            "item_scraped": stats.get("item_scraped_count"), "warc_records": stats.get("xxgk/warc/records")}


def warc_urls(warc_dir: Path) -> list[str]:
    "Every URL the full pipeline fetched, in order (robots.txt left to the fetcher's own middleware)."
    from warcio.archiveiterator import ArchiveIterator

    seen, out = set(), []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type != "response":
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI")
                if urlsplit(url).path == "/robots.txt" or url in seen:
                    continue
                seen.add(url)
                out.append(url)
    return out


def crawl_result(name: str, run: ChildRun, pages: int | None, stored: int, reports: int, extra: dict | None = None):
    d = {"name": name, **run.as_dict(), "pages": pages, "rows_stored": stored, "reports_stored": reports,
         "pages_per_s": round(pages / run.wall_s, 1) if pages else None,
         "reports_per_s": round(reports / run.wall_s, 1) if reports else None,
         "cpu_s_per_report": round(run.cpu_s / reports, 4) if reports else None,
         "cpu_ms_per_page": round(1000 * run.cpu_s / pages, 2) if pages else None}
    d.update(extra or {})
    if run.returncode != 0:
        log(f"{name} exited {run.returncode}: {run.stderr_tail[-800:]}")
    return d


# --- the four runs --------------------------------------------------------------------------------

def run_full(server: Server, work: Path, tag: str, keys: set) -> dict:
    from crawler.demo import crawl_command

    archive = work / f"archive-{tag}"
    cmd = crawl_command(server.start_urls(), archive, *FAST[-2:])
    run = run_child(cmd, cwd=ROOT, env=child_env(), log=work / f"full-{tag}.log")
    db = archive / "reports.db"
    urls = db_urls(db, "reports")
    extra = full_run_stats(db) if db.exists() else {}
    pages = extra.pop("pages", None)
    return crawl_result(f"full-{tag}", run, pages, len(urls), matched(urls, keys), extra)


def run_fetch(work: Path, urls: list[str]) -> dict:
    url_file = work / "fetch-urls.txt"
    url_file.write_text("\n".join(urls) + "\n")
    stats_file = work / "fetch-stats.json"
    run = run_child([sys.executable, "-m", "bench.baselines", "fetch", "--urls", str(url_file),
                     "--stats", str(stats_file)], cwd=ROOT, env=child_env(), log=work / "fetch.log")
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return crawl_result("fetch-only", run, stats.get("response_received_count"), 0, 0,
                        {"urls_given": len(urls)})


def run_generic(server: Server, work: Path, keys: set) -> dict:
    db, stats_file = work / "generic.db", work / "generic-stats.json"
    run = run_child([sys.executable, "-m", "bench.baselines", "generic", "--start-urls", ",".join(server.start_urls()),
                     "--db", str(db), "--stats", str(stats_file)], cwd=ROOT, env=child_env(), log=work / "generic.log")
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    urls = db_urls(db, "pages")
    return crawl_result("generic", run, stats.get("response_received_count"), len(urls), matched(urls, keys))


def run_rebuild(work: Path, keys: set) -> dict:
    db = work / "rebuilt.db"
    run = run_child([sys.executable, "-m", "crawler.reprocess", str(work / "archive-1x"), "--db", str(db)],
                    cwd=ROOT, env=child_env(), log=work / "rebuild.log")
    urls = db_urls(db, "reports")
    # "N reports rebuilt into DB from M captures (K of report pages, …)": pages = report pages read
    m = re.search(r"\((\d+) of report pages", run.stdout) or re.search(r"from (\d+) captures", run.stdout)
    captures = int(m.group(1)) if m else None
    return crawl_result("rebuild", run, captures, len(urls), matched(urls, keys))


# --- report ---------------------------------------------------------------------------------------

def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def verdict(value, target, higher_is_better: bool) -> str:
    if value is None:
        return "n/a"
    ok = value >= target if higher_is_better else value <= target
    return "met" if ok else "NOT met"


def table(res: dict) -> str:
    runs = res["runs"]
    srv = res["server"]
    lines = [f"portal: {res['portal']['sites']} sites x {res['portal']['reports_per_site']} reports = "
             f"{res['portal']['reports']} reports (the 'reports' column counts these), {res['portal']['files']} files, "
             f"{res['portal']['page_size'] or 3} entries per list page",
             f"server: {srv['req_per_s']:.0f} req/s in a {srv['concurrency']}-connection burst, "
             f"{srv['server_req_per_cpu_s'] or 0:.0f} req per server CPU-second; "
             f"{srv.get('cpu_s_during_crawls', 0):.1f} CPU s for all of (a)-(c)", "",
             f"{'run':<22}{'wall s':>8}{'pages':>8}{'pages/s':>9}{'reports':>9}{'CPU s':>8}"
             f"{'CPU s/report':>13}{'CPU ms/page':>12}{'peak RSS MB':>12}"]
    labels = {"fetch": "(a) fetch-only", "full": "(b) xxgk-archive full", "generic": "(c) generic+trafilatura",
              "rebuild": "(d) rebuild from WARC"}
    for key, label in labels.items():
        r = runs.get(key)
        if not r:
            continue

        def f(v, fmt):
            return format(v, fmt) if v is not None else "-"
        lines.append(f"{label:<22}{r['wall_s']:>8.1f}{f(r['pages'], 'd'):>8}{f(r['pages_per_s'], '.1f'):>9}"
                     f"{r['reports_stored']:>9d}{r['cpu_s']:>8.1f}{f(r['cpu_s_per_report'], '.4f'):>13}"
                     f"{f(r['cpu_ms_per_page'], '.2f'):>12}{r['maxrss_mb']:>12.0f}")
    k = res["ratios"]
    c = res["clean"]
    rss = res.get("rss", {})
    lines += ["",
              f"b/a pages/s            {k['full_vs_fetch']!s:>8}   target >= {TARGETS['full_vs_fetch']}  "
              f"{verdict(k['full_vs_fetch'], TARGETS['full_vs_fetch'], True)}   "
              f"(at best {k['full_vs_fetch_ceiling']} here: (b)'s CPU s spread over all {res['machine']['cpus']} cores)",
              f"b/c pages/s            {k['full_vs_generic']!s:>8}   target >= {TARGETS['full_vs_generic']}  "
              f"{verdict(k['full_vs_generic'], TARGETS['full_vs_generic'], True)}",
              f"c/b CPU s per report   {k['generic_vs_full_cpu_per_report']!s:>8}   (how many times more CPU the generic "
              f"spider spends per report it stores)",
              f"clean / trafilatura    {k['clean_vs_trafilatura']!s:>8}   target <= {TARGETS['clean_vs_trafilatura']}  "
              f"{verdict(k['clean_vs_trafilatura'], TARGETS['clean_vs_trafilatura'], False)}   "
              f"(clean_html {c['clean_html_ms']} ms, trafilatura.extract {c['trafilatura_ms']} ms, "
              f"fast=True {c['trafilatura_fast_ms']} ms, whole extract.process {c['extract_process_ms']} ms per page; "
              f"{c['pages']} pages x {c['reps']})"]
    if rss:
        lines.append(f"peak RSS 1x / {rss['scale']}x       {rss['rss_1x_mb']:.0f} MB / {rss['rss_nx_mb']:.0f} MB = "
                     f"{k['rss_ratio']}   target <= {TARGETS['rss_ratio']}  {verdict(k['rss_ratio'], TARGETS['rss_ratio'], False)}"
                     f"   ({rss['reports_nx']} reports at {rss['scale']}x, {rss['pages_per_s_nx']} pages/s)")
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--cluster" in argv:   # the shared frontier on Redis, 1 and 2 workers: bench.cluster
        from bench import cluster

        return cluster.main([a for a in argv if a != "--cluster"])
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", type=int, default=20, help="sites (copies of the 3 CMS templates), default 20")
    ap.add_argument("--reports", type=int, default=50, help="report pages per site at 1x, default 50")
    ap.add_argument("--page-size", type=int, default=15, help="entries per list page (default 15, as real CMS "
                    "lists; 0 keeps the templates' 3, which the tests use to exercise paging)")
    ap.add_argument("--rss-scale", type=int, default=10, help="second full run at this many times the reports "
                    "per site, for peak RSS; 0 skips it (default 10)")
    ap.add_argument("--clean-sample", type=int, default=60, help="report pages in the cleaning timing (default 60)")
    ap.add_argument("--reps", type=int, default=5, help="repetitions of the cleaning timing (median; default 5)")
    ap.add_argument("--quick", action="store_true", help="tiny sizes (3 sites x 20 reports, RSS at 5x): < 1 minute")
    ap.add_argument("--workdir", type=Path, default=None, help="keep generated portals and archives here")
    ap.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    a = ap.parse_args(argv)
    a.page_size = a.page_size or None
    if a.quick:
        a.sites, a.reports, a.rss_scale, a.clean_sample, a.reps = 3, 20, 5, 15, 3
        if a.out == RESULTS / "latest.json":
            a.out = RESULTS / "quick.json"

    work = a.workdir or Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    res: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                             "platform": platform.platform()},
                 "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()},
                 "runs": {}}
    try:
        log(f"generating {a.sites} sites x {a.reports} reports in {work}")
        t0 = time.perf_counter()
        manifest = generate(work / "portal-1x", a.sites, a.reports, a.page_size)
        res["portal"] = {**portal.summary(manifest), "reports_per_site": a.reports,
                         "page_size": a.page_size, "generate_s": round(time.perf_counter() - t0, 1)}
        keys = report_keys(manifest)
        with Server(work / "portal-1x") as server:
            log(f"server on port {server.port}; burst")
            res["server"] = loadtest.burst(server.proc.pid, server.burst_targets(), seconds=2 if a.quick else 3)
            before_crawls = server.cpu_s()
            log("(b) full pipeline")
            res["runs"]["full"] = run_full(server, work, "1x", keys)
            urls = warc_urls(work / "archive-1x" / "warc")
            log(f"(a) fetch-only over the {len(urls)} URLs (b) fetched")
            res["runs"]["fetch"] = run_fetch(work, urls)
            log("(c) generic CrawlSpider + trafilatura")
            res["runs"]["generic"] = run_generic(server, work, keys)
            res["server"]["cpu_s_during_crawls"] = round(server.cpu_s() - before_crawls, 2)
        log("(d) rebuild from WARC")
        res["runs"]["rebuild"] = run_rebuild(work, keys)
        log("lists built by script: rendered against static list pages")
        res["rendering"] = rendering.measure(work / "render", child_env(), reps=1 if a.quick else 3,
                                             classic_db=work / "archive-1x" / "reports.db")
        log("cleaning step vs trafilatura")
        res["clean"] = cleantime.measure(work / "portal-1x", manifest, a.clean_sample, a.reps)
        shutil.rmtree(work / "portal-1x", ignore_errors=True)

        if a.rss_scale and a.rss_scale > 1:
            n = a.reports * a.rss_scale
            log(f"peak RSS: generating {a.sites} sites x {n} reports")
            manifest_n = generate(work / "portal-nx", a.sites, n, a.page_size)
            with Server(work / "portal-nx") as server:
                log("(b) full pipeline at the larger size")
                big = run_full(server, work, f"{a.rss_scale}x", report_keys(manifest_n))
            res["runs_rss"] = big
            res["rss"] = {"scale": a.rss_scale, "rss_1x_mb": res["runs"]["full"]["maxrss_mb"],
                          "rss_nx_mb": big["maxrss_mb"], "reports_nx": big["reports_stored"],
                          "reports_expected_nx": len(manifest_n["reports"]), "pages_per_s_nx": big["pages_per_s"]}
            shutil.rmtree(work / "portal-nx", ignore_errors=True)

        r = res["runs"]
        res["ratios"] = {
            "full_vs_fetch": ratio(r["full"]["pages_per_s"], r["fetch"]["pages_per_s"]),
            # (b) with every core busy all the time: its CPU seconds over the cores are its least wall time
            "full_vs_fetch_ceiling": ratio(r["full"]["pages"] * res["machine"]["cpus"] / r["full"]["cpu_s"],
                                           r["fetch"]["pages_per_s"]),
            "full_vs_generic": ratio(r["full"]["pages_per_s"], r["generic"]["pages_per_s"]),
            "full_vs_generic_reports_per_s": ratio(r["full"]["reports_per_s"], r["generic"]["reports_per_s"]),
            "generic_vs_full_cpu_per_report": ratio(r["generic"]["cpu_s_per_report"], r["full"]["cpu_s_per_report"]),
            "clean_vs_trafilatura": res["clean"]["clean_vs_trafilatura"],
            "rss_ratio": ratio(res["rss"]["rss_nx_mb"], res["rss"]["rss_1x_mb"]) if res.get("rss") else None,
        }
        res["targets"] = TARGETS
        res["reports_expected"] = len(manifest["reports"])
        res["total_s"] = round(time.perf_counter() - started, 1)
        text = table(res) + "\n\n" + rendering.table(res["rendering"])
        res["table"] = text.splitlines()
        print(text)
        print(f"\ntotal {res['total_s']} s; details in {a.out}")
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n")
    finally:
        if a.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
