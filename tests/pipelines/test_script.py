"""Script stage: hans/hant/mixed, OpenCC t2s, and verified pinyin-annotation stripping (seed-like texts)."""
from __future__ import annotations

import re

import pytest

from pipelines.script import ScriptInfo, detect_script, strip_pinyin, to_simplified
from tests import paths

DATA = paths.DATA / "script"
SEED000 = (DATA / "seed000_hans.txt").read_text(encoding="utf-8")   # Simplified
SEED002 = (DATA / "seed002_hant_pinyin.txt").read_text(encoding="utf-8")  # Traditional + 網(wǎng)
SEED004 = (DATA / "seed004_hant.txt").read_text(encoding="utf-8")   # Traditional, no pinyin

# oracle for the seed excerpt: every lowercase-latin bracket group in it is an annotation (checked by eye)
NAIVE_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@pytest.mark.parametrize("text, script", [
    (SEED000, "hans"), (SEED002, "hant"), (SEED004, "hant"),
    (strip_pinyin(SEED002)[0], "hant"),
    (SEED000[:700] + SEED004[:700], "mixed"),
    ("", "hans"), ("2020 | 12 | 3", "hans"), ("人民政府", "hans"),  # no evidence either way
])
def test_detect_script(text, script):
    assert detect_script(text).script == script


def test_ratios_are_shares_of_cjk():
    info = detect_script(SEED004)
    assert isinstance(info, ScriptInfo)
    assert info.trad_ratio > 0.2 and info.simp_ratio < 0.05
    info = detect_script(SEED000)
    assert info.simp_ratio > 0.2 and info.trad_ratio < 0.05


def test_stray_characters_do_not_flip_the_script():
    # seed 002's byte-shift mojibake is Simplified (罢粕衔寄稀); a Simplified page quoting a Traditional name
    assert "罢粕衔寄稀" in SEED002 and detect_script(SEED002).script == "hant"
    assert detect_script(SEED000 + "《額濟納旗報告》").script == "hans"


def test_to_simplified():
    assert to_simplified("額濟納旗人民政府2014年度政府信息公開年度報告") == "额济纳旗人民政府2014年度政府信息公开年度报告"
    assert "网站主动公开信息" in to_simplified(strip_pinyin(SEED002)[0])
    assert to_simplified(SEED000) == SEED000
    assert to_simplified("") == ""


def test_strip_pinyin_on_seed002_matches_the_naive_oracle():
    expected, n = NAIVE_PINYIN.subn("", SEED002)
    assert n > 50
    assert strip_pinyin(SEED002) == (expected, n)


@pytest.mark.parametrize("text", [SEED000, SEED004])
def test_strip_pinyin_leaves_texts_without_annotations_alone(text):
    assert strip_pinyin(text) == (text, 0)


@pytest.mark.parametrize("text, stripped, count", [
    ("網(wǎng)站", "網站", 1),
    ("網（wǎng）站", "網站", 1),                      # full-width brackets, as raw pages have them
    ("政( zheng )府(fu)", "政府", 2),                 # toneless, spaces inside
    ("政(zheng)(zheng)府(fu)", "政府", 2),            # stacked groups: one annotated character
    ("一(yī / yì /yí)個", "一個", 1),                  # multi-reading
    ("行(háng / xíng)業", "行業", 1),
    ("綠(lǜ)色 綠(lv)色 綠(lü)色", "綠色 綠色 綠色", 3),  # ü, v and ü spellings
    ("服務(wù)大廳", "服務大廳", 1),                    # Traditional character, reading of its t2s form
    ("政(zheng)(fu)府", "政(fu)府", 1),               # the second group is not a reading of 政
])
def test_strip_pinyin_positive(text, stripped, count):
    assert strip_pinyin(text) == (stripped, count)


@pytest.mark.parametrize("text", [
    "国内生产总值(GDP)增长", "下载(APP)", "“掌上渭南”APP(iOS)", "情况(a)及(b)", "（一）主动公开", "(一)总体情况",
    "公司(gongsi)", "中国(china)", "2020年(2021)", "见附件(pdf)", "網 (wǎng)",  # space: not attached
    "第三(3)条", "说明(shuo ming)",  # two syllables in one slot: not one character's reading
])
def test_strip_pinyin_negative(text):
    assert strip_pinyin(text) == (text, 0)
