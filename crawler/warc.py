"""WARC writing (ISO 28500, warcio): one open file per run, gzip per record, rolled by size.

Pure I/O, no Scrapy import: the capture middleware feeds it, tests read its files back with
warcio's own ``ArchiveIterator``.
"""
from __future__ import annotations

import io
from http import HTTPStatus
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SOFTWARE = "xxgk-archive/0.1 (warcio)"
# hop-by-hop framing Scrapy's HTTP client has already undone: the stored body is de-chunked
DROP_HEADERS = {"transfer-encoding"}


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


class RollingWarcWriter:
    """Appends request/response pairs to ``DIR/xxgk-RUN-NNNNN.warc.gz``; returns (file, offset)."""

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
              extra_headers: dict[str, str] | None = None) -> tuple[str, int]:
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
        response = self.writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                  length=len(body), http_headers=http,
                                                  warc_headers_dict=warc_headers)
        self.writer.write_record(response)
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        req_http = StatusAndHeaders(f"{method} /{path} {protocol or 'HTTP/1.1'}", list(request_headers),
                                    is_http_request=True)
        request = self.writer.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0,
                                                 http_headers=req_http)
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        self.writer.write_record(request)
        self.fh.flush()
        return self.name, offset

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
        self.fh = self.writer = None
