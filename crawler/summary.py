"""What a run did, in a few lines a person reads: printed at the end of every crawl (the progress
extension) and by the demo. Everything comes from ``reports.db``: the run's row (its Scrapy stats
included) and the reports, so it can be printed for any run, after the fact.
"""
from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

from sqlite_utils import Database

from crawler.runs import format_report
from pipelines.store.runreport import run_report

PORTAL_STATS = (("pages", "pages fetched"), ("lists", "list pages"), ("candidates", "report pages"),
                ("reports", "reports seen"), ("attachments", "attachments"))
OUTCOMES = (("new", "new"), ("changed", "changed"), ("unchanged", "unchanged"), ("not_modified", "not modified (304)"))
MAX_LINES = 20   # sites or portals listed by name; a national crawl has thousands


def portal_stats(stats: dict) -> dict[str, dict[str, int]]:
    "xxgk/discovery/<what>/<portal> → {portal: {what: n}} (a portal name may itself hold '/')."
    out: dict[str, dict[str, int]] = {}
    for what, _label in PORTAL_STATS:
        prefix = f"xxgk/discovery/{what}/"
        for key, value in stats.items():
            if key.startswith(prefix):
                out.setdefault(key[len(prefix):], {})[what] = value
    return out


def outcomes(stats: dict) -> dict[str, int]:
    "Reports this run stored, by what they were to the archive: new, changed, unchanged, not_modified."
    return {key: int(stats.get(f"xxgk/store/{key}", 0) or 0) for key, _ in OUTCOMES}


def shown(path: Path | str) -> str:
    "A path as a person here types it: relative to the working directory when under it."
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def tool(name: str) -> str:
    "How to call a tool of this environment from here: `.venv/bin/sqlite-utils`, not a bare name."
    return shown(Path(sys.executable).parent / name)


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])) if counts else ""


def summary(db_path: Path, run_id: str | None = None) -> str:
    "The summary of run ``run_id`` (default: the latest) of the archive at ``db_path``."
    db = Database(db_path)
    try:
        return _summary(db, Path(db_path), run_id)
    finally:
        db.close()


def _summary(db: Database, db_path: Path, run_id: str | None) -> str:
    sql = "select * from runs where run_id = ?" if run_id else "select * from runs order by started_at desc limit 1"
    run = next(db.query(sql, [run_id] if run_id else []), None)
    if run is None:
        return f"No run recorded in {db_path}."
    stats = json.loads(run["stats"] or "{}")
    started = run["started_at"]
    seen = outcomes(stats)
    total = db.execute("select count(*) from reports").fetchone()[0]
    elapsed = stats.get("elapsed_time_seconds")
    lines = ["", f"Run {run['run_id']} ({run['finish_reason'] or 'not finished'}"
             + (f", {elapsed:.0f} s" if isinstance(elapsed, (int, float)) else "") + f"): "
             f"{run['pages_fetched'] or 0} pages fetched, {sum(seen.values())} reports: "
             + ", ".join(f"{seen[k]} {label}" for k, label in OUTCOMES),
             f"{shown(db_path)} holds {total} reports.", ""]
    sites = list(db.query(
        "select site, count(*) n, sum(first_seen >= :started) new, group_concat(distinct report_year) years "
        "from reports group by site order by site", {"started": started}))
    for row in sites[:MAX_LINES]:
        years = ", ".join(sorted(set((row["years"] or "").split(",")) - {""}))
        lines.append(f"  {row['site']:<28} {row['n']:>4} reports, {row['new'] or 0:>3} new   (years {years or '?'})")
    if len(sites) > MAX_LINES:
        lines.append(f"  … and {len(sites) - MAX_LINES} more sites")
    per_portal = portal_stats(stats)
    if per_portal:
        lines += ["", "  " + f"{'portal':<28}" + "".join(f"{label:>15}" for _, label in PORTAL_STATS)]
        busiest = sorted(per_portal, key=lambda p: (-per_portal[p].get("pages", 0), p))
        for name in sorted(busiest[:MAX_LINES]):
            lines.append("  " + f"{name:<28}" + "".join(f"{per_portal[name].get(w, 0):>15}" for w, _ in PORTAL_STATS))
        if len(per_portal) > MAX_LINES:
            lines.append(f"  … and {len(per_portal) - MAX_LINES} more portals")
    requests = stats.get("downloader/request_count", 0)
    reports = sum(seen.values())
    links = {k.split("/", 3)[-1]: v for k, v in stats.items() if k.startswith("xxgk/discovery/rejected/")}
    pages = {k.split("/", 3)[-1]: v for k, v in stats.items() if k.startswith("xxgk/classify/rejected/")}
    errors = json.loads(run["errors_by_kind"] or "{}")
    lines += ["", f"  requests: {requests}" + (f" ({requests / reports:.1f} per report)" if reports else ""),
              f"  look-alike links not followed: {sum(links.values())}  {_counted(links)}".rstrip(),
              f"  pages fetched and rejected: {sum(pages.values())}  {_counted(pages)}".rstrip(),
              f"  robots.txt forbidden: {stats.get('robotstxt/forbidden', 0)}, "
              f"off-site requests dropped: {stats.get('offsite/filtered', 0)}, "
              f"redirects followed: {stats.get('xxgk/discovery/redirected', 0)}",
              f"  errors: {run['errors'] or 0}  {_counted(errors)}".rstrip(), ""]
    sqlite_utils, where = tool("sqlite-utils"), shlex.quote(shown(db_path))
    if seen["new"]:
        lines += [f"The {seen['new']} new reports:",
                  f"  {sqlite_utils} {where} \"select site, report_year, title, url from reports "
                  f"where first_seen >= '{started}' order by site, report_year\" --table"]
    else:
        lines += ["No new reports in this run. Every report of the archive:",
                  f"  {sqlite_utils} {where} \"select site, report_year, title, url from reports "
                  "order by site, report_year\" --table"]
    if seen["changed"]:
        lines += [f"The {seen['changed']} reports whose text changed (their earlier texts are in versions):",
                  f"  {sqlite_utils} {where} \"select url, versions, title from reports where url in "
                  f"(select url from versions where first_seen >= '{started}') and first_seen < '{started}'\" --table"]
    if run["errors"]:
        lines += ["Errors of this run:",
                  f"  {sqlite_utils} {where} \"select stage, kind, url, message from errors "
                  f"where run_id = '{run['run_id']}'\" --table"]
    # new, changed, gone and returned per portal, against the previous run (issue 19; python -m crawler.runs)
    lines += ["", format_report(run_report(db, run["run_id"]))]
    return "\n".join(lines + [""])
