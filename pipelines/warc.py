"""WARC writing and reading (ISO 28500, warcio): one open file per run, gzip per record, rolled by size.

Pure I/O, no Scrapy import: the capture middleware feeds it, the rebuild and the conditional-GET
middleware read records back, tests read its files with warcio's own ``ArchiveIterator``.
"""
from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import NamedTuple

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SOFTWARE = "xxgk-archive/0.1 (warcio)"
# hop-by-hop framing Scrapy's HTTP client has already undone: the stored body is de-chunked
DROP_HEADERS = {"transfer-encoding"}
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def payload_digest(body: bytes) -> str:
    "The WARC-Payload-Digest warcio writes for these bytes (sha1, base32): the revisit key."
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


@dataclass(frozen=True)
class Original:
    """The earlier record a revisit refers to (WARC-Refers-To, -Target-URI, -Date)."""

    record_id: str
    uri: str
    date: str


class Written(NamedTuple):
    """Where a record went: ``file``/``offset`` of the response or revisit record, and its identity."""

    file: str
    offset: int
    record_id: str
    date: str
    rec_type: str         # 'response' or 'revisit'
    digest: str | None    # payload digest (the original's, for a revisit)


@dataclass
class Exchange:
    """One HTTP request and its response, as a WARC record pair is built from them."""

    url: str
    status: int
    headers: list[tuple[str, str]]         # as received, repeats kept
    body: bytes = field(repr=False)        # the payload as received (Content-Encoding not undone)
    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: bytes = field(default=b"", repr=False)   # a POST's form or JSON, as sent
    protocol: str = "HTTP/1.1"
    ip: str | None = None
    fields: dict[str, str] = field(default_factory=dict)   # extra WARC header fields (XXGK-Role, …)
    reconstructed: bool = True             # the header block was rebuilt from parsed headers


def _warc_fields(ex: Exchange) -> dict[str, str]:
    fields = dict(ex.fields)
    if ex.ip:
        fields["WARC-IP-Address"] = ex.ip
    if ex.reconstructed:
        # Scrapy hands us parsed headers, not the wire bytes: say so, as the contract asks
        fields["WARC-Protocol"] = (ex.protocol or "http/1.1").lower()
        fields["XXGK-Header-Block"] = "reconstructed"
    return fields


def _http_headers(ex: Exchange) -> StatusAndHeaders:
    kept = [(k, v) for k, v in ex.headers if k.lower() not in DROP_HEADERS]
    return StatusAndHeaders(status_line(ex.status), kept, protocol=ex.protocol or "HTTP/1.1")


def response_record(warc: WARCWriter, ex: Exchange):
    "A ``response`` record holding the payload."
    return warc.create_warc_record(ex.url, "response", payload=io.BytesIO(ex.body), length=len(ex.body),
                                   http_headers=_http_headers(ex), warc_headers_dict=_warc_fields(ex))


def revisit_record(warc: WARCWriter, ex: Exchange, original: Original, profile: str = IDENTICAL_PAYLOAD):
    """A payload-less ``revisit`` record: the HTTP headers as received, the bytes in ``original``.
    ``profile``: ``IDENTICAL_PAYLOAD`` (same digest) or ``SERVER_NOT_MODIFIED`` (a 304)."""
    fields = _warc_fields(ex)
    fields["WARC-Refers-To"] = original.record_id
    if profile == IDENTICAL_PAYLOAD:
        return warc.create_revisit_record(ex.url, payload_digest(ex.body), original.uri, original.date,
                                          http_headers=_http_headers(ex), warc_headers_dict=fields)
    # a 304: no payload to digest; the profile is all a reader needs
    fields["WARC-Profile"] = profile
    fields["WARC-Refers-To-Target-URI"] = original.uri
    fields["WARC-Refers-To-Date"] = original.date
    return warc.create_warc_record(ex.url, "revisit", http_headers=_http_headers(ex), warc_headers_dict=fields)


def request_record(warc: WARCWriter, ex: Exchange, concurrent_to):
    """The ``request`` record of an exchange, pointing at its response or revisit record. It holds the
    request body (a POST's form), so a replay or a rebuild sees exactly what was asked."""
    path = ex.url.split("/", 3)[3] if ex.url.count("/") >= 3 else ""
    headers = list(ex.request_headers)
    body = ex.request_body or b""
    if body and not any(k.lower() == "content-length" for k, _ in headers):
        headers.append(("Content-Length", str(len(body))))
    http = StatusAndHeaders(f"{ex.method} /{path} {ex.protocol or 'HTTP/1.1'}", headers, is_http_request=True)
    record = warc.create_warc_record(ex.url, "request", payload=io.BytesIO(body), length=len(body),
                                     http_headers=http)
    record.rec_headers.add_header("WARC-Concurrent-To", concurrent_to.rec_headers.get_header("WARC-Record-ID"))
    return record


