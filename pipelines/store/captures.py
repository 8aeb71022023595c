"""The capture index (``captures`` in reports.db): one row per WARC response or revisit record."""
from __future__ import annotations

from sqlite_utils import Database

from pipelines.record import header
from pipelines.store import schema
from pipelines.warc import SERVER_NOT_MODIFIED, Original

_CAPTURE_FIELDS = [c for c in schema.CAPTURE_COLUMNS if c != "id"]
_INSERT_CAPTURE = "INSERT INTO captures ({}) VALUES ({})".format(
    ", ".join(f'"{c}"' for c in _CAPTURE_FIELDS), ", ".join("?" for _ in _CAPTURE_FIELDS))


def capture_row(*, url: str, date: str, record_id: str, rec_type: str, status: int,
                headers: list[tuple[str, str]], warc_file: str, warc_offset: int, role: str | None,
                run_id: str | None, length: int, digest: str | None = None,
                original: dict | None = None, refers_to: Original | None = None, profile: str | None = None) -> dict:
    """The ``captures`` row of one record. A response holds its payload (``digest``); a revisit
    (``refers_to`` the record it names, ``profile``) points where ``original``, that record's own
    row, holds it. The crawl and the rebuild from WARC both build their rows here."""
    row = {"url": url, "date": date, "record_id": record_id, "type": rec_type, "status": status,
           "warc_file": warc_file, "warc_offset": warc_offset, "role": role, "run_id": run_id, "length": length,
           "etag": header(headers, "ETag"), "last_modified": header(headers, "Last-Modified")}
    if original is None:
        row.update(digest=digest, payload_file=warc_file, payload_offset=warc_offset)
        return row
    row.update(profile=profile, digest=original["digest"], refers_to=refers_to.record_id,
               refers_to_uri=refers_to.uri, refers_to_date=refers_to.date,
               payload_file=original["payload_file"], payload_offset=original["payload_offset"])
    if profile == SERVER_NOT_MODIFIED:
        # a 304 need not repeat the validators: the ones it confirmed still hold
        row["etag"] = row["etag"] or original["etag"]
        row["last_modified"] = row["last_modified"] or original["last_modified"]
        row["length"] = 0   # a 304 carries no payload
    return row


def payload_record(row: dict) -> Original:
    "The response record that holds a capture's payload (itself, or the one a revisit refers to)."
    if row["type"] == "response":
        return Original(row["record_id"], row["url"], row["date"])
    return Original(row["refers_to"], row["refers_to_uri"], row["refers_to_date"])


class CaptureIndex:
    """Every WARC response and revisit record, one row each (``captures``), in reports.db.

    The crawl asks it two things: which record already holds a payload (by digest, for revisit
    records) and what the last capture of a URL said (ETag, Last-Modified, where its payload is).
    """

    def __init__(self, db: Database):
        self.db = db

    def add(self, row: dict) -> None:
        with self.db.atomic():
            self.db.execute(_INSERT_CAPTURE, [row.get(c) for c in _CAPTURE_FIELDS])

    def original(self, digest: str, url: str | None = None) -> dict | None:
        "The first 200 response record with this payload; the same URL's, when it has one."
        return next(self.db.query(
            "select * from captures where digest = ? and type = 'response' and status = 200 "
            "order by url is not ?, id limit 1", [digest, url]), None)

    def last_seen(self, url: str) -> str | None:
        "When ``url`` last answered with anything but an error (a redirect counts: it was followed)."
        row = self.db.execute("select max(date) from captures where url = ? and status < 400", [url]).fetchone()
        return row[0] if row else None

    def last_capture(self, url: str) -> dict | None:
        "The latest capture of ``url`` that a payload stands behind (a 200, or a 304 that confirmed one)."
        return next(self.db.query(
            "select * from captures where url = ? and status in (200, 304) and payload_file is not null "
            "order by id desc limit 1", [url]), None)
