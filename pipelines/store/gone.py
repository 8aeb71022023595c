"""Gone and returned reports, decided once at the end of a run (issue 19).

A report is *gone* when this run shows it is no longer there: its URL answered 404 or 410 (``http_404``,
``http_410``), or its portal's report column was walked completely and no longer links it (``unlisted``).
It is never deleted: the row, its versions and its WARC records stay; ``reports.gone_at`` names the first
run that missed it (a run id), ``gone_reason`` why. A gone report that shows again (listed, or fetched with
an answer) *returns*: ``gone_at`` and ``gone_reason`` are cleared, ``returned_at`` keeps the run id.
``report_events`` keeps each gone/returned with its run, so every run's report can be told afterwards.

A walk proves absence only when it was complete, so ``unlisted`` is concluded only for a portal whose walk
had no gap (a list, section or endpoint page that failed, a render error, a cut by XXGK_MAX_LIST_PAGES or
XXGK_MAX_PAGES_PER_PORTAL: the spider names them), in a run that finished by itself, was not resumed (the
list pages an earlier process walked are not walked again), was not a window run (old list pages are
not walked there) and was not one worker of a cluster run (each walks only its share of the lists). A 404/410 is the server's own word and counts in any run.

A portal whose every report (at least ``PROBLEM_MIN``) would go at once is a portal problem (a redesign, a
block, a moved column), not so many deletions: it is flagged in ``run_portals.problem`` and nothing of it
is marked gone.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlite_utils import Database

from pipelines.discovery import canonicalize_url
from pipelines.record import utc_now

PROBLEM_MIN = 3   # a portal with fewer reports than this losing them all is read as deletions
GONE_KINDS = ("http_404", "http_410")


@dataclass
class PortalWalk:
    "What the spider saw of one portal in this run."
    name: str
    hosts: list[str]
    listed: dict[str, str | None] = field(default_factory=dict)   # report URL → column it was listed in
    gaps: list[str] = field(default_factory=list)                 # why the walk was incomplete


@dataclass
class RunWalk:
    run_id: str
    portals: list[PortalWalk]
    finish_reason: str | None = "finished"
    mode: str | None = "normal"
    resumed: bool = False
    cluster: bool = False   # one worker of several (XXGK_FRONTIER): it walked only its share of the lists


def run_gaps(run: RunWalk) -> list[str]:
    "Why no walk of this run can prove a report absent (empty: it can)."
    gaps = []
    if run.finish_reason != "finished":
        gaps.append(f"run:{run.finish_reason}")
    if run.mode == "window":
        gaps.append("run:window")
    if run.resumed:
        gaps.append("run:resumed")
    if run.cluster:
        gaps.append("run:cluster")
    return gaps


def decide(db: Database, run: RunWalk) -> list[dict]:
    """Record the run's listings, mark gone and returned reports, and write one ``run_portals`` row per
    portal (returned, as dicts). One transaction: a run's verdict is all or nothing."""
    now, common = utc_now(), run_gaps(run)
    # once per run, not per portal: a national run has thousands of portals
    refused = {url: kind for url, kind in _refused(db, run.run_id) if not _seen(db, run.run_id, url)}
    verdicts = []
    with db.atomic():
        for portal in run.portals:
            db["listings"].insert_all(({"run_id": run.run_id, "portal": portal.name, "url": url, "column": column}
                                       for url, column in portal.listed.items()), replace=True)
            verdicts.append(_portal(db, run, portal, common + portal.gaps, now, refused))
        db["run_portals"].insert_all(verdicts, replace=True)
    return verdicts


def _portal(db: Database, run: RunWalk, portal: PortalWalk, gaps: list[str], now: str,
            refused: dict[str, str]) -> dict:
    "``refused``: the URLs that answered 404/410 in this run and nothing else."
    marks = ", ".join("?" for _ in portal.hosts) or "NULL"
    known = {url: (gone_at, reason) for url, gone_at, reason in db.execute(
        f"SELECT url, gone_at, gone_reason FROM reports WHERE site IN ({marks})", portal.hosts)}
    missing = {url: kind for url, kind in refused.items() if url in known}
    # present: listed, or answered all the same (reached by another way: a redirect, a year link)
    present = {url for url in known if url not in missing
               and (url in portal.listed or _seen(db, run.run_id, url))}
    if not gaps:
        missing.update({url: "unlisted" for url in known if url not in present and url not in missing})
    alive = {url for url, (gone_at, _) in known.items() if gone_at is None}
    newly = {url: why for url, why in missing.items() if url in alive}
    # a report that went for a 404 was still listed then: only an answer brings it back (a window run
    # lists it without fetching it)
    returned = [url for url, (gone_at, reason) in known.items() if gone_at is not None and url in present
                and (reason == "unlisted" or _seen(db, run.run_id, url))]
    problem = None
    if len(alive) >= PROBLEM_MIN and set(newly) == alive:
        reasons = sorted(set(newly.values()))
        problem = (f"all {len(alive)} reports gone at once ({', '.join(reasons)}): a redesign, a block or a "
                   "moved column, not deletions; none marked gone")
        newly = {}
    for url, why in sorted(newly.items()):
        db.execute("UPDATE reports SET gone_at = ?, gone_reason = ? WHERE url = ?", [run.run_id, why, url])
        db["report_events"].insert({"run_id": run.run_id, "url": url, "event": "gone", "reason": why, "at": now})
    for url in sorted(returned):
        db.execute("UPDATE reports SET gone_at = NULL, gone_reason = NULL, returned_at = ? WHERE url = ?",
                   [run.run_id, url])
        db["report_events"].insert({"run_id": run.run_id, "url": url, "event": "returned",
                                    "reason": known[url][1], "at": now})
    return {"run_id": run.run_id, "portal": portal.name, "hosts": json.dumps(portal.hosts), "reports": len(known),
            "listed": len(portal.listed), "walk": "; ".join(gaps) if gaps else "complete",
            "gone": len(newly), "returned": len(returned), "problem": problem}


def _refused(db: Database, run_id: str):
    """(url, 'http_404'|'http_410') of this run: the errors rows name the link followed, the capture index the
    URL that answered (a link that redirects to a report that 404s: the report's own URL is the capture's)."""
    kinds = ", ".join("?" for _ in GONE_KINDS)
    yield from db.execute(f"SELECT url, kind FROM errors WHERE run_id = ? AND stage = 'fetch' AND kind IN ({kinds})",
                          [run_id, *GONE_KINDS])
    for url, status in db.execute("SELECT url, status FROM captures WHERE run_id = ? AND status IN (404, 410) "
                                  "AND role IN ('report', 'report_page')", [run_id]):
        yield canonicalize_url(url), f"http_{status}"


def _seen(db: Database, run_id: str, url: str) -> bool:
    "The run stored or confirmed (a 304) a version of ``url`` (versions' key starts with url)."
    return db.execute("SELECT 1 FROM versions WHERE url = ? AND run_id = ? LIMIT 1", [url, run_id]).fetchone() is not None
