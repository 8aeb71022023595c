"""The archive's SQLite schema, as sqlite-utils migrations (applied when a store opens).

Column names are a public interface (contract.md, README "What gets stored"): add, never rename.
"""
from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("xxgk")

REPORT_COLUMNS = {
    "url": str, "site": str, "title": str,
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


def apply(db: Database) -> None:
    migrations.apply(db)
