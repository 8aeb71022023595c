"""Where the full pipeline's CPU goes: run `scrapy crawl portals` over a generated portal under a
sampling profiler (py-spy, when installed) or cProfile, and break the time down by stage.

    python -m bench.profile                         # 20 sites x 50 reports, py-spy if on PATH
    python -m bench.profile --tool cprofile         # deterministic, slower (Python-call-heavy code looks worse)
    python -m bench.profile --py-spy /path/to/py-spy --sites 20 --reports 50

py-spy is not a project dependency: `pip install --target DIR py-spy` and pass DIR/bin/py-spy.
Writes the raw profile to bench/results/profile.{txt,prof} and prints the breakdown.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import portal
from bench.__main__ import RESULTS, ROOT, Server, child_env

# (label, markers): a sample belongs to the first category any of whose markers is one of its
# frames' function names (py-spy) or whose cumulative time is taken (cProfile)
CATEGORIES = [
    ("stage decode (pipeline)", ["decode_stage"]),
    ("stage metadata", ["metadata_stage"]),
    ("stage clean (clean_html + pinyin/script/OpenCC)", ["clean_stage"]),
    ("stage classify", ["classify_stage"]),
    ("store: reports/versions rows + FTS (database thread)", ["StorePipeline._write_page", "Store.save_report"]),
    ("capture index rows (database thread)", ["Store.add_capture"]),
    ("spider parse_report (decode again, attachment links)", ["PortalsSpider.parse_report"]),
    ("spider parse_nav (decode, links, paging)", ["PortalsSpider.parse_nav"]),
    ("WARC capture middleware (+ capture index)", ["WarcCaptureMiddleware.process_response"]),
    ("crawl state (crawler/state.py)", ["state.py"]),
]
DETAIL = ["decode", "find_mojibake", "extract_links", "report_attachments", "page_links", "clean_html",
          "extract_metadata", "locate_body", "Renderer.render", "drop_unwanted", "prune_hidden", "detect_script",
          "to_simplified", "strip_pinyin", "is_report", "Store.save_report", "Table.upsert", "Table.insert",
          "CaptureIndex.add", "CaptureIndex.original", "RollingWarcWriter.write", "document_fromstring",
          "HtmlElementClassLookup.lookup", "LogFormatter.dropped", "StatsCollector.inc_value"]


IDLE = {"wait", "get", "select", "poll", "_poll", "sleep", "acquire"}


def frames(line: str) -> tuple[list[str], int]:
    stack, _, count = line.rstrip("\n").rpartition(" ")
    out = []
    for frame in stack.split(";"):
        name, _, where = frame.partition(" (")
        out.append(f"{name}@{where.rstrip(')')}")
    return out, int(count)


def breakdown_pyspy(raw: Path) -> dict:
    total = 0
    cats: Counter[str] = Counter()
    detail: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        if not line.strip():
            continue
        stack, n = frames(line)
        if stack[-1].split("@", 1)[0].rsplit(".", 1)[-1] in IDLE:
            continue  # a pool thread waiting for work: py-spy does not always see it as idle
        total += n
        names = [f.split("@", 1)[0] for f in stack]
        files = [f.split("@", 1)[1] for f in stack]
        worker = any(x.endswith("_process_worker") for x in names)     # an extraction process
        thread = any(x.endswith("ReportsDatabase._run") for x in names)  # the database thread
        if not (worker or thread or any(x.endswith("_start_twisted") for x in names)):
            cats["start-up and shutdown (imports, settings, migrations)"] += n
        else:
            for label, markers in CATEGORIES:
                if any(m in names or any(m in f for f in files) for m in markers):
                    cats[label] += n
                    break
            else:
                cats["extraction workers: imports, pickling" if worker else "database thread: other"
                     if thread else "Scrapy engine, Twisted HTTP client, asyncio"] += n
        seen = set()
        for name in names:
            for d in DETAIL:
                if (name == d or name.endswith("." + d)) and d not in seen:
                    seen.add(d)
                    detail[d] += n
    return {"samples": total, "categories": {k: round(100 * v / total, 1) for k, v in cats.most_common()},
            "functions_inclusive": {k: round(100 * v / total, 1) for k, v in detail.most_common()}}


def breakdown_cprofile(prof: Path) -> dict:
    import pstats

    st = pstats.Stats(str(prof))
    total = st.total_tt
    cum: dict[str, float] = {}
    for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in st.stats.items():
        key = name if "state.py" not in file else "state.py"
        cum[key] = max(cum.get(key, 0.0), ct)
    cats = {label: round(100 * max(cum.get(m.split(".")[-1], 0.0) for m in markers) / total, 1)
            for label, markers in CATEGORIES}
    detail = {d: round(100 * cum.get(d.split(".")[-1], 0.0) / total, 1) for d in DETAIL}
    own = sorted(((tt, f"{Path(f).name}:{ln} {n}") for (f, ln, n), (_cc, _nc, tt, _ct, _c) in st.stats.items()),
                 reverse=True)[:20]
    return {"seconds": round(total, 1), "categories (cumulative, nested ones overlap)": cats,
            "functions_inclusive": dict(sorted(detail.items(), key=lambda kv: -kv[1])),
            "own_time_top": {name: round(100 * tt / total, 1) for tt, name in own}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", type=int, default=20)
    ap.add_argument("--reports", type=int, default=50)
    ap.add_argument("--page-size", type=int, default=15)
    ap.add_argument("--tool", choices=("py-spy", "cprofile"), default=None)
    ap.add_argument("--py-spy", default=None, help="path of the py-spy binary (default: on PATH)")
    ap.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    a = ap.parse_args(argv)
    spy = a.py_spy or shutil.which("py-spy")
    tool = a.tool or ("py-spy" if spy else "cprofile")
    if tool == "py-spy" and not spy:
        print("py-spy not found: pip install --target DIR py-spy, then --py-spy DIR/bin/py-spy", file=sys.stderr)
        return 2
    from crawler.demo import crawl_command

    RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="xxgk-profile-"))
    try:
        portal.generate(work / "portal", a.sites, a.reports, a.page_size or None)
        with Server(work / "portal") as server:
            cmd = crawl_command(server.start_urls(), work / "archive", "-s", "LOG_LEVEL=WARNING")
            if tool == "py-spy":
                out = RESULTS / "profile.txt"
                # the extraction workers are processes of their own
                cmd = [spy, "record", "--subprocesses", "-r", str(a.rate), "-f", "raw", "-o", str(out), "--", *cmd]
            else:
                out = RESULTS / "profile.prof"
                cmd = [cmd[0], "-m", "cProfile", "-o", str(out), *cmd[1:]]
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env=child_env(), check=True, stderr=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - t0
        res = breakdown_pyspy(out) if tool == "py-spy" else breakdown_cprofile(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{tool}: {a.sites} sites x {a.reports} reports, {wall:.1f} s wall; raw profile in {out}\n")
    for section, values in res.items():
        if isinstance(values, dict):
            print(section)
            for k, v in values.items():
                print(f"  {v:5.1f}%  {k}")
        else:
            print(f"{section}: {values}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
