"""WARC files written by the capture writer open with warcio's own reader, offsets included."""
from __future__ import annotations

import gzip
import hashlib

from warcio.archiveiterator import ArchiveIterator

from pipelines.warc import (IDENTICAL_PAYLOAD, SERVER_NOT_MODIFIED, Exchange, Original, RollingWarcWriter, freshen,
                            payload_digest, read_response, write_exchange)

GBK_BODY = "<html><head><meta charset=gb2312></head><body>朱镕基 政府信息公开年报</body></html>".encode("gb18030")


def test_records_round_trip_with_exact_bytes_and_offsets(tmp_path):
    writer = RollingWarcWriter(tmp_path, "run1")
    headers = [("Content-Type", "text/html; charset=gb2312"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
               ("Transfer-Encoding", "chunked")]
    name, offset, *_ = write_exchange(writer, Exchange(url="http://127.0.0.2:8000/art/1.html", status=200,
                                                       headers=headers, body=GBK_BODY,
                                                       request_headers=[("User-Agent", "xxgk-archive")]))
    writer.close()
    with open(tmp_path / name, "rb") as fh:
        types = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)]
    assert types == [("warcinfo", None), ("response", "http://127.0.0.2:8000/art/1.html"),
                     ("request", "http://127.0.0.2:8000/art/1.html")]
    with open(tmp_path / name, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_type == "response"
        assert record.http_headers.get_statuscode() == "200"
        # repeated headers survive; hop-by-hop chunking (already undone) does not
        assert [v for k, v in record.http_headers.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
        assert record.http_headers.get_header("Transfer-Encoding") is None
        assert record.content_stream().read() == GBK_BODY


def test_rolls_to_a_new_file_past_max_size(tmp_path):
    writer = RollingWarcWriter(tmp_path, "run2", max_size=10)
    names = {write_exchange(writer, Exchange(url=f"http://h/{i}", status=200, headers=[], body=b"x" * 100))[0]
             for i in range(3)}
    writer.close()
    assert len(names) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def read_all(path) -> list:
    with open(path, "rb") as fh:
        return [(r.rec_type, dict(r.rec_headers.headers), r.content_stream().read()) for r in ArchiveIterator(fh)]


def test_revisit_records_refer_to_the_payload_they_repeat(tmp_path):
    writer = RollingWarcWriter(tmp_path, "run3")
    # incompressible, so the file sizes show what is stored once
    body = GBK_BODY + b"".join(hashlib.sha256(b"%d" % i).digest() for i in range(1000))
    headers = [("Content-Type", "text/html; charset=gb2312"), ("ETag", '"a1"')]
    first = write_exchange(writer, Exchange(url="http://h/1.html", status=200, headers=headers, body=body))
    original = Original(first.record_id, "http://h/1.html", first.date)
    same = write_exchange(writer, Exchange(url="http://h/1.html", status=200, headers=headers, body=body), original)
    not_modified = write_exchange(writer, Exchange(url="http://h/1.html", status=304, headers=[("ETag", '"a1"')],
                                                   body=b""), original, SERVER_NOT_MODIFIED)
    end = writer.fh.tell()
    writer.close()
    assert (first.rec_type, same.rec_type, not_modified.rec_type) == ("response", "revisit", "revisit")
    assert first.digest == same.digest == payload_digest(body) and not_modified.digest is None
    records = [r for r in read_all(tmp_path / first.file) if r[0] in ("response", "revisit")]
    (_, response, stored), (_, revisit, empty), (_, server, nothing) = records
    assert response["WARC-Payload-Digest"] == payload_digest(body) and stored == body
    assert revisit["WARC-Profile"] == IDENTICAL_PAYLOAD and empty == b""
    assert revisit["WARC-Payload-Digest"] == response["WARC-Payload-Digest"]
    for fields in (revisit, server):
        assert fields["WARC-Refers-To"] == response["WARC-Record-ID"]
        assert fields["WARC-Refers-To-Target-URI"] == "http://h/1.html"
        assert fields["WARC-Refers-To-Date"] == response["WARC-Date"]
    assert server["WARC-Profile"] == SERVER_NOT_MODIFIED and nothing == b""
    # a revisit (and its request record) holds HTTP headers only, not another copy of the bytes
    assert not_modified.offset - same.offset < 1500 and end - not_modified.offset < 1500
    assert same.offset - first.offset > len(body)


def test_read_response_gives_the_payload_as_received_or_decoded(tmp_path):
    writer = RollingWarcWriter(tmp_path, "run4")
    squeezed = gzip.compress(GBK_BODY)
    written = write_exchange(writer, Exchange(url="http://h/2.html", status=200, body=squeezed,
                                              headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")]))
    writer.close()
    raw = read_response(tmp_path / written.file, written.offset)
    assert (raw.status, raw.body, raw.record_id) == (200, squeezed, written.record_id)
    assert read_response(tmp_path / written.file, written.offset, decoded=True).body == GBK_BODY


def test_a_304_freshens_the_stored_headers_without_losing_content_type():
    stored = [("Content-Type", "text/html; charset=gb2312"), ("ETag", '"old"'), ("Content-Length", "99")]
    fresh = [("ETag", '"old"'), ("Date", "Tue, 02 Mar 2021 08:00:00 GMT"), ("Content-Length", "0")]
    assert freshen(stored, fresh) == [("Content-Type", "text/html; charset=gb2312"), ("Content-Length", "99"),
                                      ("ETag", '"old"'), ("Date", "Tue, 02 Mar 2021 08:00:00 GMT")]


def test_a_post_request_record_holds_its_body(tmp_path):
    "Issue 17: a list API's POST is archived with its form, so a replay asks exactly what the crawl asked."
    form = "channelid=200210&classsql=chnlid%3D1813&page=2&prepage=10".encode("ascii")
    writer = RollingWarcWriter(tmp_path, "run5")
    written = write_exchange(writer, Exchange(
        url="http://h/fjdzapp/search", status=200, body=b'{"data": []}', method="POST",
        headers=[("Content-Type", "application/json")], request_body=form,
        request_headers=[("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")]))
    writer.close()
    with open(tmp_path / written.file, "rb") as fh:
        records = [(r.rec_type, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(fh)
                   if r.rec_type in ("request", "response")]
    (response_type, _, answer), (request_type, request_http, asked) = records
    assert (response_type, request_type, answer, asked) == ("response", "request", b'{"data": []}', form)
    assert request_http.protocol == "POST" and request_http.get_header("Content-Length") == str(len(form))
