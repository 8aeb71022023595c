"""Issue 22: every XXGK_ setting is checked before a crawl, type and range; a mistake is one line, exit 2."""
from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.settingscheck import RULES, check_settings
from tests.crawler.test_portalfile import one_line_exit_2, scrapy_crawl

DEFINED = sorted(name for name in vars(project_settings) if name.startswith("XXGK_"))


def settings_with(**values) -> Settings:
    s = Settings()
    s.setmodule(project_settings, priority="project")
    for name, value in values.items():
        s.set(name, value, priority="cmdline")
    return s


def test_every_project_setting_has_a_rule_and_every_rule_a_setting():
    assert sorted(RULES) == DEFINED


def test_the_shipped_defaults_pass():
    assert check_settings(settings_with()) is None


# what `-s NAME=VALUE` hands over (always a string), and whether it must be refused
CASES = [
    ("XXGK_RESUME", "no", "must be True or False"),     # bool("no") is True: the reason for the rule
    ("XXGK_RESUME", "yes", "must be True or False"),
    ("XXGK_RESUME", "false", None), ("XXGK_RESUME", "0", None), ("XXGK_WARC_ENABLED", "True", None),
    ("XXGK_WARC_DEDUP", "2", "must be True or False"),
    ("XXGK_CONDITIONAL_GET", "", "must be True or False"),
    ("XXGK_PAGE_MAXSIZE", "8MiB", "must be a whole number >= 1"),
    ("XXGK_PAGE_MAXSIZE", "0", "must be a whole number >= 1"),
    ("XXGK_PAGE_MAXSIZE", "-5", "must be a whole number >= 1"),
    ("XXGK_PAGE_MAXSIZE", "1e6", "must be a whole number"),
    ("XXGK_PAGE_MAXSIZE", "1048576", None),
    ("XXGK_ATTACHMENT_MAXSIZE", "lots", "must be a whole number"),
    ("XXGK_MAX_PAGES_PER_PORTAL", "0", "must be a whole number >= 1"),
    ("XXGK_MAX_LIST_PAGES", "0", None), ("XXGK_MAX_LIST_PAGES", "3.5", "must be a whole number"),
    ("XXGK_MAX_URL_LENGTH", "10", "must be a whole number >= 32"),
    ("XXGK_NAV_DEPTH", "-1", "must be a whole number from 0 to 100"),
    ("XXGK_FTS_BATCH", "0", "must be a whole number >= 1"),
    ("XXGK_EXTRACT_WORKERS", "auto", None), ("XXGK_EXTRACT_WORKERS", "0", None),
    ("XXGK_EXTRACT_WORKERS", "two", "must be a whole number from 0 to 256 or auto"),
    ("XXGK_EXTRACT_WORKERS", "", "must be a whole number"),
    ("XXGK_RETRY_AFTER_MAX", "1.5", None), ("XXGK_RETRY_AFTER_MAX", "-1", "must be a number >= 0"),
    ("XXGK_RETRY_AFTER_MAX", "nan", "must be a number >= 0"), ("XXGK_RETRY_AFTER_MAX", "inf", "must be a number"),
    ("XXGK_WINDOW_RECHECK_HOURS", "a day", "must be a number >= 0"),
    ("XXGK_WARC_MAX_SIZE", "1GB", "must be a whole number >= 1"),
    ("XXGK_MODE", "fast", "must be one of normal, window"),
    ("XXGK_PAGE_MAXSZE", "1000", "unknown setting XXGK_PAGE_MAXSZE"),   # a typo changes nothing, silently
    ("ARCHIVE_DIR", "", "ARCHIVE_DIR is empty"), ("ARCHIVE_DIR", "  ", "ARCHIVE_DIR is empty"),
]


@pytest.mark.parametrize("name,value,problem", CASES, ids=[f"{n}={v!r}" for n, v, _ in CASES])
def test_setting_value(name, value, problem):
    found = check_settings(settings_with(**{name: value}))
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found and name in found


def test_bad_number_in_a_setting_exits_2_with_one_line(tmp_path):
    done = scrapy_crawl("-a", "start_urls=http://127.0.0.2:9/", "-s", f"ARCHIVE_DIR={tmp_path / 'a'}",
                        "-s", "XXGK_FTS_BATCH=many")
    one_line_exit_2(done, "XXGK_FTS_BATCH must be a whole number >= 1, not 'many'")
    assert not (tmp_path / "a").exists()


def test_non_boolean_setting_exits_2_with_one_line(tmp_path):
    done = scrapy_crawl("-a", "start_urls=http://127.0.0.2:9/", "-s", f"ARCHIVE_DIR={tmp_path / 'a'}",
                        "-s", "XXGK_RESUME=no")
    one_line_exit_2(done, "XXGK_RESUME must be True or False")
