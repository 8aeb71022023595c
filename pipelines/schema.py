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


def apply(db: Database) -> None:
    migrations.apply(db)