class RollingWarcWriter:
    """Appends records to ``DIR/xxgk-RUN-NNNNN.warc.gz``, rolling to a new file past ``max_size``.

    Records are built apart (``response_record``, ``revisit_record``, ``request_record``) against
    ``warc``, warcio's writer of the current file. A run never appends to an earlier run's file: a
    file cut short by ``kill -9`` stays as it was.
    """

    def __init__(self, directory: str | Path, run_id: str, max_size: int = 1 << 30):
        self.directory = Path(directory)
        self.run_id = run_id
        self.max_size = max_size
        self.serial = 0
        self.fh = None
        self.writer: WARCWriter | None = None
        self.name: str | None = None

    @property
    def warc(self) -> WARCWriter:
        "warcio's writer of the file the next record goes to (a new file past ``max_size``)."
        if self.fh is None or self.fh.tell() >= self.max_size:
            self.close()
            self._open()
        return self.writer

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.serial += 1
        self.name = f"xxgk-{self.run_id}-{self.serial:05d}.warc.gz"
        self.fh = open(self.directory / self.name, "ab")
        self.writer = WARCWriter(self.fh, gzip=True, warc_version="1.1")
        info = self.writer.create_warcinfo_record(self.name, {
            "software": SOFTWARE, "format": "WARC File Format 1.1", "isPartOf": f"xxgk-{self.run_id}",
        })
        self.writer.write_record(info)

    def write(self, record, *concurrent) -> Written:
        """Write ``record`` and the records concurrent to it (its request), built against ``warc``,
        to the current file; where ``record`` went."""
        warc = self.writer if self.writer is not None else self.warc
        offset = self.fh.tell()
        for r in (record, *concurrent):
            warc.write_record(r)
        # flushed before anyone is told where the record is: an index row never points past the
        # end of a file that a kill -9 cut short
        self.fh.flush()
        fields = record.rec_headers
        digest = fields.get_header("WARC-Payload-Digest") if record.rec_type == "response" else None
        if record.rec_type == "revisit" and fields.get_header("WARC-Profile") == IDENTICAL_PAYLOAD:
            digest = fields.get_header("WARC-Payload-Digest")
        return Written(self.name, offset, fields.get_header("WARC-Record-ID"), fields.get_header("WARC-Date"),
                       record.rec_type, digest)

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
        self.fh = self.writer = None


def write_exchange(writer: RollingWarcWriter, ex: Exchange, revisit_of: Original | None = None,
                   profile: str = IDENTICAL_PAYLOAD) -> Written:
    """An exchange as its record pair: a ``response`` (or, with ``revisit_of``, a ``revisit`` of that
    record) and its ``request``."""
    warc = writer.warc
    record = response_record(warc, ex) if revisit_of is None else revisit_record(warc, ex, revisit_of, profile)
    return writer.write(record, request_record(warc, ex, record))


@dataclass
class StoredResponse:
    """A response record read back: status, headers and body as received."""

    uri: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: str
    record_id: str


def read_response(path: str | Path, offset: int, *, decoded: bool = False) -> StoredResponse:
    """The response record at ``offset`` of a WARC file (the payload a revisit or a 304 stands for).

    The body is the payload as received (still gzip-encoded if the server sent it so, to go
    through Scrapy's HttpCompressionMiddleware like a fresh response); ``decoded=True`` undoes
    the Content-Encoding, as the crawl's stages saw it."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        if record.rec_type != "response":
            raise ValueError(f"{path}@{offset} is a {record.rec_type} record, not a response")
        fields = record.rec_headers
        body = (record.content_stream() if decoded else record.raw_stream).read()
        return StoredResponse(
            uri=fields.get_header("WARC-Target-URI"), status=int(record.http_headers.get_statuscode() or 0),
            headers=list(record.http_headers.headers), body=body,
            date=fields.get_header("WARC-Date"), record_id=fields.get_header("WARC-Record-ID"))


def freshen(stored: list[tuple[str, str]], fresh: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The stored headers updated with those of a 304 (RFC 9111 §4.3.4): a 304 usually carries
    only validators and dates, and must not wipe out the stored Content-Type."""
    names = {k.lower() for k, _ in fresh} - {"content-length", "content-encoding", "transfer-encoding"}
    return [(k, v) for k, v in stored if k.lower() not in names] + \
        [(k, v) for k, v in fresh if k.lower() in names]
