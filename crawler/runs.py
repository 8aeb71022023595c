"""``python -m crawler.runs ARCHIVE_DIR [RUN_ID]``: what a run found new, changed, gone and returned, per
portal, against the run before it (default: the latest run); the end of every crawl's summary prints the same.

A portal whose reports all went at once is printed as a PORTAL PROBLEM (a redesign, a block), not as so many
deletions; its reports are not marked gone (pipelines.store.gone). Exit 2 with one line on stderr for an
archive that is not one, or a run it does not hold.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from sqlite_utils import Database

from pipelines.store.runreport import PortalReport, RunReport, UnknownRun, run_report

MAX_LISTED = 20   # reports listed by name per portal and kind; the counts are always whole
MAX_NEW = 5       # new ones: a first run finds every report, and the summary lists the sites already
MAX_PORTALS = 30  # portals listed one by one


def format_report(report: RunReport) -> str:
    run, previous = report.run, report.previous
    head = (f"Run {run['run_id']} ({run['finish_reason'] or 'not finished'}, {run.get('mode') or 'normal'})"
            + (f" against run {previous['run_id']}" if previous else ", the archive's first run"))
    lines = [head + ": " + _counts(report.portals)]
    run_wide = sorted({g for p in report.portals for g in _gaps(p) if g.startswith("run:")})
    if run_wide:   # a window run, a resumed one, one that did not finish: no walk of it proves absence
        lines.append(f"  no report concluded unlisted in this run ({', '.join(run_wide)}); 404/410 still count")
    # problems first, then the portals where most happened; a national crawl has thousands
    busy = sorted((p for p in report.portals if p.new or p.changed or p.gone or p.returned or p.problem
                   or _portal_gaps(p)),
                  key=lambda p: (p.problem is None, -(len(p.gone) + len(p.returned) + len(p.changed) + len(p.new))))
    for portal in busy[:MAX_PORTALS]:
        gaps = _portal_gaps(portal)
        walk = f"; walk incomplete ({'; '.join(gaps)}): none concluded unlisted" if gaps else ""
        lines.append(f"  {portal.portal}: {_counts([portal])}{walk}")
        if portal.problem:
            lines.append(f"    PORTAL PROBLEM: {portal.problem}")
        lines += _listed(portal)
    if len(busy) > MAX_PORTALS:
        lines.append(f"  … and {len(busy) - MAX_PORTALS} more portals: {_counts(busy[MAX_PORTALS:])}")
    problems = [p.portal for p in report.portals if p.problem]
    if problems:
        lines.append(f"  PORTAL PROBLEM on {len(problems)} portal(s): {', '.join(problems)} (check them by hand)")
    return "\n".join(lines)


def _gaps(portal: PortalReport) -> list[str]:
    return [] if not portal.walk or portal.walk == "complete" else portal.walk.split("; ")


def _portal_gaps(portal: PortalReport) -> list[str]:
    return [g for g in _gaps(portal) if not g.startswith("run:")]


def _counts(portals: list[PortalReport]) -> str:
    return ", ".join(f"{label} {sum(len(getattr(p, label)) for p in portals)}"
                     for label in ("new", "changed", "gone", "returned"))


def _listed(portal: PortalReport) -> list[str]:
    out = []
    for label, rows in (("new", portal.new), ("changed", portal.changed), ("gone", portal.gone),
                        ("returned", portal.returned)):
        limit = MAX_NEW if label == "new" else MAX_LISTED
        for row in rows[:limit]:
            if label == "changed":
                figures = {1: ", figures changed", 0: ", figures same"}.get(row["stats_changed"], "")
                what = f"+{row['chars_added']}/-{row['chars_removed']} chars{figures}" \
                    if row["chars_added"] is not None else "changed"
            elif label == "new":
                what = str(row["report_year"] or "?")
            elif label == "returned":
                what = f"had gone: {row['reason'] or '?'}"
            else:
                what = row["reason"] or "?"
            out.append(f"    {label:<9} {what:<28} {row['url']}  {row['title'] or ''}")
        if len(rows) > limit:
            out.append(f"    … and {len(rows) - limit} more {label}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.runs", description=__doc__.split("\n\n")[0])
    parser.add_argument("archive_dir", type=Path)
    parser.add_argument("run_id", nargs="?")
    args = parser.parse_args(argv)
    path = args.archive_dir / "reports.db"
    if not path.is_file():
        print(f"error: no archive in {args.archive_dir} ({path} does not exist)", file=sys.stderr)
        return 2
    try:
        db = Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
        report = run_report(db, args.run_id)
    except UnknownRun:
        print(f"error: {path} holds no run {args.run_id}" if args.run_id else f"error: {path} holds no run yet",
              file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as exc:
        print(f"error: {path} is not a readable archive database: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
