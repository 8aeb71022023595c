"""Merge the archives of a cluster run's workers into one archive.

    python -m crawler.merge OUT_DIR WORKER_DIR [WORKER_DIR ...]

Each worker of a run crawled from several machines (``crawler.cluster``) keeps its own ARCHIVE_DIR:
WARC files named after the run and the worker, and a reports.db of what it stored (a *shard*). This
writes OUT_DIR as if one process had crawled alone: ``warc/`` holds every worker's files (hard links
where the file system allows, else copies), ``reports.db`` the same ``reports``, ``versions``,
``captures``, ``errors`` and search index, and one ``runs`` row per cluster run, with each worker
process's stats in ``run_workers``. A report two workers both stored (one was killed before its
lease was acknowledged) is one row; its latest capture wins, its versions are one per text.

Merging again, after the next run or with the same shards twice, adds only what is new: OUT_DIR can
be the long-lived archive, and ``python -m crawler.reprocess OUT_DIR`` rebuilds it from the union
of the workers' WARC files.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from sqlite_utils import Database

from pipelines.discovery import canonicalize_url
from pipelines.store import Store, agencies

# each column of a version row as the merge decides it: the earliest sighting keeps its capture
_VERSION_UPDATE = """
    warc_file = CASE WHEN excluded.first_seen < versions.first_seen THEN excluded.warc_file ELSE versions.warc_file END,
    warc_offset = CASE WHEN excluded.first_seen < versions.first_seen THEN excluded.warc_offset ELSE versions.warc_offset END,
    run_id = CASE WHEN excluded.last_seen > versions.last_seen THEN excluded.run_id ELSE versions.run_id END,
    first_seen = min(versions.first_seen, excluded.first_seen),
    last_seen = max(versions.last_seen, excluded.last_seen)"""

# a file's version: the earliest sighting keeps its capture, the latest its run
_ATTACHMENT_UPDATE = _VERSION_UPDATE.replace("versions.", "attachments.")


class MergeError(Exception):
    "A user mistake: one line on stderr, exit code 2."


def columns(db: Database, table: str, schema: str = "main") -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA {schema}.table_info({table})")]


def same_start(a: Path, b: Path, size: int = 1 << 16) -> bool:
    "Whether two WARC files begin alike (their warcinfo record has the file's own record id and date)."
    with open(a, "rb") as fa, open(b, "rb") as fb:
        head_a, head_b = fa.read(size), fb.read(size)
    n = min(len(head_a), len(head_b))
    return head_a[:n] == head_b[:n]


def link_warcs(shard: Path, out: Path) -> int:
    "Every WARC file of the shard into OUT/warc; a file that grew since the last merge is taken again."
    (out / "warc").mkdir(parents=True, exist_ok=True)
    n = 0
    for src in sorted((shard / "warc").glob("*.warc.gz")):
        dest = out / "warc" / src.name
        if dest.exists():
            if os.path.samefile(src, dest):
                continue
            if not same_start(src, dest) or dest.stat().st_size > src.stat().st_size:
                raise MergeError(f"two different WARC files named {src.name} (two workers with one XXGK_WORKER_ID?)")
            if dest.stat().st_size == src.stat().st_size:
                continue
        tmp = dest.with_name(dest.name + ".merging")
        tmp.unlink(missing_ok=True)
        try:
            os.link(src, tmp)
        except OSError:   # another file system
            shutil.copy2(src, tmp)
        os.replace(tmp, dest)
        n += 1
    return n


def merge_shard(db: Database, shard: Path) -> dict[str, str | None]:
    """One shard's rows into the open OUT database, in one transaction (a merge killed midway is
    redone). Returns its runs' spider arguments by run id."""
    db.execute("ATTACH DATABASE ? AS shard", [str(shard / "reports.db")])
    try:
        with db.conn:
            # a shard's agency_id numbers its own agencies table: the merged archive assigns its own below
            shared = {t: [c for c in columns(db, t) if c in columns(db, t, "shard") and c != "agency_id"]
                      for t in ("reports", "versions", "captures", "errors", "runs", "run_workers", "report_stats",
                                "stats_checks", "attachments")}

            def cols(table: str, drop: tuple = ()) -> str:
                return ", ".join(f'"{c}"' for c in shared[table] if c not in drop)

            # a pointer page's own text in the shard is no version where the archive holds its file's text
            # (settle_reports drops it on the merge that brings the file; this keeps it out on the next)
            db.execute(f"INSERT INTO versions ({cols('versions')}) SELECT {cols('versions')} FROM shard.versions v "
                       "WHERE NOT (v.first_seen = v.last_seen AND EXISTS (SELECT 1 FROM shard.reports s "
                       "JOIN main.reports m ON m.url = s.url WHERE s.url = v.url AND s.sha256 = v.sha256 "
                       "AND s.text_source IS NOT 'attachment' AND m.text_source = 'attachment')) "
                       f"ON CONFLICT (url, sha256) DO UPDATE SET {_VERSION_UPDATE}")
            # a report's figures come with the row that wins: the shard's where its capture is the later
            db.execute("CREATE TEMP TABLE IF NOT EXISTS taken (url TEXT PRIMARY KEY)")
            db.execute("DELETE FROM taken")
            db.execute("INSERT INTO taken SELECT s.url FROM shard.reports s LEFT JOIN main.reports m ON m.url = s.url "
                       "WHERE m.url IS NULL OR s.fetched_at > m.fetched_at")
            for table in ("report_stats", "stats_checks") if shared["report_stats"] else ():
                db.execute(f"DELETE FROM main.{table} WHERE url IN (SELECT url FROM taken)")
                db.execute(f"INSERT INTO main.{table} ({cols(table)}) SELECT {cols(table)} FROM shard.{table} "
                           "WHERE url IN (SELECT url FROM taken)")
            if shared["attachments"]:   # a shard written before attachments were read has none
                db.execute(f"INSERT INTO attachments ({cols('attachments')}) SELECT {cols('attachments')} FROM "
                           f"shard.attachments WHERE true ON CONFLICT (url, sha256) DO UPDATE SET {_ATTACHMENT_UPDATE}")
            sets = ", ".join(f'"{c}" = excluded."{c}"' for c in shared["reports"] if c != "url")
            db.execute(f"INSERT INTO reports ({cols('reports')}) SELECT {cols('reports')} FROM shard.reports "
                       f"WHERE true ON CONFLICT (url) DO UPDATE SET {sets} "
                       f"WHERE excluded.fetched_at > reports.fetched_at")
            agencies.assign_urls(db, "SELECT url FROM taken")
            db.execute(f"INSERT INTO captures ({cols('captures', ('id',))}) SELECT {cols('captures', ('id',))} "
                       "FROM shard.captures c WHERE NOT EXISTS (SELECT 1 FROM main.captures o "
                       "WHERE o.record_id = c.record_id) ORDER BY c.id")
            # a page that failed for two workers (one killed, one after it) failed once
            db.execute(f"INSERT INTO errors ({cols('errors', ('id',))}) SELECT {cols('errors', ('id',))} "
                       "FROM shard.errors e WHERE NOT EXISTS (SELECT 1 FROM main.errors o WHERE o.url = e.url "
                       "AND o.run_id IS e.run_id AND o.stage IS e.stage AND o.kind IS e.kind "
                       "AND o.message IS e.message) ORDER BY e.id")
            sets = ", ".join(f'"{c}" = excluded."{c}"' for c in shared["run_workers"] if c not in ("run_id", "worker"))
            db.execute(f"INSERT INTO run_workers ({cols('run_workers')}) SELECT {cols('run_workers')} "
                       f"FROM shard.run_workers WHERE true ON CONFLICT (run_id, worker) DO UPDATE SET {sets} "
                       "WHERE excluded.updated_at >= run_workers.updated_at")
            # a run of this archive alone is copied; a cluster run's row is made from its workers' below
            sets = ", ".join(f'"{c}" = excluded."{c}"' for c in shared["runs"] if c != "run_id")
            db.execute(f"INSERT INTO runs ({cols('runs')}) SELECT {cols('runs')} FROM shard.runs r "
                       "WHERE NOT EXISTS (SELECT 1 FROM shard.run_workers w WHERE w.run_id = r.run_id) "
                       f"ON CONFLICT (run_id) DO UPDATE SET {sets} "
                       "WHERE runs.finished_at IS NULL AND excluded.finished_at IS NOT NULL")
            args = dict(db.execute("SELECT run_id, spider_args FROM shard.runs").fetchall())
    finally:
        db.execute("DETACH DATABASE shard")
    return args


