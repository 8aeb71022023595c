"""Issue 21: the crawl's per-URL lookups in the capture index cost the same for a URL captured once and
for one captured every night for a year (counted in SQLite VM steps, not seconds)."""
from __future__ import annotations

from pipelines.store import CaptureIndex, Store, capture_row
from pipelines.warc import IDENTICAL_PAYLOAD, SERVER_NOT_MODIFIED, Original

URL = "http://127.0.0.2/art/2021/3/1/art_1_1.html"
DIGEST = "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
NIGHTS = 365


def steps(db, lookup) -> tuple[int, object]:
    "SQLite virtual-machine steps (in hundreds) ``lookup`` took, and what it returned."
    count = [0]

    def tick() -> int:
        count[0] += 1
        return 0

    db.conn.set_progress_handler(tick, 100)
    try:
        found = lookup()
    finally:
        db.conn.set_progress_handler(None, 100)
    return count[0], found


def response(url: str, n: int) -> dict:
    return capture_row(url=url, date=f"2026-01-01T00:00:{n % 60:02d}Z", record_id=f"<urn:uuid:r{n}>",
                       rec_type="response", status=200, headers=[("ETag", f'"{n}"')], warc_file="a.warc.gz",
                       warc_offset=100 * n, role="report", run_id="r0", length=1000, digest=DIGEST if url == URL
                       else f"sha1:{n:032d}")


def night(first: dict, n: int) -> dict:
    "Night ``n``'s capture of URL: a 304 one night, the same bytes again (an identical-payload revisit) the next."
    original = {"digest": DIGEST, "payload_file": first["warc_file"], "payload_offset": first["warc_offset"],
                "etag": first["etag"], "last_modified": None}
    status, profile = (304, SERVER_NOT_MODIFIED) if n % 2 else (200, IDENTICAL_PAYLOAD)
    return capture_row(url=URL, date=f"2026-{1 + n // 31 % 12:02d}-{1 + n % 28:02d}T02:00:00Z",
                       record_id=f"<urn:uuid:n{n}>", rec_type="revisit", status=status, headers=[],
                       warc_file=f"n{n}.warc.gz", warc_offset=n, role="report", run_id=f"n{n}", length=1000,
                       original=original, refers_to=Original(first["record_id"], URL, first["date"]), profile=profile)


def test_lookups_of_a_url_do_not_read_its_whole_history(tmp_path):
    store = Store(tmp_path / "reports.db")
    index = CaptureIndex(store.db)
    for n in range(200):   # other URLs, so that a scan of the table would show too
        index.add(response(f"http://127.0.0.2/other/{n}.html", n))
    first = response(URL, 7)
    index.add(first)
    lookups = {"last_capture": lambda: index.last_capture(URL), "original": lambda: index.original(DIGEST, URL),
               "last_seen": lambda: index.last_seen(URL)}
    once = {name: steps(store.db, fn) for name, fn in lookups.items()}
    assert once["last_capture"][1]["record_id"] == first["record_id"]
    assert once["original"][1]["record_id"] == first["record_id"]
    for n in range(NIGHTS):
        index.add(night(first, n))
    year = {name: steps(store.db, fn) for name, fn in lookups.items()}
    # what they find: the newest capture (night 364's revisit, its payload in the first response), the response
    assert year["last_capture"][1]["record_id"] == f"<urn:uuid:n{NIGHTS - 1}>"
    assert year["last_capture"][1]["payload_offset"] == first["warc_offset"]
    assert year["original"][1]["record_id"] == first["record_id"]
    assert year["last_seen"][1] == max(night(first, n)["date"] for n in range(NIGHTS))
    for name in lookups:
        assert year[name][0] <= 2 * once[name][0] + 2, (name, once[name][0], year[name][0])
    store.close()
