"""Every run's report (issue 19): what a run found new, changed, gone and returned, per portal, against the
run before it; and the portals whose reports all went at once (a portal problem, pipelines.store.gone).

Read from reports.db alone, so it can be told for any run afterwards (``python -m crawler.runs``). A version
is the run's when ``versions.first_run`` names it; versions written before that column (or by a rebuild)
are the run's when first seen between its start and its end, as ``Store.committed_counts`` counts them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlite_utils import Database


@dataclass
class PortalReport:
    portal: str
    new: list[dict] = field(default_factory=list)        # url, title, report_year
    changed: list[dict] = field(default_factory=list)    # url, title, chars_added, chars_removed, stats_changed
    gone: list[dict] = field(default_factory=list)       # url, title, reason
    returned: list[dict] = field(default_factory=list)   # url, title, reason (why it had gone)
    walk: str | None = None
    problem: str | None = None


@dataclass
class RunReport:
    run: dict
    previous: dict | None
    portals: list[PortalReport]


class UnknownRun(LookupError):
    pass


def run_report(db: Database, run_id: str | None = None) -> RunReport:
    "The report of ``run_id`` (default: the latest run); UnknownRun when the archive has no such run."
    if run_id is None:
        run = next(db.query("SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1"), None)
    else:
        run = next(db.query("SELECT * FROM runs WHERE run_id = ?", [run_id]), None)
    if run is None:
        raise UnknownRun(run_id)
    previous = next(db.query("SELECT * FROM runs WHERE started_at < ? ORDER BY started_at DESC, rowid DESC LIMIT 1",
                             [run["started_at"]]), None)
    verdicts = list(db.query("SELECT * FROM run_portals WHERE run_id = ? ORDER BY portal", [run["run_id"]])) \
        if db["run_portals"].exists() else []
    by_host = {host: v["portal"] for v in verdicts for host in json.loads(v["hosts"] or "[]")}
    portals: dict[str, PortalReport] = {v["portal"]: PortalReport(v["portal"], walk=v["walk"], problem=v["problem"])
                                        for v in verdicts}

    def of(site: str | None) -> PortalReport:
        name = by_host.get(site or "", site or "?")
        return portals.setdefault(name, PortalReport(name))

    params = {"run": run["run_id"], "started": run["started_at"], "finished": run["finished_at"] or "9999"}
    has_first_run = "first_run" in db["versions"].columns_dict
    # two indexed lookups, not an OR that scans every text
    mine = ("v.rowid IN (SELECT rowid FROM versions WHERE first_run = :run UNION SELECT rowid FROM versions "
            "WHERE first_run IS NULL AND first_seen BETWEEN :started AND :finished)"
            if has_first_run else "v.first_seen BETWEEN :started AND :finished")
    extra = "v.chars_added, v.chars_removed, v.stats_changed" if has_first_run else \
        "NULL chars_added, NULL chars_removed, NULL stats_changed"
    for row in db.query(f"""SELECT v.url, r.site, r.title, r.report_year, {extra},
            EXISTS (SELECT 1 FROM versions o WHERE o.url = v.url AND o.first_seen < v.first_seen) later
            FROM versions v JOIN reports r ON r.url = v.url WHERE {mine} ORDER BY r.site, v.url""", params):
        target = of(row["site"])
        (target.changed if row.pop("later") else target.new).append(row)
    if db["report_events"].exists():
        for row in db.query("""SELECT e.event, e.reason, e.url, r.site, r.title FROM report_events e
                JOIN reports r ON r.url = e.url WHERE e.run_id = ? ORDER BY e.id""", [run["run_id"]]):
            target = of(row["site"])
            (target.gone if row.pop("event") == "gone" else target.returned).append(row)
    return RunReport(run, previous, sorted(portals.values(), key=lambda p: p.portal))
