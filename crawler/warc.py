"""WARC writing and reading (ISO 28500, warcio): one open file per run, gzip per record, rolled by size.

Pure I/O, no Scrapy import: the capture middleware feeds it, the rebuild and the conditional-GET
middleware read records back, tests read its files with warcio's own ``ArchiveIterator``.
"""
from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
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


def header(pairs: list[tuple[str, str]], name: str) -> str | None:
    "The last value of a header in (name, value) pairs, case-insensitively."
    name = name.lower()
    return next((v for k, v in reversed(pairs) if k.lower() == name), None)


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


class RollingWarcWriter:
    """Appends request/response pairs to ``DIR/xxgk-RUN-NNNNN.warc.gz``.

    A run never appends to an earlier run's file: a file cut short by ``kill -9`` stays as it was.
    """

    def __init__(self, directory: str | Path, run_id: str, max_size: int = 1 << 30):
        self.directory = Path(directory)
        self.run_id = run_id
        self.max_size = max_size
        self.serial = 0
        self.fh = None
        self.writer: WARCWriter | None = None
        self.name: str | None = None

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

    def write(self, *, url: str, status: int, headers: list[tuple[str, str]], body: bytes,
              method: str = "GET", request_headers: list[tuple[str, str]] = (), protocol: str = "HTTP/1.1",
              ip: str | None = None, reconstructed: bool = True,
              extra_headers: dict[str, str] | None = None,
              revisit_of: Original | None = None, profile: str = IDENTICAL_PAYLOAD) -> Written:
        """Write a ``response`` record (or, with ``revisit_of``, a payload-less ``revisit``) and its
        ``request`` record.

        Args:
            revisit_of: the earlier record holding this payload; the new record keeps the HTTP
                headers as received and refers to it instead of repeating the bytes.
            profile: ``IDENTICAL_PAYLOAD`` (same digest) or ``SERVER_NOT_MODIFIED`` (a 304).
        """
        if self.fh is None or self.fh.tell() >= self.max_size:
            self.close()
            self._open()
        offset = self.fh.tell()
        kept = [(k, v) for k, v in headers if k.lower() not in DROP_HEADERS]
        http = StatusAndHeaders(status_line(status), kept, protocol=protocol or "HTTP/1.1")
        warc_headers = dict(extra_headers or {})
        if ip:
            warc_headers["WARC-IP-Address"] = ip
        if reconstructed:
            # Scrapy hands us parsed headers, not the wire bytes: say so, as the contract asks
            warc_headers["WARC-Protocol"] = (protocol or "http/1.1").lower()
            warc_headers["XXGK-Header-Block"] = "reconstructed"
        if revisit_of is None:
            digest = payload_digest(body)
            record = self.writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                    length=len(body), http_headers=http,
                                                    warc_headers_dict=warc_headers)
        else:
            warc_headers["WARC-Refers-To"] = revisit_of.record_id
            digest = payload_digest(body) if profile == IDENTICAL_PAYLOAD else None
            if digest is None:
                # a 304: no payload to digest; the profile is all a reader needs
                warc_headers["WARC-Profile"] = profile
                warc_headers["WARC-Refers-To-Target-URI"] = revisit_of.uri
                warc_headers["WARC-Refers-To-Date"] = revisit_of.date
                record = self.writer.create_warc_record(url, "revisit", http_headers=http,
                                                        warc_headers_dict=warc_headers)
            else:
                record = self.writer.create_revisit_record(url, digest, revisit_of.uri, revisit_of.date,
                                                           http_headers=http, warc_headers_dict=warc_headers)
        self.writer.write_record(record)
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        req_http = StatusAndHeaders(f"{method} /{path} {protocol or 'HTTP/1.1'}", list(request_headers),
                                    is_http_request=True)
        request = self.writer.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0,
                                                 http_headers=req_http)
        request.rec_headers.add_header("WARC-Concurrent-To", record_id)
        self.writer.write_record(request)
        # flushed before anyone is told where the record is: an index row never points past the
        # end of a file that a kill -9 cut short
        self.fh.flush()
        return Written(self.name, offset, record_id, record.rec_headers.get_header("WARC-Date"),
                       record.rec_type, digest)

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
        self.fh = self.writer = None


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
