"""The result of reading one attachment, its limits, and the errors a reader raises."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from pipelines.tables import Table

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one file may cost. A file past a bound gets an error (its text so far is kept).

    ``max_bytes`` matches XXGK_ATTACHMENT_MAXSIZE (report PDFs of 20 MB are legitimate). ``seconds``
    is a deadline for the whole file: readers check it between pages, a LibreOffice conversion past it
    is killed. ``zip_*`` bound a bundle's members (count, sum of uncompressed sizes) and are also the
    bound on the XML parts inside a DOCX/XLSX, which are ZIPs too."""
    max_bytes: int = 64 * MiB
    max_pages: int = 500
    seconds: float = 120.0
    ocr: bool = True                 # OCR pages without a text layer when the [ocr] extra is installed
    ocr_max_pages: int = 30          # OCR costs seconds per page on a CPU
    ocr_scale: float = 2.0           # render at 144 dpi for OCR
    zip_max_members: int = 200
    zip_max_bytes: int = 512 * MiB   # uncompressed, all members together
    zip_depth: int = 1               # a ZIP inside a ZIP is read, one inside that is not


DEFAULT_LIMITS = Limits()


class AttachmentError(Exception):
    """A file that cannot be read (fully): ``kind`` is the ``errors`` row's kind after 'attachment:'.

    kinds: too_large, too_many_pages, timeout, encrypted, corrupt, empty, unsupported, zip_bomb,
    needs_libreoffice, needs_ocr."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def check(self, what: str = "") -> None:
        if self.left() <= 0:
            raise AttachmentError("timeout", f"over {self.seconds:g} s{' at ' + what if what else ''}")


@dataclass
class AttachmentResult:
    """``text``: paragraphs in reading order, tables as rows with ' | ' (each cell once), like a
    report page's ``text``. ``ocr``: pages whose text came from OCR. ``error``: 'attachment:KIND'
    (``message`` says more); a result with an error may still hold the text read before it."""
    type: str | None
    size: int = 0
    sha256: str | None = None
    name: str | None = None
    text: str | None = None
    tables: list[Table] = field(default_factory=list)
    pages: int | None = None
    extractor: str | None = None
    ocr: int = 0
    error: str | None = None
    message: str | None = None
    members: list[AttachmentResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def kind(self) -> str | None:
        "The error kind without its stage ('encrypted' for 'attachment:encrypted')."
        return self.error.partition(":")[2] if self.error else None

    def fail(self, exc: AttachmentError) -> None:
        self.error, self.message = f"attachment:{exc.kind}", exc.message

    def tables_json(self) -> str | None:
        return json.dumps([t.to_json() for t in self.tables], ensure_ascii=False) if self.tables else None

    def row(self) -> dict:
        "The columns of an ``attachments`` row this file decides (the caller adds url, report_url, WARC pointer)."
        return {"name": self.name, "type": self.type, "bytes": self.size, "sha256": self.sha256,
                "pages": self.pages, "text": self.text or None, "tables": self.tables_json(),
                "extractor": self.extractor, "ocr": self.ocr, "error": self.error}
