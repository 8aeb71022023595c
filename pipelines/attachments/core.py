"""``extract_attachment``: one file's bytes → its type, text, tables and pages, never an exception.

    result = extract_attachment(body, name="2020年年报.pdf", limits=Limits(seconds=60))
    result.type, result.text, result.tables, result.pages, result.extractor, result.ocr, result.error
"""
from __future__ import annotations

import hashlib
import io
import logging
import struct
import time

from pipelines.attachments import convert, ocr
from pipelines.attachments.archive import read_zip
from pipelines.attachments.docx import read_docx
from pipelines.attachments.model import DEFAULT_LIMITS, AttachmentError, AttachmentResult, Deadline, Limits
from pipelines.attachments.pdf import read_pdf
from pipelines.attachments.sheets import read_xls, read_xlsx
from pipelines.attachments.sniff import IMAGE_TYPES, sniff
from pipelines.attachments.text import paragraphs

logger = logging.getLogger(__name__)

CONVERTED = frozenset({"doc", "wps", "rtf", "odt"})   # through LibreOffice to DOCX
UNSUPPORTED = {"rar": "RAR archive (rarfile only drives an unrar program; unpack it by hand)",
               "7z": "7z archive", "pptx": "PowerPoint presentation", "ppt": "PowerPoint presentation",
               "ods": "OpenDocument spreadsheet"}


def extract_attachment(body: bytes, *, name: str | None = None, limits: Limits = DEFAULT_LIMITS,
                       _depth: int = 0) -> AttachmentResult:
    """Read one attachment. The type comes from the bytes (never ``name`` or a Content-Type); a file
    that cannot be read, or only in part, comes back with ``error`` set and whatever text was read."""
    started = time.monotonic()
    result = AttachmentResult(type=sniff(body), size=len(body), sha256=hashlib.sha256(body).hexdigest(),
                              name=name)
    try:
        if not body:
            raise AttachmentError("empty", "no bytes")
        if len(body) > limits.max_bytes:
            raise AttachmentError("too_large", f"{len(body)} bytes (limit {limits.max_bytes})")
        read(body, result, limits, Deadline(limits.seconds), _depth)
        if not (result.text or result.tables or result.members):
            raise AttachmentError("empty", f"no text in this {result.type}")
    except AttachmentError as exc:
        result.fail(exc)
    except Exception as exc:  # noqa: BLE001 - a bad file never stops a crawl: any reader bug is its error
        logger.warning("attachment %s: %r", name or result.sha256, exc)
        result.fail(AttachmentError("corrupt", f"{type(exc).__name__}: {str(exc)[:300]}"))
    result.text = result.text or None
    result.seconds = time.monotonic() - started
    return result


def read(body: bytes, result: AttachmentResult, limits: Limits, deadline: Deadline, depth: int) -> None:
    kind = result.type
    if kind == "pdf":
        read_pdf(body, limits, deadline, result)
    elif kind == "docx":
        read_docx(body, limits, result)
        result.pages = None
    elif kind == "xlsx":
        read_xlsx(body, limits, deadline, result)
    elif kind == "xls":
        read_xls(body, limits, deadline, result)
    elif kind in CONVERTED:
        if kind == "doc" and doc_encrypted(body):
            raise AttachmentError("encrypted", "DOC: password-protected")
        read_docx(convert.to_docx(body, kind, deadline), limits, result)
        result.extractor = f"{convert.version()} → {result.extractor}"
    elif kind in IMAGE_TYPES:
        read_image(body, limits, deadline, result)
    elif kind == "zip":
        read_zip(body, limits, deadline, result, depth, extract_attachment)
    elif kind == "ole":
        raise AttachmentError("unsupported" if ole_readable(body) else "corrupt", "an OLE2 file of no kind we read")
    elif kind == "ole-encrypted":
        raise AttachmentError("encrypted", "password-protected Office file (OOXML in an encrypted OLE2 package)")
    elif kind in UNSUPPORTED:
        raise AttachmentError("unsupported", UNSUPPORTED[kind])
    else:
        raise AttachmentError("unsupported", f"unknown file type, starts {body[:16]!r}")


def read_image(body: bytes, limits: Limits, deadline: Deadline, result: AttachmentResult) -> None:
    from PIL import Image

    result.pages = 1
    try:
        image = Image.open(io.BytesIO(body))
        image.load()
    except Exception as exc:  # noqa: BLE001 - PIL raises many kinds for broken images
        raise AttachmentError("corrupt", f"image: {exc}") from None
    if not (limits.ocr and ocr.available()):
        raise AttachmentError("needs_ocr", "an image: its text needs OCR; pip install -e '.[ocr]'")
    deadline.check("OCR")
    result.extractor = ocr.version()
    result.text = "\n".join(paragraphs(ocr.image_lines(image)))
    result.ocr = 1


def ole_readable(body: bytes) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(body)) as ole:
            ole.listdir()
        return True
    except Exception:  # noqa: BLE001 - olefile raises OSError, struct.error, IndexError…
        return False


def doc_encrypted(body: bytes) -> bool:
    "The fEncrypted bit of a Word 97 file's FIB (MS-DOC 2.5.2: bit 8 of the flags at offset 0x0A)."
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(body)) as ole:
            head = ole.openstream("WordDocument").read(12)
        return len(head) == 12 and bool(struct.unpack_from("<H", head, 10)[0] & 0x0100)
    except Exception:  # noqa: BLE001 - LibreOffice will say what is wrong with it
        return False


def attachment_json(body: bytes, *, name: str | None = None, limits: Limits = DEFAULT_LIMITS) -> dict:
    "What ``python -m pipelines.extract FILE`` prints for a document: its ``attachments`` columns, tables as data."
    result = extract_attachment(body, name=name, limits=limits)
    row = result.row()
    row.update(tables=[t.to_json() for t in result.tables] or None, message=result.message,
               members=[m.row() | {"message": m.message, "tables": None} for m in result.members] or None)
    return row
