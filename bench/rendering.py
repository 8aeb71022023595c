"""Lists built by script (issue 17): what rendering costs, and that a portal without them pays nothing.

Over the scripted-lists demo portal (crawler/demo/portal/scripted: a provincial-template site, a Hanweb
jpage column, a single-page app), three crawls, each its own process (CPU = user+sys of the crawl and
every process it reaped: the Playwright driver and Chromium):

- ``auto``: the share of list pages rendered (``xxgk/render/rendered`` over the list pages walked);
- ``always`` against ``never``: every column page rendered against none; the difference in CPU and wall
  per rendered page, against the CPU and wall per page of the static crawl ("a static list page").

And, from the bench's own full run over the classic templates: whether any browser started.

    python -m bench.rendering [--reps N]        # alone; python -m bench runs it too
"""
from __future__ import annotations

import json
import sqlite3
import statistics
import sys
from pathlib import Path

from bench.measure import run_child

ROOT = Path(__file__).resolve().parent.parent
SITES = ("trs-province", "hanweb-jpage", "spa-app")
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "-s", "LOG_LEVEL=WARNING"]


def run_stats(db: Path) -> dict:
    with sqlite3.connect(db) as con:
        row = con.execute("select pages_fetched, stats from runs order by started_at desc limit 1").fetchone()
    return {"pages": row[0], **json.loads(row[1] or "{}")}


def browser_started(db: Path) -> bool:
    "Did the crawl that wrote ``db`` start Playwright or Chromium?"
    stats = run_stats(db)
    return bool(stats.get("xxgk/render/browser_started") or stats.get("playwright/browser_count"))


def crawl(server, work: Path, mode: str, env: dict) -> dict:
    from crawler.demo import crawl_command

    archive = work / f"archive-render-{mode}"
    cmd = crawl_command([server.url(n, "/") for n in SITES], archive, *FAST, "-s", f"XXGK_RENDER={mode}")
    run = run_child(cmd, cwd=ROOT, env=env, log=work / f"render-{mode}.log")
    stats = run_stats(archive / "reports.db")
    with sqlite3.connect(archive / "reports.db") as con:
        reports = con.execute("select count(*) from reports").fetchone()[0]
    lists = sum(v for k, v in stats.items() if k.startswith("xxgk/discovery/lists/"))
    return {"mode": mode, "returncode": run.returncode, "wall_s": round(run.wall_s, 3), "cpu_s": round(run.cpu_s, 3),
            "pages": stats["pages"], "lists": lists, "reports": reports,
            "rendered": stats.get("xxgk/render/rendered", 0), "snapshots": stats.get("xxgk/render/snapshots", 0),
            "browser_requests": stats.get("xxgk/render/requests", 0)}


def measure(work: Path, env: dict, reps: int = 1, classic_db: Path | None = None) -> dict:
    from crawler.demo.portal.scriptsites import SCRIPTED_DIR
    from crawler.demo.portal.server import PortalServer

    work.mkdir(parents=True, exist_ok=True)
    out: dict = {"classic_portal_started_a_browser": browser_started(classic_db) if classic_db else None}
    with PortalServer(root=SCRIPTED_DIR) as server:
        out["auto"] = crawl(server, work, "auto", env)
        runs = {"always": [], "never": []}
        for _ in range(reps):   # interleaved, so drift on the machine hits both alike
            for mode in runs:
                runs[mode].append(crawl(server, work, mode, env))
    auto = out["auto"]
    out["share_rendered"] = round(auto["rendered"] / auto["lists"], 3) if auto["lists"] else None
    med = {mode: {k: statistics.median(r[k] for r in rs) for k in ("cpu_s", "wall_s", "pages", "rendered")}
           for mode, rs in runs.items()}
    out["always"], out["never"] = runs["always"][-1], runs["never"][-1]
    rendered = med["always"]["rendered"] or 1
    static_cpu_ms = 1000 * med["never"]["cpu_s"] / med["never"]["pages"]
    static_wall_ms = 1000 * med["never"]["wall_s"] / med["never"]["pages"]
    render_cpu_ms = 1000 * (med["always"]["cpu_s"] - med["never"]["cpu_s"]) / rendered
    render_wall_ms = 1000 * (med["always"]["wall_s"] - med["never"]["wall_s"]) / rendered
    out["per_page"] = {"rendered_cpu_ms": round(render_cpu_ms, 1), "rendered_wall_ms": round(render_wall_ms, 1),
                       "static_cpu_ms": round(static_cpu_ms, 1), "static_wall_ms": round(static_wall_ms, 1),
                       "cpu_ratio": round(render_cpu_ms / static_cpu_ms, 1) if static_cpu_ms else None,
                       "wall_ratio": round(render_wall_ms / static_wall_ms, 1) if static_wall_ms else None,
                       "reps": reps}
    return out


def table(res: dict) -> str:
    a, p = res["auto"], res["per_page"]
    lines = [
        "lists built by script (scripted demo portal: provincial template, Hanweb jpage column, single-page app)",
        f"auto: {a['rendered']} of {a['lists']} list pages rendered (share {res['share_rendered']}), "
        f"{a['snapshots']} list states read, {a['browser_requests']} browser requests, {a['reports']} reports, "
        f"{a['wall_s']:.1f} s wall, {a['cpu_s']:.1f} CPU s",
        f"per rendered page (always - never, median of {p['reps']}): {p['rendered_cpu_ms']:.0f} CPU ms, "
        f"{p['rendered_wall_ms']:.0f} wall ms; per static page {p['static_cpu_ms']:.1f} CPU ms, "
        f"{p['static_wall_ms']:.1f} wall ms: x{p['cpu_ratio']} CPU, x{p['wall_ratio']} wall",
    ]
    if res.get("classic_portal_started_a_browser") is not None:
        lines.append("classic portal (no script-built list): browser started: "
                     + ("YES (wrong)" if res["classic_portal_started_a_browser"] else "no"))
    return "\n".join(lines)


def main(argv=None) -> int:
    import argparse
    import os
    import tempfile

    ap = argparse.ArgumentParser(prog="python -m bench.rendering", description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=None)
    a = ap.parse_args(argv)
    work = a.workdir or Path(tempfile.mkdtemp(prefix="xxgk-render-bench-"))
    res = measure(work, dict(os.environ, PYTHONPATH=str(ROOT)), a.reps)
    print(table(res))
    print(json.dumps(res, ensure_ascii=False, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
