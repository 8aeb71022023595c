"""The demo job: serve the bundled demo portal on loopback, crawl it, print what was archived.

    python -m crawler.demo [--port 8360] [--archive-dir archive]

Offline: the portal (tests/portal/) is served on 127.0.0.2, 127.0.0.3, … and nothing else is contacted.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlite_utils import Database

ROOT = Path(__file__).resolve().parent.parent
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def crawl_command(start_urls: list[str], archive_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "portals", "-a", "start_urls=" + ",".join(start_urls),
            "-s", f"ARCHIVE_DIR={archive_dir}", *FAST, *extra]


def summary(db_path: Path) -> str:
    db = Database(db_path)
    run = next(db.query("select * from runs order by started_at desc limit 1"), None)
    stats = json.loads(run["stats"] or "{}") if run else {}
    lines = ["", f"Archived in {db_path} (run {run['run_id'] if run else '?'}):", ""]
    for row in db.query("select site, count(*) n, group_concat(report_year) years from reports "
                        "group by site order by site"):
        lines.append(f"  {row['site']:<24} {row['n']:>3} reports  (years {row['years']})")
    skipped = {k.split("/", 2)[-1]: v for k, v in stats.items()
               if k.startswith(("xxgk/discovery/rejected/", "xxgk/classify/rejected/"))}
    lines += ["", f"  pages fetched: {run['pages_fetched'] if run else 0}",
              f"  look-alikes skipped: {sum(skipped.values())} {skipped or ''}",
              f"  robots.txt forbidden: {stats.get('robotstxt/forbidden', 0)}",
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
    sys.path.insert(0, str(ROOT))
    from tests.portal.server import PortalServer

    with PortalServer(port=args.port) as server:
        print(f"demo portal on port {server.port}: " + ", ".join(server.start_urls()))
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        done = subprocess.run(crawl_command(server.start_urls(), args.archive_dir, "-s", "LOG_LEVEL=WARNING"),
                              cwd=ROOT, env=env)
    if done.returncode != 0:
        return done.returncode
    print(summary(args.archive_dir / "reports.db"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
