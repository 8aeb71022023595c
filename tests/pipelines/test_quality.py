"""The quality measure (pipelines.quality) and the cleaner's quality gate on the labelled set."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from pipelines.quality import bigram_f1, normalize_for_quality
from tests.clean_quality import DATA, Case, cases_from, labelled_cases, leaked, ours, portal_cases, score

# floors measured honestly (python -m tests.clean_quality): ours is 1.000 on every page today;
# the floor leaves room for harmless drift, not for a lost paragraph (one lost row costs ~0.01)
MEAN_F1_FLOOR = 0.99
PAGE_F1_FLOOR = 0.97


# --- the measure ---------------------------------------------------------------------------

def test_normalize_drops_whitespace_punctuation_and_separators():
    assert normalize_for_quality("一、总体情况\n规章 | 0 | 0\n（一）全角，标点！") == "一总体情况规章00一全角标点"


def test_normalize_applies_nfkc():
    assert normalize_for_quality("ＡＢＣ１２３") == "ABC123"


def test_leading_title_copy_is_ignored():
    title = "某某局2020年政府信息公开工作年度报告"
    assert normalize_for_quality(f"{title}\n正文内容", title) == "正文内容"
    assert normalize_for_quality("正文内容", title) == "正文内容"
    assert bigram_f1(f"{title}\n正文内容在此", "正文内容在此", title) == 1.0


def test_f1_edges():
    assert bigram_f1("", "") == 1.0
    assert bigram_f1("正文", "") == 0.0
    assert bigram_f1("", "正文") == 0.0
    assert bigram_f1("甲", "甲") == 1.0
    assert bigram_f1("甲乙丙丁", "戊己庚辛") == 0.0


def test_f1_counts_repeats_and_is_symmetric():
    assert bigram_f1("abab", "ab") == pytest.approx(2 * (1 / 3) * 1 / (1 / 3 + 1))
    assert bigram_f1("一二三四五", "一二三") == bigram_f1("一二三", "一二三四五")


def test_f1_ignores_layout_but_not_content():
    assert bigram_f1("规章 | 0 | 0\n规范性文件 | 1", "规章00规范性文件1") == 1.0
    assert bigram_f1("规章 | 0 | 0", "规章 | 0 | 1") < 1.0


# --- the labelled set ----------------------------------------------------------------------

def test_set_loader_accepts_triples(tmp_path):
    html, exp = tmp_path / "p.html", tmp_path / "p.txt"
    html.write_bytes("<html><body><div class='content'><p>正文内容</p></div></body></html>".encode("gb18030"))
    exp.write_text("正文内容", encoding="utf-8")
    cases = labelled_cases([(html, exp, "gb18030")])
    assert cases[-1] == Case("p", html, exp, "gb18030")
    assert cases_from([cases[-1]]) == [cases[-1]]
    [ours] = [s for s in score(cases[-1:]) if s.extractor == "ours"]
    assert ours.f1 == 1.0


def test_leak_check_is_whitespace_insensitive():
    assert leaked("网站 标识码：1\n正文", ["网站标识码：1", "ICP备"]) == ["网站标识码：1"]


def test_labelled_pages_are_reproducible_from_the_builder(tmp_path):
    spec = importlib.util.spec_from_file_location("build_pages", DATA / "build_pages.py")
    builder = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = builder          # dataclasses look their module up there
    try:
        spec.loader.exec_module(builder)
        manifest = builder.build(tmp_path)
    finally:
        del sys.modules[spec.name]
    assert manifest == json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest:
        for key in ("html", "expected"):
            assert (tmp_path / entry[key]).read_bytes() == (DATA / entry[key]).read_bytes(), entry[key]


# our labelled set plus the demo portal's report pages (expected texts written by its generator,
# independently of this cleaner)
GATE_CASES = labelled_cases() + portal_cases()


@pytest.fixture(scope="module")
def scores():
    return score(GATE_CASES, {"ours": ours})


def test_quality_gate_mean_f1(scores):
    mean = sum(s.f1 for s in scores) / len(scores)
    assert mean >= MEAN_F1_FLOOR, [(s.case, round(s.f1, 3)) for s in scores]


@pytest.mark.parametrize("name", [c.name for c in GATE_CASES])
def test_quality_gate_per_page(scores, name):
    [s] = [s for s in scores if s.case == name]
    assert s.f1 >= PAGE_F1_FLOOR
    assert s.spam == [], "spam leaked"
    assert s.chrome == [], "chrome leaked"


def test_gate_covers_every_cms_shape():
    names = {c.name.split("_")[0] for c in labelled_cases()}
    assert {"hanweb", "trs", "ucap", "plain", "layout", "content"} <= names
    assert all(Path(c.html_path).exists() and Path(c.expected_path).exists() for c in labelled_cases())
