"""Which agency published which year's report: found, missing, not yet due (and gone), per portal.

    python -m crawler.coverage ARCHIVE_DIR [--html coverage.html] [--due MM-DD] [--today YYYY-MM-DD]

A department's report is due by 31 January of the next year, a government's own by 31 March
(政府信息公开条例 §49), and many publish late: a year counts as missing once ``XXGK_COVERAGE_DUE``
(month-day of the next year, crawler/settings.py) has passed. Missing: a year between an agency's first and latest reports with none, or a year after its
latest once past due. The ``coverage`` view of reports.db says the same with the legal deadline; this
command adds the grace, the 'gone' state (reports whose ``gone_at`` is set, once that column exists) and
the page (crawler/coveragepage.py).
"""
from __future__ import annotations

import argparse
import datetime
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from crawler import settings as project_settings
from crawler.dbcheck import check_database
from pipelines.agencies import candidates
from pipelines.store import open_database

STATES = ("found", "missing", "not_due", "gone")
_DUE_RE = re.compile(r"^(\d\d)-(\d\d)$")


def due_problem(due: object) -> str | None:
    "Why ``due`` is no month-day (MM-DD) of the next year, or None."
    m = _DUE_RE.match(due) if isinstance(due, str) else None
    if m:
        try:
            datetime.date(2001, int(m[1]), int(m[2]))   # not a leap year: 02-29 would be a deadline some years lack
            return None
        except ValueError:
            pass
    return f"XXGK_COVERAGE_DUE must be a month-day of the next year like 03-31, not {due!r}"


def due_date(year: int, due: str) -> datetime.date:
    month, day = map(int, due.split("-"))
    return datetime.date(year + 1, month, day)


@dataclass
class Agency:
    agency_id: int
    key: str
    name: str
    names: str
    site: str | None
    site_name: str | None
    site_id_code: str | None
    counts: dict[int, int] = field(default_factory=dict)      # year -> reports not gone
    gone: dict[int, int] = field(default_factory=dict)        # year -> reports gone
    cells: dict[int, str] = field(default_factory=dict)       # year -> state


@dataclass
class Coverage:
    agencies: list[Agency]
    years: list[int]
    due: str
    today: datetime.date
    unsure: list[tuple[str, str]]
    unassigned: int          # reports with no publisher or no year: in no agency's row
    reports: int

    def per_year(self) -> dict[int, Counter]:
        out = {y: Counter() for y in self.years}
        for a in self.agencies:
            for year, state in a.cells.items():
                out[year][state] += 1
        return out

    def totals(self) -> Counter:
        return sum(self.per_year().values(), Counter())


def compute(db, due: str, today: datetime.date) -> Coverage:
    has_gone = "gone_at" in db["reports"].columns_dict
    agencies = {r["agency_id"]: Agency(**{k: r[k] for k in ("agency_id", "key", "name", "names", "site",
                                                             "site_name", "site_id_code")})
                for r in db.query("SELECT * FROM agencies")}
    gone_sql = "gone_at IS NOT NULL" if has_gone else "0"
    for agency_id, year, present, gone in db.execute(
            f"SELECT agency_id, report_year, SUM(NOT ({gone_sql})), SUM({gone_sql}) FROM reports "
            "WHERE agency_id IS NOT NULL AND report_year IS NOT NULL GROUP BY agency_id, report_year"):
        a = agencies.get(agency_id)
        if a is None:
            continue
        if present:
            a.counts[year] = present
        if gone:
            a.gone[year] = gone
    kept = [a for a in agencies.values() if a.counts or a.gone]
    for a in kept:
        seen = sorted({*a.counts, *a.gone})
        for year in range(seen[0], max(seen[-1], today.year) + 1):
            if a.counts.get(year):
                a.cells[year] = "found"
            elif a.gone.get(year):
                a.cells[year] = "gone"
            elif year < seen[-1] or today > due_date(year, due):
                a.cells[year] = "missing"
            else:
                a.cells[year] = "not_due"
    years = sorted({y for a in kept for y in a.cells})
    years = list(range(years[0], years[-1] + 1)) if years else []
    kept.sort(key=lambda a: (a.site or "", a.key))
    total, unassigned = db.execute("SELECT COUNT(*), SUM(agency_id IS NULL OR report_year IS NULL) "
                                   "FROM reports").fetchone()
    return Coverage(kept, years, due, today, candidates(a.key for a in kept), unassigned or 0, total)


def summary(cov: Coverage) -> list[str]:
    portals = {a.site for a in cov.agencies}
    span = f", years {cov.years[0]}–{cov.years[-1]}" if cov.years else ""
    lines = [f"{cov.reports} reports, {len(cov.agencies)} agencies on {len(portals)} portals{span} "
             f"(a year is due by {cov.due} of the next; as of {cov.today.isoformat()})",
             f"{'year':<6}" + "".join(f"{s:>9}" for s in STATES)]
    for year, counts in cov.per_year().items():
        lines.append(f"{year:<6}" + "".join(f"{counts[s]:>9}" for s in STATES))
    totals = cov.totals()
    lines.append(f"{'all':<6}" + "".join(f"{totals[s]:>9}" for s in STATES))
    if cov.unassigned:
        lines.append(f"{cov.unassigned} reports without a publisher or a year are in no agency's row")
    for a, b in cov.unsure:
        lines.append(f"unsure, not merged: {a}  ~  {b}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.coverage", description=__doc__.split("\n")[0])
    parser.add_argument("archive_dir", type=Path)
    parser.add_argument("--html", type=Path, default=None, help="write the agencies × years page here")
    parser.add_argument("--due", default=project_settings.XXGK_COVERAGE_DUE,
                        help="month-day of the next year a report is due by (default: XXGK_COVERAGE_DUE, "
                             f"{project_settings.XXGK_COVERAGE_DUE})")
    parser.add_argument("--today", default=None, help="count as of this date (YYYY-MM-DD; default: today)")
    args = parser.parse_args(argv)
    path = args.archive_dir / "reports.db"
    problem = due_problem(args.due)
    if not path.is_file():
        problem = f"{args.archive_dir} holds no reports.db (give the ARCHIVE_DIR of a crawl)"
    problem = problem or check_database(path)
    try:
        today = datetime.date.fromisoformat(args.today) if args.today else datetime.date.today()
    except ValueError:
        problem = problem or f"--today must be a date like 2026-06-30, not {args.today!r}"
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    db = open_database(path)   # applies the agencies migration to an older archive
    try:
        cov = compute(db, args.due, today)
    finally:
        db.close()
    print("\n".join(summary(cov)))
    if args.html:
        from crawler.coveragepage import render

        try:
            args.html.write_text(render(cov), encoding="utf-8")
        except OSError as exc:
            print(f"error: {args.html}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"wrote {args.html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
