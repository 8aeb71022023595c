"""report_stats / stats_checks from the seeds' flattened tables, against values typed by hand from the seed
texts (tests/data/tables/seed_*.txt), and from pages that print them as paragraphs (issue 15)."""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

import pytest

from pipelines.extract import extract_page
from pipelines.script import strip_pinyin, to_simplified
from pipelines.tables.stats import Stats, parse_stats
from tests.paths import DATA, ROOT

FIXTURES = DATA / "tables"
SEEDS = ROOT / "crawler" / "demo" / "portal" / "seeds"


@dataclass
class Expected:
    template: str = ""
    report_year: int | None = None
    cells: dict[tuple[str, str, str], tuple[str, object, str | None]] = field(default_factory=dict)
    checks: dict[str, tuple[str, list]] = field(default_factory=dict)
    total_checks: int = 0


def _number(text: str):
    value = float(text)
    return int(value) if value.is_integer() else value


def load(name: str) -> Expected:
    "The fixture format of tests/data/tables/README.md."
    exp, section, columns = Expected(), None, []
    for line in (FIXTURES / f"{name}.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, *rest = line.split()
        if word == "template":
            exp.template = rest[0]
        elif word == "report_year":
            exp.report_year = int(rest[0])
        elif word == "section":
            section = rest[0]
        elif word == "columns":
            columns = [c.partition(":") for c in rest]
        elif word == "check":
            exp.checks[rest[0]] = (rest[1], [_number(x) for x in rest[2:]])
        elif word == "checks-pass-otherwise":
            exp.total_checks = int(rest[0])
        else:
            assert len(rest) == len(columns), line
            for (col, _, col_unit), token in zip(columns, rest):
                raw, _, printed_value = token.partition("=")
                unit = None if col_unit in ("", "-") else col_unit
                if raw == "_":
                    raw, value = "", None
                elif printed_value:
                    digits = printed_value.rstrip("元万件项")
                    value, unit = _number(digits), printed_value[len(digits):] or unit
                else:
                    value = _number(raw)
                exp.cells[(section, word, col)] = (raw, value, unit)
    return exp


def seed_text(num: str) -> str:
    (path,) = SEEDS.glob(f"{num}_*.txt")
    return path.read_text("utf-8")


def as_stored(text: str) -> str:
    "The seed as the pipeline hands it to the parser: pinyin annotations out, in Simplified."
    return to_simplified(strip_pinyin(text)[0])


def assert_matches(stats: Stats, exp: Expected, source: str) -> None:
    got = {(v.section, v.row_key, v.col_key): v for v in stats.values}
    assert stats.template == exp.template
    assert sorted(set(exp.cells) - set(got)) == [], "cells not read"
    assert sorted(set(got) - set(exp.cells)) == [], "cells read that the tables do not print"
    wrong = {k: (got[k].raw, got[k].value, got[k].unit) for k, want in exp.cells.items()
             if (got[k].raw, got[k].value, got[k].unit) != want}
    assert wrong == {}, {k: (wrong[k], exp.cells[k]) for k in list(wrong)[:5]}
    assert {v.source for v in stats.values} == {source}
    verdicts = {c.check: c for c in stats.checks}
    assert len(verdicts) == len(stats.checks) == exp.total_checks
    for name, check in verdicts.items():
        want, sums = exp.checks.get(name, ("pass", []))
        got_verdict = {True: "pass", False: "fail", None: "cannot"}[check.ok]
        assert got_verdict == want, (name, check)
        if sums:
            assert [check.expected, check.found] == sums, (name, check)
        if want == "cannot":
            assert check.detail


@pytest.mark.parametrize("num", ["000", "001", "002"])
def test_seed_text_parses_to_the_hand_typed_cells_and_verdicts(num):
    exp = load(f"seed_{num}")
    stats = parse_stats([], as_stored(seed_text(num)), exp.report_year)
    assert_matches(stats, exp, "text")


def paragraphs_page(text: str, title: str) -> bytes:
    "The seed as a page whose CMS printed the tables as paragraphs, one <p> per line."
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<h1>{title}</h1><div class='TRS_Editor'>{body}</div></body></html>").encode("utf-8")


@pytest.mark.parametrize("num", ["000", "001", "002"])
def test_a_page_printing_the_tables_as_paragraphs_gives_the_same_cells(num):
    "The whole one-page path: cleaned text, pinyin stripped, Simplified, then the stats stage."
    exp = load(f"seed_{num}")
    row = extract_page(paragraphs_page(seed_text(num), f"{exp.report_year}年政府信息公开工作年度报告"))
    stats = row["stats"]
    got = {(v["section"], v["row_key"], v["col_key"]): (v["raw"], v["value"], v["unit"]) for v in stats["values"]}
    assert stats["template"] == exp.template
    assert got == exp.cells
    assert json.loads(row["tables"] or "[]") == []


def test_the_template_is_read_from_the_labels_only_one_template_prints():
    from pipelines.tables.stats import detect_template

    assert detect_template("信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数", 2020) == "2021"
    assert detect_template("第二十条第（九）项", 2022) == "2019"
    assert detect_template("一、总体情况 二、主动公开政府信息情况", 2014) == "legacy"


def test_a_legacy_free_form_table_keeps_only_standard_labels():
    "Seed 000's 政府信息公开统计表 (pre-2019 form) alone: nothing maps onto the standard keys, nothing is guessed."
    text = as_stored(seed_text("000"))
    legacy = text[text.index("附件2"):]
    stats = parse_stats([], legacy, 2013)
    assert stats.template == "legacy" and stats.values == []
    assert [c.check for c in stats.checks] == ["non_negative", "report_year"]
    assert all(c.ok is None for c in stats.checks)


def test_a_table_printed_one_cell_a_paragraph_without_pipes_is_read_too():
    "Seed 001 as a CMS that wrote every cell as its own paragraph: labels, then their values one a line."
    exp = load("seed_001")
    lines = [line.replace("|", "").strip() for line in seed_text("001").split("\n")]
    stats = parse_stats([], as_stored("\n".join(x for x in lines if x)), exp.report_year)
    assert_matches(stats, exp, "text")
