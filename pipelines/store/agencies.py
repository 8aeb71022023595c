"""``agencies``: who wrote each report, one row per agency key (pipelines.agencies), ``reports.agency_id``.

Written in the report's transaction by Store.save_report (``assign``), and for an existing archive by the
migration that adds the table (``backfill``). An agency's display name, sites and 网站标识码 are those of
most of its reports, recounted when one of them is stored; an agency left without reports is deleted.
"""
from __future__ import annotations

import json
from collections import Counter

from sqlite_utils import Database

from pipelines.agencies import agency_key

TABLE = """CREATE TABLE IF NOT EXISTS agencies (
    agency_id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT, names TEXT, region TEXT,
    site TEXT, site_name TEXT, site_id_code TEXT, reports INTEGER)"""

# one row per (agency, year) from its first report's year to this year (or its latest, if later). The
# legal deadline of a year's report is 31 January of the next (政府信息公开条例 §49; a government's own,
# 31 March); python -m crawler.coverage applies the grace a user allows (XXGK_COVERAGE_DUE) on top, and
# the 'gone' state once reports.gone_at exists
VIEW = """CREATE VIEW IF NOT EXISTS coverage AS
WITH RECURSIVE span AS (
    SELECT agency_id, MIN(report_year) AS first_year, MAX(report_year) AS latest_year
    FROM reports WHERE agency_id IS NOT NULL AND report_year IS NOT NULL GROUP BY agency_id
), years(agency_id, report_year, first_year, latest_year) AS (
    SELECT agency_id, first_year, first_year, latest_year FROM span
    UNION ALL
    SELECT agency_id, report_year + 1, first_year, latest_year FROM years
    WHERE report_year < MAX(latest_year, CAST(strftime('%Y', 'now') AS INTEGER))
), counted AS (
    SELECT y.*, (SELECT COUNT(*) FROM reports r WHERE r.agency_id = y.agency_id
                 AND r.report_year = y.report_year) AS reports,
           printf('%04d-01-31', y.report_year + 1) AS due
    FROM years y
)
SELECT c.agency_id, a.key, a.name, a.site, c.report_year, c.first_year, c.latest_year, c.reports, c.due,
    CASE WHEN c.reports > 0 THEN 'found'
         WHEN c.report_year < c.latest_year THEN 'missing'
         WHEN date('now') > c.due THEN 'missing'
         ELSE 'not_due' END AS status
FROM counted c JOIN agencies a USING (agency_id)"""


def create(db: Database) -> None:
    db.execute(TABLE)
    if "agency_id" not in db["reports"].columns_dict:
        db["reports"].add_column("agency_id", int)
    db.execute("CREATE INDEX IF NOT EXISTS idx_reports_agency_id ON reports (agency_id, report_year)")
    db.execute(VIEW)


def region(db: Database, row: dict) -> str | None:
    "The portal's region: its SiteName, else one a report of the same site showed, else its host."
    if row.get("site_name"):
        return row["site_name"]
    found = db.execute("SELECT site_name FROM reports WHERE site = ? AND site_name IS NOT NULL LIMIT 1",
                       [row.get("site")]).fetchone()
    return found[0] if found else row.get("site")


def assign(db: Database, row: dict, settle: bool = True) -> int | None:
    "Set the stored report's agency_id from its publisher (in the caller's transaction); returns it."
    url = row["url"]
    old = db.execute("SELECT agency_id FROM reports WHERE url = ?", [url]).fetchone()
    old_id = old[0] if old else None
    key = agency_key(row.get("publisher"), region(db, row))
    new_id = None
    if key is not None:
        db.execute("INSERT INTO agencies (key, region) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
                   [key, region(db, row)])
        new_id = db.execute("SELECT agency_id FROM agencies WHERE key = ?", [key]).fetchone()[0]
    if new_id != old_id:
        db.execute("UPDATE reports SET agency_id = ? WHERE url = ?", [new_id, url])
    for agency_id in {old_id, new_id} - {None}:
        refresh(db, agency_id)
    if settle and row.get("site_name"):
        _settle_site(db, row)
    return new_id


def _settle_site(db: Database, row: dict) -> None:
    # reports of this site stored before any of its pages showed a SiteName were keyed under the host;
    # now that the site's region is known, they join their agencies
    stale = [agency_id for (agency_id,) in db.execute(
        "SELECT agency_id FROM agencies WHERE site = ? AND region = ?", [row.get("site"), row.get("site")])]
    for agency_id in stale:
        for (url, publisher) in db.execute("SELECT url, publisher FROM reports WHERE agency_id = ?",
                                           [agency_id]).fetchall():
            assign(db, {"url": url, "publisher": publisher, "site": row.get("site"), "site_name": row["site_name"]},
                   settle=False)


def _most(counter: Counter) -> str | None:
    # the most common; a tie goes to the longer (the full name over an abbreviation), then the first in order
    counter.pop(None, None)
    return max(counter, key=lambda v: (counter[v], len(v), [-ord(c) for c in v])) if counter else None


def refresh(db: Database, agency_id: int) -> None:
    rows = db.execute("SELECT publisher, site, site_name, site_id_code FROM reports WHERE agency_id = ?",
                      [agency_id]).fetchall()
    if not rows:
        db.execute("DELETE FROM agencies WHERE agency_id = ?", [agency_id])
        return
    names = Counter(r[0] for r in rows)
    db.execute("UPDATE agencies SET name = ?, names = ?, site = ?, site_name = ?, site_id_code = ?, reports = ? "
               "WHERE agency_id = ?",
               [_most(Counter(names)), json.dumps(dict(sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))),
                                                  ensure_ascii=False),
                _most(Counter(r[1] for r in rows)), _most(Counter(r[2] for r in rows)),
                _most(Counter(r[3] for r in rows)), len(rows), agency_id])


def assign_urls(db: Database, select_urls: str) -> None:
    "The agency of each report whose url the query selects (rows copied in by python -m crawler.merge)."
    for (url,) in db.execute(select_urls).fetchall():
        found = db.execute("SELECT url, publisher, site, site_name FROM reports WHERE url = ?", [url]).fetchone()
        if found:
            assign(db, dict(zip(("url", "publisher", "site", "site_name"), found)))


def backfill(db: Database) -> int:
    "Every stored report's agency (an archive from before the agencies table); returns how many have one."
    rows = db.execute("SELECT url, publisher, site, site_name FROM reports").fetchall()
    for url, publisher, site, site_name in rows:
        assign(db, {"url": url, "publisher": publisher, "site": site, "site_name": site_name})
    return db.execute("SELECT COUNT(*) FROM reports WHERE agency_id IS NOT NULL").fetchone()[0]
