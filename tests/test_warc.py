"""WARC files written by the capture writer open with warcio's own reader, offsets included."""
from __future__ import annotations

from warcio.archiveiterator import ArchiveIterator

from crawler.warc import RollingWarcWriter

GBK_BODY = "<html><head><meta charset=gb2312></head><body>朱镕基 政府信息公开年报</body></html>".encode("gb18030")


def test_records_round_trip_with_exact_bytes_and_offsets(tmp_path):
    writer = RollingWarcWriter(tmp_path, "run1")
    headers = [("Content-Type", "text/html; charset=gb2312"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
               ("Transfer-Encoding", "chunked")]
    name, offset = writer.write(url="http://127.0.0.2:8000/art/1.html", status=200, headers=headers,
                                body=GBK_BODY, request_headers=[("User-Agent", "xxgk-archive")])
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
    names = {writer.write(url=f"http://h/{i}", status=200, headers=[], body=b"x" * 100)[0] for i in range(3)}
    writer.close()
    assert len(names) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
