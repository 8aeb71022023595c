"""Attachment rows and the report text that comes from them.

A report page that is only a pointer to its file ("报告全文见附件", pipelines.attachments.is_pointer_page)
takes its ``text`` from its main attachment: the first file its ``attachments`` column lists that has
text, else the first such file stored for it. Page and file arrive in either order (and a file
answered 304 is not read again), so both ways lead here: saving the report looks for the file's text,
saving the file re-saves a pointer report with it.
"""
from __future__ import annotations

import hashlib
import json

from sqlite_utils import Database

from pipelines.attachments.pointer import is_pointer_page
from pipelines.record import utc_now
from pipelines.store import schema

_FIELDS = [c for c in schema.ATTACHMENT_COLUMNS]
_UPSERT = ("INSERT INTO attachments ({cols}) VALUES ({marks}) ON CONFLICT(url, sha256) DO UPDATE SET {sets}").format(
    cols=", ".join(f'"{c}"' for c in _FIELDS), marks=", ".join("?" for _ in _FIELDS),
    sets=", ".join(f'"{c}" = excluded."{c}"' for c in _FIELDS if c not in ("url", "sha256", "first_seen")))


def upsert(db: Database, row: dict) -> str:
    """One version of a file: 'new' (first time this URL), 'changed' (new bytes at a known URL) or
    'unchanged' (these bytes again: marked seen, and the text re-read by a rebuild replaces the old).
    A 304 answer (``http_status`` 304, no bytes) marks the latest version seen: 'not_modified'."""
    url, now = row["url"], row.get("fetched_at") or utc_now()
    if row.get("http_status") == 304:
        latest = db.execute("SELECT sha256 FROM attachments WHERE url = ? ORDER BY last_seen DESC LIMIT 1",
                            [url]).fetchone()
        if latest:
            db.execute("UPDATE attachments SET last_seen = ?, run_id = ? WHERE url = ? AND sha256 = ?",
                       [now, row.get("run_id"), url, latest[0]])
            return "not_modified"
    known = {r[0] for r in db.execute("SELECT sha256 FROM attachments WHERE url = ?", [url])}
    record = dict(row, first_seen=now, last_seen=now)
    db.execute(_UPSERT, [record.get(c) for c in _FIELDS])
    if not known:
        return "new"
    return "unchanged" if row.get("sha256") in known else "changed"


def main_attachment(db: Database, report_url: str, listed: str | None) -> dict | None:
    "The latest version of the report's main file with text (see the module's docstring), or None."
    rows = list(db.query("""SELECT url, type, text, tables FROM attachments a
        WHERE report_url = ? AND text IS NOT NULL
          AND last_seen = (SELECT max(last_seen) FROM attachments b WHERE b.url = a.url)
        ORDER BY first_seen""", [report_url]))
    if not rows:
        return None
    try:
        order = [item.get("url") for item in json.loads(listed or "[]")]
    except (ValueError, AttributeError):
        order = []
    return min(rows, key=lambda r: order.index(r["url"]) if r["url"] in order else len(order))


def with_attachment_text(db: Database, row: dict) -> dict:
    """The report row as it is to be stored: a pointer page with a file that has text gets the file's
    text (``text_source`` 'attachment'); any other page keeps its own ('page')."""
    if row.get("text_source") == "attachment" or not row.get("attachments"):
        return row if row.get("text_source") else dict(row, text_source="page" if row.get("text") else None)
    if not is_pointer_page(row.get("text"), row.get("title")):
        return dict(row, text_source="page" if row.get("text") else None)
    found = main_attachment(db, row["url"], row.get("attachments"))
    if found is None:
        return dict(row, text_source="page" if row.get("text") else None)
    from pipelines.script import to_simplified
    from pipelines.tables import Table
    from pipelines.tables.stats import parse_stats

    text = _without_title(found["text"], row.get("title"))
    text_hans = to_simplified(text)
    tables = row.get("tables") or found["tables"]
    # the report's figures are the file's: its tables (or its table lines) read as a page's would be
    stats = parse_stats([Table.from_json(t) for t in json.loads(tables or "[]")], text_hans, row.get("report_year"))
    return dict(row, text=text, text_hans=text_hans, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                tables=tables, text_source="attachment", stats=stats.to_json())


def _without_title(text: str, title: str | None) -> str:
    "A file opens with the report's title: the contract's ``text`` is without it, as on a page."
    first, _, rest = text.partition("\n")
    squash = "".join
    return rest if title and rest and squash(first.split()) == squash(title.split()) else text


def pointer_report(db: Database, report_url: str | None) -> dict | None:
    "The stored report row of ``report_url`` when it is a pointer page still showing its own text."
    if not report_url:
        return None
    rows = list(db.query("SELECT * FROM reports WHERE url = ?", [report_url]))
    if not rows or rows[0].get("text_source") == "attachment":
        return None
    row = rows[0]
    return row if row.get("attachments") and is_pointer_page(row.get("text"), row.get("title")) else None
