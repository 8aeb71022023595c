"""The one-page command: a saved page (raw bytes as served) through the crawl's stages, its row as JSON.

    python -m pipelines.extract PAGE.html [--url URL] [--content-type 'text/html; charset=…']

prints the ``reports`` row (the columns that need no crawl) as one JSON object. The stages are
``pipelines.stages``; the row, ``pipelines.row``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipelines.attachments import attachment_json, sniff
from pipelines.decode import decode
from pipelines.faults import binary_type, detect_junk
from pipelines.record import Capture
from pipelines.row import to_row
from pipelines.stages import fault_error, process

ATTACHMENT_MAXSIZE = 64 * 1024 * 1024   # the crawl's default XXGK_ATTACHMENT_MAXSIZE

__all__ = ["extract_page", "process", "to_row", "fault_error", "main"]


def extract_page(body: bytes, *, url: str = "file:///page.html", content_type: str | None = None) -> dict:
    "One saved page → its ``reports`` row (no network)."
    headers = [("Content-Type", content_type)] if content_type else []
    page = process(Capture(url=url, body=body, headers=headers), classify=False)
    row = to_row(page)
    for key in ("fetched_at", "run_id", "final_url", "http_status", "warc_file", "warc_offset", "site"):
        row.pop(key, None)
    if page.paging and page.position:
        # one page of a report paged over several URLs: the crawl stores them as one row (``pages``)
        row["page_of"] = {"page": page.position[0], "of": page.position[1], "other_pages": page.paging}
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.extract", description=__doc__.split("\n")[0])
    parser.add_argument("page", type=Path, help="saved page (raw bytes as served)")
    parser.add_argument("--url", default=None, help="the page's address (for relative links and the row's url)")
    parser.add_argument("--content-type", default=None, help="the HTTP Content-Type header it was served with")
    # the crawl's default page limit (XXGK_PAGE_MAXSIZE): a larger "page" is an error there too
    parser.add_argument("--max-size", type=int, default=8 * 1024 * 1024, metavar="BYTES",
                        help="refuse a file larger than this (default 8 MiB)")
    args = parser.parse_args(argv)

    def fail(message: str) -> int:
        print(f"error: {message}", file=sys.stderr)
        return 2

    try:   # never more than a limit: /dev/zero has no end
        with args.page.open("rb") as fh:
            body = fh.read(max(args.max_size, ATTACHMENT_MAXSIZE) + 1)
    except OSError as exc:
        return fail(f"cannot read {args.page}: {exc.strerror or exc}")
    if sniff(body) is not None:   # a PDF/DOCX/XLS… by its bytes, not its name: the attachment stage
        if len(body) > ATTACHMENT_MAXSIZE:
            return fail(f"{args.page} is larger than {ATTACHMENT_MAXSIZE} bytes: not an attachment we read")
        row = attachment_json(body, name=args.page.name)
        if row.get("error") and not row.get("text"):   # a corrupt, encrypted or unreadable file: why, in one line
            return fail(f"{args.page} is not a text page but a {row.get('type') or 'binary'} file, unread: "
                        f"{row['error']} ({row.get('message') or 'nothing read'})")
        json.dump(row, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if len(body) > args.max_size:
        return fail(f"{args.page} is larger than {args.max_size} bytes (--max-size): not a page")
    if detect_junk(body, decode(body, args.content_type).text) == "binary":
        return fail(f"{args.page} is not a text page ({binary_type(body) or 'control characters'}): "
                    "give the HTML as it was saved")
    url = args.url or args.page.resolve().as_uri()
    row = extract_page(body, url=url, content_type=args.content_type)
    json.dump(row, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