def settle_reports(store: Store) -> None:
    """A pointer page stored by one worker takes the text of its file stored by another; then each
    report's ``versions`` and ``first_seen`` from the merged versions."""
    db = store.db
    for (url,) in db.execute("SELECT DISTINCT a.report_url FROM attachments a JOIN reports r ON r.url = a.report_url "
                             "WHERE a.text IS NOT NULL AND r.text_source IS NOT 'attachment'").fetchall():
        store.settle_pointer(url)
    with db.conn:
        db.execute("""UPDATE reports SET versions = v.n, first_seen = v.first
            FROM (SELECT url, count(*) n, min(first_seen) first FROM versions GROUP BY url) v
            WHERE reports.url = v.url AND (reports.versions IS NOT v.n OR reports.first_seen IS NOT v.first)""")


def cluster_run(db: Database, run_id: str, spider_args: str | None) -> dict:
    """The one ``runs`` row of a cluster run, from its worker sessions and the merged archive.
    Work done (pages fetched, 304s, revisits) is summed over the workers; what is new (reports,
    versions) and the reports seen are counted in the merged archive, each report once."""
    sessions = list(db.query("SELECT * FROM run_workers WHERE run_id = ? ORDER BY started_at", [run_id]))
    started = min(s["started_at"] for s in sessions)
    finished = max(s["finished_at"] or s["updated_at"] for s in sessions)
    last = max(sessions, key=lambda s: s["finished_at"] or s["updated_at"])
    reason = "finished" if any(s["finish_reason"] == "finished" for s in sessions) else last["finish_reason"] or "killed"
    stats: dict = {}
    for s in sessions:
        for key, value in json.loads(s["stats"] or "{}").items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                stats[key] = stats.get(key, 0) + value
            else:
                stats.setdefault(key, value)
    if reason == "finished":   # the run is over: a session that never closed was killed
        db.execute("UPDATE run_workers SET finish_reason = 'killed', finished_at = updated_at "
                   "WHERE run_id = ? AND finished_at IS NULL", [run_id])
    in_run = "first_seen >= ? AND first_seen <= ?"
    new_reports = db.execute(f"SELECT count(*) FROM reports WHERE {in_run}", [started, finished]).fetchone()[0]
    new_texts = db.execute(f"SELECT count(*) FROM versions WHERE {in_run}", [started, finished]).fetchone()[0]
    stored = {r[0] for r in db.execute("SELECT url FROM reports")}
    seen = {canonicalize_url(u) for (u,) in db.execute(
        "SELECT DISTINCT url FROM captures WHERE run_id = ? AND role = 'report' AND status IN (200, 304)", [run_id])}
    kinds = {f"{stage}:{kind}": n for stage, kind, n in db.execute(
        "SELECT stage, kind, count(*) n FROM errors WHERE run_id = ? GROUP BY stage, kind ORDER BY n DESC", [run_id])}
    return {"run_id": run_id, "started_at": started, "finished_at": finished, "finish_reason": reason,
            "spider_args": spider_args, "pages_fetched": sum(s["pages_fetched"] or 0 for s in sessions),
            "reports_seen": len(seen & stored), "new_reports": new_reports, "new_versions": new_texts - new_reports,
            "errors": db.execute("SELECT count(*) FROM errors WHERE run_id = ?", [run_id]).fetchone()[0],
            "not_modified": sum(s["not_modified"] or 0 for s in sessions),
            "revisits": sum(s["revisits"] or 0 for s in sessions),
            "errors_by_kind": json.dumps(kinds, ensure_ascii=False) if kinds else None,
            "mode": stats.get("xxgk/mode"), "resumed": int(bool(stats.get("xxgk/state/resumed"))),
            "stats": json.dumps(stats, ensure_ascii=False, default=str)}


