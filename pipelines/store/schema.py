"""The archive's SQLite schema, as sqlite-utils migrations (applied when a store opens).

Column names are a public interface (contract.md, README "What gets stored"): add, never rename.
"""
from __future__ import annotations

from sqlite_utils import Database, Migrations

from pipelines.store import agencies, search

migrations = Migrations("xxgk")

REPORT_COLUMNS = {
    "url": str, "pages": str, "site": str, "title": str,
    "index_no": str, "publisher": str, "published": str, "written": str, "doc_no": str, "category": str,
    "report_year": int, "site_name": str, "site_id_code": str,
    "encoding": str, "encoding_declared": str, "encoding_source": str, "decode_errors": int, "mojibake": int,
    "script": str, "text": str, "text_hans": str, "tables": str, "attachments": str,
    "pinyin_annotations": int, "spam_found": int, "removed": str, "meta": str,
    "sha256": str, "fetched_at": str, "run_id": str, "final_url": str, "http_status": int,
    "warc_file": str, "warc_offset": int, "error": str,
    "first_seen": str, "versions": int,
}


@migrations()
def create_tables(db: Database) -> None:
    db["reports"].create(REPORT_COLUMNS, pk="url")
    db["versions"].create({
        "url": str, "sha256": str, "first_seen": str, "last_seen": str, "run_id": str,
        "warc_file": str, "warc_offset": int, "title": str, "text": str,
    }, pk=("url", "sha256"))
    db["runs"].create({
        "run_id": str, "started_at": str, "finished_at": str, "finish_reason": str, "spider_args": str,
        "pages_fetched": int, "reports_seen": int, "new_reports": int, "new_versions": int,
        "errors": int, "stats": str,
    }, pk="run_id")
    db["errors"].create({
        "id": int, "run_id": str, "url": str, "stage": str, "kind": str, "message": str, "at": str,
    }, pk="id")
    db["errors"].create_index(["url"])
    db["reports"].create_index(["site", "report_year"])


CAPTURE_COLUMNS = {
    "id": int, "url": str, "date": str, "record_id": str, "type": str, "profile": str, "status": int,
    "digest": str, "refers_to": str, "refers_to_uri": str, "refers_to_date": str,
    "warc_file": str, "warc_offset": int,
    "payload_file": str, "payload_offset": int, "etag": str, "last_modified": str,
    "role": str, "run_id": str, "length": int,
}


@migrations()
def archival_runs(db: Database) -> None:
    """``captures``: one row per WARC response/revisit record, a CDX kept in SQLite. It is the
    digest → (uri, date, record id) index revisits are keyed on, and the per-URL ETag /
    Last-Modified conditional GETs are built from; it survives across runs, as the WARCs do."""
    db["captures"].create(CAPTURE_COLUMNS, pk="id")
    db["captures"].create_index(["digest"])
    db["captures"].create_index(["url", "date"])
    for column, kind in (("not_modified", int), ("revisits", int), ("errors_by_kind", str),
                         ("mode", str), ("resumed", int)):
        db["runs"].add_column(column, kind)


# enable_fts runs executescript, which commits on its own: not inside the migration's transaction
@migrations(transactional=False)
def reports_fts(db: Database) -> None:
    """Full-text search on title and text. Chinese has no spaces, so the default unicode61
    tokenizer sees a whole run of Han characters as one token; trigram finds any substring of
    three characters or more (1–2 character terms need LIKE, see README)."""
    db["reports"].enable_fts(["title", "text"], tokenize="trigram", create_triggers=True, replace=True)


# Trigram-tokenizing a report inside its own transaction cost ~2.5 ms, three times what one
# INSERT … SELECT over a batch costs, and sqlite-utils' update trigger re-indexed every re-fetched
# report, changed or not. So the triggers only queue rowids; Store.index_pending writes the batch.
FTS_PENDING = "reports_fts_pending"
_UNLESS_PENDING = f"WHERE NOT EXISTS (SELECT 1 FROM {FTS_PENDING} WHERE rowid = old.rowid)"


@migrations()
def fts_batched(db: Database) -> None:
    """The FTS index is written in batches: the row triggers queue rowids in ``reports_fts_pending``.
    A queued row is not in the index yet, so deleting or changing it must not delete it there.
    (No INSERT OR IGNORE in the triggers: the upsert that fires them overrides its conflict clause.)"""
    for name in ("reports_ai", "reports_au", "reports_ad"):
        db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    db.execute(f"CREATE TABLE IF NOT EXISTS {FTS_PENDING} (rowid INTEGER PRIMARY KEY)")
    db.execute(f"""CREATE TRIGGER reports_fts_queue_insert AFTER INSERT ON reports BEGIN
        INSERT INTO {FTS_PENDING} (rowid) VALUES (new.rowid);
    END""")
    db.execute(f"""CREATE TRIGGER reports_fts_queue_update AFTER UPDATE OF title, text ON reports
    WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
        INSERT INTO reports_fts (reports_fts, rowid, title, text)
            SELECT 'delete', old.rowid, old.title, old.text {_UNLESS_PENDING};
        INSERT INTO {FTS_PENDING} (rowid) SELECT new.rowid {_UNLESS_PENDING};
    END""")
    db.execute(f"""CREATE TRIGGER reports_fts_queue_delete AFTER DELETE ON reports BEGIN
        INSERT INTO reports_fts (reports_fts, rowid, title, text)
            SELECT 'delete', old.rowid, old.title, old.text {_UNLESS_PENDING};
        DELETE FROM {FTS_PENDING} WHERE rowid = old.rowid;
    END""")


