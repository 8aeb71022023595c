"""`python -m pipelines.extract` on the real portal pages of ../shared/realpages (skipped when absent).

Expected values come from the realpages manifest, read off each page by hand.
"""
from __future__ import annotations

import json
import re

import pytest

from pipelines.extract import extract_page, main
from tests.paths import REALPAGES

pytestmark = pytest.mark.skipif(not (REALPAGES / "manifest.json").exists(), reason="../shared/realpages absent")
ENTRIES = json.loads((REALPAGES / "manifest.json").read_text("utf-8")) if REALPAGES.exists() else []


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


@pytest.fixture(scope="module")
def rows():
    return {e["file"]: extract_page((REALPAGES / e["file"]).read_bytes(), url=e["url"] or f"http://example.gov.cn/{e['file']}")
            for e in ENTRIES}


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["file"])
def test_body_kept_chrome_dropped(rows, entry):
    text = squash(rows[entry["file"]]["text"])
    first = squash(entry.get("body_first_prose_chars") or entry["body_first_chars"])
    last = squash(entry["body_last_chars"])
    assert first in text and last in text
    assert text.index(first) < text.rindex(last)
    leaked = [c for c in entry["chrome_samples"] if squash(c) in text]
    assert leaked == []


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["file"])
def test_title_is_the_heading(rows, entry):
    assert squash(rows[entry["file"]]["title"]) == squash(entry["title"])


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["metadata_kind"] == "xxgk_block"], ids=lambda e: e["file"])
def test_index_no_and_publisher(rows, entry):
    labels = {squash(k): v for k, v in entry["metadata"].items()}
    row = rows[entry["file"]]
    assert row["index_no"] == labels["索引号"]
    if "发布机构" in labels:
        assert row["publisher"] == labels["发布机构"]


def test_command_prints_one_json_row(capsys):
    page = REALPAGES / "05-ucap-yichun-tjgb-2022.html"
    assert main([str(page), "--url", "http://www.yichun.gov.cn/a.shtml",
                 "--content-type", "text/html; charset=utf-8"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["url"] == "http://www.yichun.gov.cn/a.shtml"
    assert row["encoding"] == "utf-8" and row["script"] == "hans"
    assert "" not in row.values()


def test_command_unreadable_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "missing.html")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot read")