def merge(out_dir: Path, shards: list[Path]) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    store = Store(out_dir / "reports.db")   # the schema and the search index, as a crawl's
    db = store.db
    # what is new is counted once every shard is in and settled: a pointer page's own text that one
    # shard brings and the file of another removes is no new version
    counted = ("reports", "versions", "captures", "errors")
    before = {t: db[t].count for t in counted}
    totals = {"warc_files": 0}
    args: dict[str, str] = {}
    try:
        for shard in shards:
            totals["warc_files"] += link_warcs(shard, out_dir)
            args.update({k: v for k, v in merge_shard(db, shard).items() if v is not None})
        settle_reports(store)
        totals.update({t: db[t].count - before[t] for t in counted})
        runs = [r for (r,) in db.execute("SELECT DISTINCT run_id FROM run_workers")]
        with db.conn:
            for run_id in runs:
                db["runs"].upsert(cluster_run(db, run_id, args.get(run_id)), pk="run_id")
        totals["cluster_runs"] = len(runs)
    finally:
        store.close()   # the search index of every new or changed report
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.merge", description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path, help="the merged archive (created, or added to)")
    parser.add_argument("shards", type=Path, nargs="+", help="the workers' ARCHIVE_DIRs")
    args = parser.parse_args(argv)
    try:
        for shard in args.shards:
            if not (shard / "reports.db").is_file():
                raise MergeError(f"{shard} holds no reports.db: not a worker's ARCHIVE_DIR")
            if shard.resolve() == args.out_dir.resolve():
                raise MergeError(f"{shard} is OUT_DIR itself")
        began = time.perf_counter()
        totals = merge(args.out_dir, args.shards)
    except MergeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {args.out_dir}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"merged {len(args.shards)} archives into {args.out_dir} in {time.perf_counter() - began:.1f} s: "
          f"{totals['reports']} new reports, {totals['versions']} new versions, {totals['captures']} captures, "
          f"{totals['errors']} errors, {totals['warc_files']} WARC files, {totals['cluster_runs']} cluster runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
