"""Extraction in worker processes: same pages, same order, and a worker that dies loses nothing."""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest

from pipelines.quality import bigram_f1
from pipelines.record import Capture
from pipelines.workers import Budget, ExtractPool
from tests.paths import ROOT
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


def table_page(cells: int) -> Capture:
    row = "".join(f"<td>{i}</td>" for i in range(cells))
    body = f"<html><body><h1>2023年政府信息公开工作年度报告</h1><table><tr>{row}</tr></table></body></html>"
    return Capture(url="http://127.0.0.2/art/big.html", body=body.encode(), role="report")


def test_a_page_over_its_time_budget_is_given_up_and_its_worker_replaced():
    # 0.3 s is far less than a 200,000-cell page takes anywhere: the budget, not the page, ends it
    pool = ExtractPool(1, Budget(seconds=0.3))
    try:
        pool.start()
        before = {p.pid for p in multiprocessing.active_children()}
        slow = asyncio.run(pool.process(table_page(200_000)))
        assert [(s, k) for s, k, _ in slow.errors] == [("extract", "timeout")]
        assert slow.text is None and slow.capture.body.startswith(b"<html>")   # the raw capture is kept
        # the next page has a new worker, and the whole budget
        normal, rep = CASES[0]
        pool.budget = Budget(seconds=60)
        page = asyncio.run(pool.process(normal))
        assert page.errors == [] and page.metadata.title == rep["title"]
        assert {p.pid for p in multiprocessing.active_children()}.isdisjoint(before)
        pool.budget = Budget(seconds=0.3)
        (page,) = list(pool.map([table_page(200_000)]))
        assert [(s, k) for s, k, _ in page.errors] == [("extract", "timeout")]
    finally:
        pool.close()


def test_a_page_over_its_memory_budget_is_too_complex():
    # a worker's address space after its imports is ~250 MB; 450 MB leaves a normal page room and a
    # 1,500,000-cell page (a tree of some 600 MB) none
    pool = ExtractPool(1, Budget(seconds=300, memory=450 << 20))
    try:
        normal, rep = CASES[0]
        assert asyncio.run(pool.process(normal)).metadata.title == rep["title"]
        page = asyncio.run(pool.process(table_page(1_500_000)))
        assert [(s, k) for s, k, _ in page.errors] in ([("extract", "too_complex")], [("extract", "WorkerDied")])
        assert asyncio.run(pool.process(normal)).metadata.title == rep["title"]   # a fresh worker
    finally:
        pool.close()


PARENT = """
import sys, time
from pipelines.workers import Budget, ExtractPool
from tests.paths import ROOT
pool = ExtractPool(1)
pool.start()
time.sleep(1)
print(*[p.pid for p in __import__("multiprocessing").active_children()], flush=True)
time.sleep(600)
"""


def test_workers_die_with_their_parent_even_after_kill_9(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text("if __name__ == '__main__':\n" + "\n".join("    " + line for line in PARENT.strip().splitlines()))
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    children = [int(pid) for pid in parent.stdout.readline().split()]
    assert children
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in children), "a worker outlived its killed parent"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "State:\tZ" not in fh.read()
    except FileNotFoundError:
        return False
