"""Rebuild ``reports.db`` from the WARC files alone, without touching the network.

    python -m crawler.reprocess ARCHIVE_DIR [--db OUT.db] [--workers N]

The stages run in N extraction processes (default: one per core; pipelines.workers); this process reads
the WARC files and is the one writer, storing pages in WARC order, so any N writes the same rows.

Re-runs decode → metadata → clean → classify over every captured report page, oldest first, so an
improved cleaner upgrades the whole archive and every version is found again. Revisit records
(an unchanged payload, or a 304) are read through to the record holding the bytes. The capture
index is rebuilt too. The default output is ARCHIVE_DIR/reports.rebuilt.db.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import gzip
import logging
import os
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from warcio.archiveiterator import ArchiveIterator

from pipelines.discovery import canonicalize_url
from pipelines import extract
from pipelines.pages import join_pages
from pipelines.record import Capture, Page, header
from pipelines.store import CaptureIndex, Store, capture_row
from pipelines.warc import SERVER_NOT_MODIFIED, Original, freshen, read_response
from pipelines.workers import ExtractPool

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)
# xxgk-RUN-00001.warc.gz, or xxgk-RUN~WORKER-00001.warc.gz from a worker of a cluster run
RUN_OF_FILE = re.compile(r"^xxgk-(?P<run>[^~]+?)(?:~[^~]+)?-\d{5}\.warc\.gz$")


@dataclass
class Held:
    "A response record, as later revisits of its payload need it."

    file: str
    offset: int
    digest: str | None
    headers: list[tuple[str, str]]
    length: int     # payload bytes as received


def records(warc_dir: Path, counts: dict[str, int] | None = None) -> Iterator[tuple[Path, int, object, bytes | None]]:
    """(file, offset, record, body) for every response and revisit record, oldest file first;
    the body (Content-Encoding undone, as the stages saw it) of a response, None for a revisit.

    A file a killed run left cut short ends at its last whole record. A file that is no WARC at
    all (a stray download, notes, an empty file) is skipped with one line: the rest is rebuilt."""
    for path in sorted(warc_dir.glob("*.warc.gz")):
        problem = not_warc(path)
        if problem:
            logger.warning("%s: skipped, not a WARC file (%s)", path, problem)
            if counts is not None:
                counts["skipped_files"] = counts.get("skipped_files", 0) + 1
            continue
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh)
            offset = 0
            try:
                for record in iterator:
                    if record.rec_type not in ("response", "revisit") or not record.format.startswith("warc"):
                        continue
                    # read before asking the offset: get_record_offset() skips to the record's end
                    body = record.content_stream().read() if record.rec_type == "response" else None
                    offset = iterator.get_record_offset()
                    yield path, offset, record, body
            except Exception as exc:  # noqa: BLE001 - a truncated gzip member or record
                logger.warning("%s: unreadable after offset %s (%r); the rest of the file is skipped",
                               path.name, offset, exc)


def not_warc(path: Path) -> str | None:
    "Why ``path`` is no WARC file (its first record must start 'WARC/'), or None."
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
            fh.seek(0)
            if head == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=fh) as unpacked:
                    start = unpacked.read(5)
            else:
                start = fh.read(5)
    except (OSError, EOFError, zlib.error) as exc:
        return f"unreadable: {exc}"
    if start == b"WARC/":
        return None
    return "empty" if not start else f"it starts {start!r}"


def rebuild(archive_dir: Path, db_path: Path, workers: int = 0) -> dict[str, int]:
    counts = {"captures": 0, "stored": 0, "rejected": 0, "revisits": 0, "missing": 0, "reports": 0, "skipped_files": 0,
              "attachments": 0}
    store = Store(db_path)
    pool = ExtractPool(workers)
    continuations: dict[tuple[str, str | None], Held] = {}
    paged: list[Page] = []

    def save(page: Page) -> None:
        store.save_report(extract.to_row(page))
        for stage, kind, message in page.errors:
            store.record_error(None, page.capture.url, stage, kind, message)
        counts["stored"] += 1

    try:
        warc_dir = archive_dir / "warc"
        for page in pool.map(report_captures(warc_dir, CaptureIndex(store.db), counts, continuations)):
            if page.capture.role == "attachment":
                if page.attachment is not None:
                    store.save_attachment(page.attachment)
                for stage, kind, message in page.errors:
                    store.record_error(None, page.capture.url, stage, kind, message)
                counts["attachments"] += 1
            elif page.verdict is not None and not page.verdict[0]:
                counts["rejected"] += 1
            elif page.paging:
                paged.append(page)   # its other pages may lie further on in the archive
            else:
                save(page)
        for page in paged:   # every capture is read by now: join each with its pages, as the crawl did
            save(join_captured_pages(page, continuations, warc_dir, pool))
        counts["reports"] = store.db["reports"].count
    finally:
        pool.close()
        store.close()
    return counts


def join_captured_pages(first: Page, continuations: dict, warc_dir: Path, pool: ExtractPool) -> Page:
    """A paged report's first page joined with the other pages the same run captured (role
    ``report_page``), walked from its paging links as the crawl walked them (crawler.pagedreports)."""
    pages, seen, queue, missing = [first], {first.capture.url}, list(first.paging), []
    digests = {hashlib.sha1(first.capture.body).digest()}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        held = continuations.get((url, first.capture.run_id))
        if held is None:
            missing.append(url)
            continue
        body = read_response(warc_dir / held.file, held.offset, decoded=True).body
        if hashlib.sha1(body).digest() in digests:
            continue   # the same page under another URL: the crawl stopped there too
        digests.add(hashlib.sha1(body).digest())
        capture = dataclasses.replace(first.capture, url=url, final_url=url, body=body, headers=held.headers,
                                      warc_file=held.file, warc_offset=held.offset, role="report_page")
        page = next(pool.map([capture]))
        pages.append(page)
        queue += [u for u in page.paging or () if u not in seen and u not in queue]
    report = join_pages(pages)
    if missing:
        report.errors.append(("pages", "incomplete", f"{len(pages)} pages stored; not in the archive: "
                              + "; ".join(missing)[:420]))
    return report


def report_captures(warc_dir: Path, index: CaptureIndex, counts: dict[str, int],
                    continuations: dict | None = None) -> Iterator[Capture]:
    """Index every capture; yield those of report pages as the crawl handed them to the stages. The
    other pages of paged reports (role ``report_page``) go into ``continuations``, by (URL, run)."""
    held: dict[str, Held] = {}
    for path, offset, record, body in records(warc_dir, counts):
        fields = record.rec_headers
        url, record_id = fields.get_header("WARC-Target-URI"), fields.get_header("WARC-Record-ID")
        status = int(record.http_headers.get_statuscode() or 0) if record.http_headers else 0
        headers = list(record.http_headers.headers) if record.http_headers else []
        role = unquote(fields.get_header("XXGK-Role") or "") or None
        match = RUN_OF_FILE.match(path.name)
        common = dict(url=url, date=fields.get_header("WARC-Date"), record_id=record_id, rec_type=record.rec_type,
                      status=status, headers=headers, warc_file=path.name, warc_offset=offset, role=role,
                      run_id=match["run"] if match else None)
        if record.rec_type == "response":
            digest = fields.get_header("WARC-Payload-Digest")
            length = int(fields.get_header("Content-Length")) - record.http_headers.total_len
            source = held[record_id] = Held(path.name, offset, digest, headers, length)
            row = capture_row(**common, length=length, digest=digest)
        else:
            counts["revisits"] += 1
            source = held.get(fields.get_header("WARC-Refers-To") or "")
            if source is None:
                counts["missing"] += 1
                logger.warning("%s@%s: revisit of a record not in the archive", path.name, offset)
                continue
            profile = fields.get_header("WARC-Profile")
            refers_to = Original(fields.get_header("WARC-Refers-To"), fields.get_header("WARC-Refers-To-Target-URI"),
                                 fields.get_header("WARC-Refers-To-Date"))
            original = {"digest": source.digest, "payload_file": source.file, "payload_offset": source.offset,
                        "etag": header(source.headers, "ETag"), "last_modified": header(source.headers, "Last-Modified")}
            row = capture_row(**common, length=source.length, original=original, refers_to=refers_to,
                              profile=profile)
            if profile == SERVER_NOT_MODIFIED:
                # what the crawl handed the stages: the stored headers freshened by the 304's
                headers = freshen(source.headers, headers)
        index.add(row)
        counts["captures"] += 1
        if role == "report_page" and continuations is not None and (200 <= status < 300 or status == 304):
            continuations[(canonicalize_url(url), row["run_id"])] = Held(source.file, source.offset, source.digest,
                                                                         headers, source.length)
            continue
        if role not in ("report", "attachment") or not (200 <= status < 300 or status == 304):
            # not a report page; a redirect hop (the page is a later record); or an HTTP error,
            # which the crawl recorded in ``errors`` rather than as a page
            continue
        if body is None:
            body = read_response(warc_dir / source.file, source.offset, decoded=True).body
        yield Capture(
            url=canonicalize_url(url), body=body, status=status, headers=headers,
            fetched_at=row["date"][:19] + "Z", site=urlsplit(url).netloc.lower(),
            run_id=row["run_id"], warc_file=source.file, warc_offset=source.offset, role=role,
            context=unquote(fields.get_header("XXGK-Context") or "") or None,
            link_text=unquote(fields.get_header("XXGK-Link-Text") or "") or None,
            report_url=unquote(fields.get_header("XXGK-Report") or "") or None,
        )


def all_cores() -> int:
    """Every core: unlike a crawl, whose own process has the network to serve, the rebuild's one writer
    spends a third of the CPU the workers spend (bench.scale), and waits for them the rest of the time."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.reprocess", description=__doc__.split("\n")[0])
    parser.add_argument("archive_dir", type=Path)
    parser.add_argument("--db", type=Path, default=None, help="output database (default ARCHIVE_DIR/reports.rebuilt.db)")
    parser.add_argument("--workers", type=int, default=None,
                        help="extraction processes (default: one per core; 0: in this process). The rows are "
                             "the same for any number: pages are stored in WARC order by this one process")
    args = parser.parse_args(argv)
    if not (args.archive_dir / "warc").is_dir():
        print(f"error: no WARC files under {args.archive_dir / 'warc'}", file=sys.stderr)
        return 2
    db_path = args.db or args.archive_dir / "reports.rebuilt.db"
    if db_path.exists():
        print(f"error: {db_path} exists; rebuild writes a fresh database", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 0:
        print(f"error: --workers {args.workers}: give 0 or more", file=sys.stderr)
        return 2
    counts = rebuild(args.archive_dir, db_path, all_cores() if args.workers is None else args.workers)
    print(f"{counts['reports']} reports rebuilt into {db_path} from {counts['captures']} captures "
          f"({counts['stored']} of report pages, {counts['attachments']} attachments, {counts['revisits']} revisits, "
          f"{counts['rejected']} rejected)"
          + (f"; {counts['skipped_files']} files skipped, not WARC" if counts["skipped_files"] else ""))
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
