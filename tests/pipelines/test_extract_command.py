"""Issue 22: `python -m pipelines.extract` rejects a binary or oversized input with one line and exit code 2,
and never reads more than its limit (on /dev/zero it used to die with MemoryError)."""
from __future__ import annotations

import gzip
import os
import random
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

PAGE = ROOT / "crawler" / "demo" / "portal" / "sites"
MEMORY = 2 << 30   # address space the command may use: reading /dev/zero unbounded must fail here, not the machine


def one_page(path: Path | str, *extra: str) -> subprocess.CompletedProcess:
    def cap_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "pipelines.extract", str(path), *extra], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, preexec_fn=cap_memory)


def one_line_exit_2(done: subprocess.CompletedProcess, *expected: str) -> None:
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr[-2000:]
    for piece in expected:
        assert piece in lines[0]


BINARY = {
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8,
    "gzip": gzip.compress("<html><body><p>年度报告</p></body></html>".encode("utf-8") * 50),
    "png": b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(4000),
    "control characters": random.Random(2).randbytes(6000).replace(b"\x1f\x8b", b"ab"),
    "zeros": bytes(5000),
}


@pytest.mark.parametrize("kind", sorted(BINARY))
def test_binary_input_is_one_line_and_exit_2(tmp_path, kind):
    path = tmp_path / "page.html"
    path.write_bytes(BINARY[kind])
    one_line_exit_2(one_page(path), "not a text page", str(path))


def test_dev_zero_is_refused_without_reading_it_all():
    one_line_exit_2(one_page("/dev/zero"), "larger than 8388608 bytes")


def test_oversized_page_is_refused(tmp_path):
    path = tmp_path / "big.html"
    path.write_bytes(b"<html><body>" + "<p>年度报告正文。</p>".encode("utf-8") * 400_000 + b"</body></html>")
    assert path.stat().st_size > 8 * 1024 * 1024
    one_line_exit_2(one_page(path), "larger than 8388608 bytes", "--max-size")


def test_a_saved_page_still_prints_its_row_within_its_limit():
    page = next(PAGE.glob("*/detail.jsp@id=101"))
    done = one_page(page, "--content-type", "text/html; charset=utf-8")
    assert done.returncode == 0, done.stderr[-2000:]
    assert '"title": "三明市梅列区2020年政府信息公开工作年度报告"' in done.stdout
    size = page.stat().st_size
    one_line_exit_2(one_page(page, "--max-size", str(size - 1)), f"larger than {size - 1} bytes")
    assert one_page(page, "--max-size", str(size)).returncode == 0
