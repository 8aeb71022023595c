"""The README documents every project setting and every reports column (sqlite-utils' test_docs pattern)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler import settings
from pipelines.store.schema import REPORT_COLUMNS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
XXGK_SETTINGS = sorted(name for name in vars(settings) if name.startswith("XXGK_")) + ["ARCHIVE_DIR"]


@pytest.mark.parametrize("name", XXGK_SETTINGS)
def test_setting_is_in_the_settings_table(name):
    assert re.search(rf"^\| `{name}` \|", README, re.M), f"{name} missing from the README Settings table"


@pytest.mark.parametrize("column", sorted(REPORT_COLUMNS))
def test_reports_column_is_documented(column):
    rows = [line for line in README.splitlines() if line.startswith("| `") and f"`{column}`" in line.split("|")[1]]
    assert rows, f"reports column {column} missing from 'What gets stored'"


def test_readme_opens_with_the_two_commands():
    block = README.split("```", 2)[1].strip().splitlines()
    assert [line.split("#")[0].strip() for line in block] == ["make demo", "make test"]
