"""A demo crawl for the reading-room tests (search, feed exports, progress, Datasette): run twice into
one archive, the first time with feed exports, as a user would after `make demo`."""
from __future__ import annotations

import json

import pytest

from crawler.demo.portal import PORTAL_DIR
from tests.conftest import run_crawl

MANIFEST = json.loads((PORTAL_DIR / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory):
    from crawler.demo.portal.server import PortalServer

    tmp = tmp_path_factory.mktemp("reading-room")
    archive = tmp / "archive"
    with PortalServer() as server:
        first = run_crawl(server.start_urls(), archive, "XXGK_PROGRESS_INTERVAL=0.2", "DOWNLOAD_DELAY=0.05",
                          feeds=[str(tmp / "reports.jsonl"), str(tmp / "reports.csv")])
        second = run_crawl(server.start_urls(), archive)
        urls = {r["id"]: server.url(r["site"], r["path"]) for r in MANIFEST["reports"]}
    return {"archive": archive, "db": archive / "reports.db", "first": first, "second": second, "tmp": tmp,
            "urls": urls, "manifest": MANIFEST}
