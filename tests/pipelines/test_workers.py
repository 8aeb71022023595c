"""Extraction in worker processes: same pages, same order, and a worker that dies loses nothing."""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import signal

import pytest

from pipelines.quality import bigram_f1
from pipelines.record import Capture
from pipelines.workers import ExtractPool
from crawler.demo.portal import PORTAL_DIR

PORTAL = PORTAL_DIR
MANIFEST = json.loads((PORTAL / "manifest.json").read_text("utf-8"))


def report_captures() -> list[tuple[Capture, dict]]:
    "(capture of the served bytes, the generator's expectations) for every demo report page."
    sites = {s["name"]: s for s in MANIFEST["sites"]}
    out = []
    for report in MANIFEST["reports"]:
        if report["text_source"] != "html":
            continue   # the page shows the report in a viewer: its text is the file's
        site = sites[report["site"]]
        # a report paged over several URLs: each page against its own part of the text
        for page, text in zip(report["pages"] or [report["path"]], report["page_texts"] or [report["expected_text"]]):
            rep = {**report, "path": page, "expected_text": text}
            path, _, query = rep["path"].partition("?")
            f = next(f for f in site["files"] if f["path"] == path and (f.get("query") or "") == query)
            body = (PORTAL / site["root"] / f["file"]).read_bytes()
            out.append((Capture(url=f"http://{site['host']}{rep['path']}", body=body,
                                headers=[("Content-Type", f["content_type"])]), rep))
    return out


CASES = report_captures()
TEXT_F1_FLOOR = 0.95  # as tests/e2e/test_crawl.py: the stored text against the generator's


def assert_extracted(pages, cases) -> None:
    assert [p.capture.url for p in pages] == [c.url for c, _ in cases]
    for page, (capture, rep) in zip(pages, cases):
        assert page.capture is capture and page.errors == []
        assert page.metadata.title == rep["title"]
        assert page.metadata.published == rep["published"]
        expected = (PORTAL / rep["expected_text"]).read_text("utf-8")
        assert bigram_f1(page.text, expected, title=rep["title"]) >= TEXT_F1_FLOOR


@pytest.mark.parametrize("workers", [0, 2])
def test_map_gives_every_page_in_order(workers):
    pool = ExtractPool(workers)
    try:
        assert_extracted(list(pool.map(c for c, _ in CASES)), CASES)
    finally:
        pool.close()


def test_process_awaits_a_worker():
    pool = ExtractPool(1)

    async def run():
        return await asyncio.gather(*(pool.process(c) for c, _ in CASES))

    try:
        assert_extracted(asyncio.run(run()), CASES)
    finally:
        pool.close()


def kill_workers(pool: ExtractPool) -> None:
    "The OOM killer's way: SIGKILL, no exception, no goodbye."
    pool.start()
    workers = multiprocessing.active_children()
    assert workers
    for worker in workers:
        os.kill(worker.pid, signal.SIGKILL)
    for worker in workers:
        worker.join(10)


def test_pages_sent_to_a_killed_worker_are_extracted_again(caplog):
    pool = ExtractPool(1)
    try:
        kill_workers(pool)
        assert_extracted(list(pool.map(c for c, _ in CASES)), CASES)
        kill_workers(pool)

        async def run():
            return await asyncio.gather(*(pool.process(c) for c, _ in CASES))

        assert_extracted(asyncio.run(run()), CASES)
    finally:
        pool.close()
    assert sum("an extraction worker died" in r.getMessage() for r in caplog.records) == 2
