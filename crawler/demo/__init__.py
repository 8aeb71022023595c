"""The demo job: serve the bundled demo portal on loopback, crawl it, print what was archived.

    python -m crawler.demo [--port 8360] [--archive-dir archive]

Offline: the portal (crawler/demo/portal/) is served on 127.0.0.2, 127.0.0.3, … and nothing else is contacted.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlite_utils import Database

ROOT = Path(__file__).resolve().parents[2]
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def crawl_command(start_urls: list[str], archive_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "portals", "-a", "start_urls=" + ",".join(start_urls),
            "-s", f"ARCHIVE_DIR={archive_dir}", *FAST, *extra]


PORTAL_STATS = (("pages", "pages fetched"), ("lists", "list pages"), ("candidates", "report pages"),
                ("reports", "reports stored"), ("attachments", "attachments"))


def portal_stats(stats: dict) -> dict[str, dict[str, int]]:
    "xxgk/discovery/<what>/<portal> → {portal: {what: n}} (a portal name may itself hold '/')."
    out: dict[str, dict[str, int]] = {}
    for what, _label in PORTAL_STATS:
        prefix = f"xxgk/discovery/{what}/"
        for key, value in stats.items():
            if key.startswith(prefix):
                out.setdefault(key[len(prefix):], {})[what] = value
    return out


def summary(db_path: Path) -> str:
    db = Database(db_path)
    run = next(db.query("select * from runs order by started_at desc limit 1"), None)
    stats = json.loads(run["stats"] or "{}") if run else {}
    lines = ["", f"Archived in {db_path} (run {run['run_id'] if run else '?'}):", ""]
    for row in db.query("select site, count(*) n, group_concat(report_year) years from reports "
                        "group by site order by site"):
        lines.append(f"  {row['site']:<24} {row['n']:>3} reports  (years {row['years']})")
    per_portal = portal_stats(stats)
    if per_portal:
        lines += ["", "  " + f"{'portal':<24}" + "".join(f"{label:>16}" for _, label in PORTAL_STATS)]
        for name in sorted(per_portal):
            lines.append("  " + f"{name:<24}" + "".join(f"{per_portal[name].get(w, 0):>16}" for w, _ in PORTAL_STATS))
    requests = stats.get("downloader/request_count", 0)
    stored = sum(v for k, v in stats.items() if k.startswith("xxgk/discovery/reports/"))
    links = {k.split("/", 3)[-1]: v for k, v in stats.items() if k.startswith("xxgk/discovery/rejected/")}
    pages = {k.split("/", 3)[-1]: v for k, v in stats.items() if k.startswith("xxgk/classify/rejected/")}
    lines += ["", f"  requests: {requests} ({requests / stored:.1f} per report stored)" if stored else
              f"  requests: {requests}",
              f"  look-alike links not followed: {sum(links.values())} {links or ''}",
              f"  pages fetched and rejected: {sum(pages.values())} {pages or ''}",
              f"  robots.txt forbidden: {stats.get('robotstxt/forbidden', 0)}, "
              f"off-site requests dropped: {stats.get('offsite/filtered', 0)}, "
              f"redirects followed: {stats.get('xxgk/discovery/redirected', 0)}",
              f"  errors: {run['errors'] if run else 0}", "",
              "Try:",
              f"  .venv/bin/sqlite-utils {db_path} \"select site, report_year, title, publisher, published "
              "from reports order by site, report_year\" --table", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8360, help="port for the demo portal (default 8360)")
    parser.add_argument("--archive-dir", type=Path, default=ROOT / "archive")
    args = parser.parse_args(argv)
    from crawler.demo.portal.server import PortalServer

    with PortalServer(port=args.port) as server:
        print(f"demo portal on port {server.port}: " + ", ".join(server.start_urls()))
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        done = subprocess.run(crawl_command(server.start_urls(), args.archive_dir, "-s", "LOG_LEVEL=WARNING"),
                              cwd=ROOT, env=env)
    if done.returncode != 0:
        return done.returncode
    print(summary(args.archive_dir / "reports.db"))
    return 0
