"""Reading an archive's WARC files in tests, as a replay tool would."""
from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


def warc_payloads(archive: Path) -> dict[str, bytes]:
    "Each response record's payload by its target URI (the last record of a URI wins)."
    out = {}
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    out[record.rec_headers.get_header("WARC-Target-URI")] = record.content_stream().read()
    return out
