"""What a file is, from its bytes: servers send report PDFs as application/octet-stream, DOCX as
application/msword and XLS named .doc, so neither the Content-Type nor the extension is evidence.

    sniff(body) -> 'pdf' | 'docx' | 'xlsx' | 'pptx' | 'odt' | 'ods' | 'zip' | 'doc' | 'xls' | 'ppt'
                   | 'wps' | 'ole' | 'ole-encrypted' | 'rtf' | 'rar' | '7z' | 'png' | 'jpeg' | 'gif'
                   | 'tiff' | 'bmp' | 'webp' | None

ZIP and OLE2 are containers: the kind comes from the names inside them (a DOCX is a ZIP holding
word/document.xml; a DOC is an OLE2 file holding a WordDocument stream).
"""
from __future__ import annotations

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PLAIN_MAGIC = (
    (b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"{\\rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
)
# a PDF's header may follow some junk (a BOM, a stray HTTP header, whitespace): readers look 1 KiB in
PDF_SEARCH = 1024
IMAGE_TYPES = frozenset({"png", "jpeg", "gif", "tiff", "bmp", "webp"})
ODF_TYPES = {b"application/vnd.oasis.opendocument.text": "odt",
             b"application/vnd.oasis.opendocument.spreadsheet": "ods"}


def sniff(body: bytes) -> str | None:
    at = body.find(b"%PDF-", 0, PDF_SEARCH)
    if at == 0 or (at > 0 and b"<" not in body[:at]):      # not an HTML page that mentions %PDF-
        return "pdf"
    if body.startswith(b"PK\x03\x04") or body.startswith(b"PK\x05\x06"):
        return _zip_kind(body)
    if body.startswith(OLE_MAGIC):
        return _ole_kind(body)
    if body.startswith(b"RIFF") and body[8:12] == b"WEBP":
        return "webp"
    if body.startswith(b"BM") and body[6:10] == b"\0\0\0\0":     # BMP: 'BM', size, two reserved zeros
        return "bmp"
    for magic, kind in _PLAIN_MAGIC:
        if body.startswith(magic):
            return kind
    return None


def _zip_kind(body: bytes) -> str:
    if body[30:38] == b"mimetype":                  # ODF: an uncompressed mimetype member comes first
        for mime, kind in ODF_TYPES.items():
            if body[38:38 + len(mime)] == mime:
                return kind
    try:
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "zip"                                # let the reader say what is wrong with it
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def _ole_kind(body: bytes) -> str:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(body)) as ole:
            streams = {"/".join(path) for path in ole.listdir(streams=True, storages=True)}
    except Exception:  # noqa: BLE001 - a broken container is still an OLE file; the reader says why
        return "ole"
    if "EncryptedPackage" in streams:               # a password-protected DOCX/XLSX is stored in OLE2
        return "ole-encrypted"
    if "WordDocument" in streams:                   # Word 97–2003, and WPS Office's Word-compatible .wps
        return "doc"
    if "Workbook" in streams or "Book" in streams:  # Excel 97–2003 (and 5.0/95), WPS Office's .et
        return "xls"
    if "PowerPoint Document" in streams:
        return "ppt"
    if "CONTENTS" in streams or "MatOST" in streams:   # Microsoft Works word processor
        return "wps"
    return "ole"