@migrations()
def paged_reports(db: Database) -> None:
    "``pages``: the page URLs of a report paged over several URLs (one row for the whole report)."
    if "pages" not in db["reports"].columns_dict:
        db["reports"].add_column("pages", str)


@migrations()
def search_both_scripts(db: Database) -> None:
    """Search that finds what a reader means (issue 18): the trigram index gains ``text_hans`` where it
    differs from ``text`` (a Simplified term finds Traditional reports), and ``reports_terms`` finds
    terms of one or two characters. Every report is queued and indexed here: an existing archive
    gets both indexes the first time a crawl, a rebuild or a Store opens it. See pipelines.store.search."""
    search.create(db)
    search.index_pending(db)


# the reading room's list of reports: every column but the long ones (Datasette, crawler/browse)
CATALOGUE_COLUMNS = ("title", "report_year", "publisher", "published", "site_name", "script", "versions", "site",
                     "url", "first_seen", "fetched_at", "error")


@migrations()
def reading_room(db: Database) -> None:
    """``catalogue``: the reports without text, text_hans, tables, removed and meta, one line each."""
    db.create_view("catalogue", "SELECT {} FROM reports".format(", ".join(CATALOGUE_COLUMNS)), replace=True)


@migrations()
def run_workers(db: Database) -> None:
    """``run_workers``: one row per worker process of a run crawled from several machines (crawler.cluster),
    its stats as the ``runs`` columns; ``python -m crawler.merge`` folds them into the run's ``runs`` row.
    The merge finds a capture it holds already by its record id."""
    db["run_workers"].create({
        "run_id": str, "worker": str, "host": str, "pid": int, "started_at": str, "updated_at": str,
        "finished_at": str, "finish_reason": str, "pages_fetched": int, "reports_seen": int,
        "not_modified": int, "revisits": int, "errors": int, "stats": str,
    }, pk=("run_id", "worker"))
    db["captures"].create_index(["record_id"])


def index_pending(db: Database) -> int:
    "Write the rows queued in ``reports_fts_pending`` into the search indexes; returns how many."
    return search.index_pending(db)


def apply(db: Database) -> None:
    migrations.apply(db)


@migrations()
def report_stats(db: Database) -> None:
    """``report_stats``: one row per number of the national report tables (pipelines.tables.stats);
    ``stats_checks``: the sums those tables must satisfy, per report. Rewritten with their report, in its
    transaction. ``value`` and the sums are NUMERIC: a count stays an integer, 4.03 (万元) a real. No index
    but the keys': one on (section, row_key, col_key) took storing a report's figures from 2.7 to 5.2 ms CPU
    (WITHOUT ROWID changed nothing); an analysis adds it once (README, Statistics)."""
    db.execute("""CREATE TABLE report_stats (
        url TEXT NOT NULL, report_year INTEGER, template TEXT, section TEXT NOT NULL, row_key TEXT NOT NULL,
        col_key TEXT NOT NULL, value NUMERIC, unit TEXT, raw TEXT, source TEXT,
        PRIMARY KEY (url, section, row_key, col_key))""")
    db.execute("""CREATE TABLE stats_checks (
        url TEXT NOT NULL, "check" TEXT NOT NULL, expected NUMERIC, found NUMERIC, ok INTEGER, detail TEXT,
        PRIMARY KEY (url, "check"))""")


ATTACHMENT_COLUMNS = {
    "url": str, "sha256": str, "report_url": str, "name": str, "type": str, "bytes": int, "pages": int,
    "text": str, "tables": str, "extractor": str, "ocr": int, "error": str,
    "warc_file": str, "warc_offset": int, "first_seen": str, "last_seen": str, "run_id": str,
}


