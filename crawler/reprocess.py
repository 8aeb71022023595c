"""Rebuild ``reports.db`` from the WARC files alone, without touching the network.

    python -m crawler.reprocess ARCHIVE_DIR [--db OUT.db]

Re-runs decode → metadata → clean → classify over every captured report page, so an improved
cleaner upgrades the whole archive. The default output is ARCHIVE_DIR/reports.rebuilt.db.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from warcio.archiveiterator import ArchiveIterator

from crawler.discovery import canonicalize_url
from pipelines import extract
from pipelines.record import Capture
from pipelines.store import Store

logger = logging.getLogger(__name__)


def report_captures(warc_dir: Path):
    "Every response record the crawl fetched as a report page, oldest file first, as Captures."
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh)
            for record in iterator:
                if record.rec_type != "response":
                    continue
                fields = record.rec_headers
                if unquote(fields.get_header("XXGK-Role") or "") != "report":
                    continue
                url = fields.get_header("WARC-Target-URI")
                body = record.content_stream().read()
                status = int(record.http_headers.get_statuscode() or 0)
                if status in range(300, 400):
                    continue  # a redirect hop: the page itself is a later record
                yield Capture(
                    url=canonicalize_url(url), body=body, status=status,
                    headers=list(record.http_headers.headers), fetched_at=fields.get_header("WARC-Date"),
                    site=urlsplit(url).netloc.lower(), warc_file=path.name, warc_offset=iterator.get_record_offset(),
                    context=unquote(fields.get_header("XXGK-Context") or "") or None,
                    link_text=unquote(fields.get_header("XXGK-Link-Text") or "") or None,
                )


def rebuild(archive_dir: Path, db_path: Path) -> dict[str, int]:
    counts = {"captures": 0, "stored": 0, "rejected": 0}
    store = Store(db_path)
    try:
        for capture in report_captures(archive_dir / "warc"):
            counts["captures"] += 1
            page = extract.process(capture)
            if page.verdict is not None and not page.verdict[0]:
                counts["rejected"] += 1
                continue
            store.save_report(extract.to_row(page))
            for stage, kind, message in page.errors:
                store.record_error(None, capture.url, stage, kind, message)
            counts["stored"] += 1
    finally:
        store.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.reprocess", description=__doc__.split("\n")[0])
    parser.add_argument("archive_dir", type=Path)
    parser.add_argument("--db", type=Path, default=None, help="output database (default ARCHIVE_DIR/reports.rebuilt.db)")
    args = parser.parse_args(argv)
    if not (args.archive_dir / "warc").is_dir():
        print(f"error: no WARC files under {args.archive_dir / 'warc'}", file=sys.stderr)
        return 2
    db_path = args.db or args.archive_dir / "reports.rebuilt.db"
    if db_path.exists():
        print(f"error: {db_path} exists; rebuild writes a fresh database", file=sys.stderr)
        return 2
    counts = rebuild(args.archive_dir, db_path)
    print(f"{counts['stored']} reports rebuilt into {db_path} from {counts['captures']} captures "
          f"({counts['rejected']} rejected)")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