# enable_fts commits on its own (see reports_fts); each step is safe to repeat if a run dies mid-way
@migrations(transactional=False)
def attachments(db: Database) -> None:
    """``attachments``: one row per file per version (``sha256`` of its bytes), the text and tables read
    from it; ``attachments_fts`` indexes name and text like reports_fts, so a search finds a report by
    words only its PDF holds. ``reports.text_source``: 'page', or 'attachment' when the page was only a
    pointer to its file and ``text`` is the file's. The triggers index a row when its text or name
    changes only: marking a version seen again must not re-tokenize a 100-page PDF."""
    db["attachments"].create(ATTACHMENT_COLUMNS, pk=("url", "sha256"), if_not_exists=True)
    db["attachments"].create_index(["report_url"], if_not_exists=True)
    if "text_source" not in db["reports"].columns_dict:
        db["reports"].add_column("text_source", str)
    if not db["attachments_fts"].exists():
        db["attachments"].enable_fts(["name", "text"], tokenize="trigram", create_triggers=False)
    db.executescript("""
    CREATE TRIGGER IF NOT EXISTS attachments_fts_insert AFTER INSERT ON attachments BEGIN
        INSERT INTO attachments_fts (rowid, name, text) VALUES (new.rowid, new.name, new.text);
    END;
    CREATE TRIGGER IF NOT EXISTS attachments_fts_update AFTER UPDATE OF name, text ON attachments
    WHEN old.name IS NOT new.name OR old.text IS NOT new.text BEGIN
        INSERT INTO attachments_fts (attachments_fts, rowid, name, text) VALUES ('delete', old.rowid, old.name, old.text);
        INSERT INTO attachments_fts (rowid, name, text) VALUES (new.rowid, new.name, new.text);
    END;
    CREATE TRIGGER IF NOT EXISTS attachments_fts_delete AFTER DELETE ON attachments BEGIN
        INSERT INTO attachments_fts (attachments_fts, rowid, name, text) VALUES ('delete', old.rowid, old.name, old.text);
    END;
    """)


@migrations()
def agencies_and_coverage(db: Database) -> None:
    """``agencies``: who wrote each report (the publisher reduced to one key, pipelines.agencies), its
    display name, the spellings seen, portal and 网站标识码; ``reports.agency_id`` points there.
    ``coverage``: per agency and year, found / missing / not_due (pipelines/store/agencies.py). An
    existing archive's reports get their agency here."""
    agencies.create(db)
    agencies.backfill(db)


@migrations()
def gone_and_edits(db: Database) -> None:
    """Issue 19. ``reports.gone_at`` / ``gone_reason`` / ``returned_at``: a report that vanished from its
    portal (run ids; see pipelines.store.gone); ``report_events`` keeps every gone/returned of every run.
    ``listings``: the report links each run's walk showed, per portal; ``run_portals``: each run's verdict
    per portal (walk complete or why not, gone, returned, a portal problem). ``versions``: the run that
    first stored a text, how much it changed against the previous text and whether the figures did."""
    for column in ("gone_at", "gone_reason", "returned_at"):
        if column not in db["reports"].columns_dict:
            db["reports"].add_column(column, str)
    for column, kind in (("first_run", str), ("chars_added", int), ("chars_removed", int),
                         ("stats_sha256", str), ("stats_changed", int)):
        if column not in db["versions"].columns_dict:
            db["versions"].add_column(column, kind)
    # a run's report asks which versions a run stored: without it, a scan of every text. (Not run_id, which
    # every re-fetch rewrites: an index there made storing an unchanged report ~40% dearer)
    db["versions"].create_index(["first_run"], if_not_exists=True)
    db["listings"].create({"run_id": str, "portal": str, "url": str, "column": str},
                          pk=("run_id", "url"), if_not_exists=True)
    db["run_portals"].create({"run_id": str, "portal": str, "hosts": str, "reports": int, "listed": int,
                              "walk": str, "gone": int, "returned": int, "problem": str},
                             pk=("run_id", "portal"), if_not_exists=True)
    db["report_events"].create({"id": int, "run_id": str, "url": str, "event": str, "reason": str, "at": str},
                               pk="id", if_not_exists=True)
    db["report_events"].create_index(["url"], if_not_exists=True)
    db["report_events"].create_index(["run_id"], if_not_exists=True)


@migrations()
def capture_lookups(db: Database) -> None:
    """The crawl's per-URL lookups in ``captures`` stay one index step however many runs a URL has seen
    (issue 21, bench/scale.py: with a year of nightly captures per URL they read every one of them, ~4x
    slower per 100 captures). ``last_capture`` (the newest capture of a URL behind a payload) walks
    ``(url, id)`` from its end; ``original`` (the response holding a payload) finds the responses of a
    digest among its revisits by ``(digest, type, status)``, which replaces the index on digest alone."""
    db["captures"].create_index(["url", "id"], index_name="idx_captures_url_id", if_not_exists=True)
    db["captures"].create_index(["digest", "type", "status"], index_name="idx_captures_digest_type",
                                if_not_exists=True)
    db.execute("DROP INDEX IF EXISTS idx_captures_digest")


@migrations()
def stats_without_rowid(db: Database) -> None:
    """``report_stats`` and ``stats_checks`` as WITHOUT ROWID tables: their primary key was a second copy of
    every row's keys (the table, then its autoindex), half the bytes of a report's figures. On the scale
    benchmark's archive (issue 21) reports.db takes 23% less, ~30 kB less per report; same columns, same keys."""
    for table in ("report_stats", "stats_checks"):
        create = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
        if "WITHOUT ROWID" in create.upper():
            continue
        db.execute(f"ALTER TABLE {table} RENAME TO {table}_with_rowid")
        db.execute(create.rstrip().rstrip(";") + " WITHOUT ROWID")
        db.execute(f"INSERT INTO {table} SELECT * FROM {table}_with_rowid")
        db.execute(f"DROP TABLE {table}_with_rowid")
