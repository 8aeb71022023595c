"""Every ``XXGK_`` setting checked once, before a crawl starts: its type and its range.

A value Scrapy's ``getint``/``getbool`` cannot read would otherwise be a traceback deep inside a
component (or, for ``bool('no')``, read as true); a name nobody reads is a typo that would silently
change nothing. ``check_settings`` returns the first problem as one line for the user, or None.
Each setting of crawler/settings.py has its rule here (tests/crawler/test_settingscheck.py holds
the two to each other and to the README's Settings table).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from crawler.spidermiddlewares.windowmode import MODES

# Scrapy's own Settings.getbool reads exactly these; anything else raises there
TRUE, FALSE = {True, 1, "1", "True", "true"}, {False, 0, "0", "False", "false"}


@dataclass(frozen=True)
class Rule:
    kind: str                        # "int", "float", "bool", "choice", "str" (checked where it is used)
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()    # "choice": the allowed words; "int" also takes these words

    def problem(self, name: str, value: Any) -> str | None:
        if self.kind == "str":
            return None if isinstance(value, str) else f"{name} must be text, not {value!r}"
        if self.kind == "bool":
            if _hashable(value) and (value in TRUE or value in FALSE) and not isinstance(value, float):
                return None
            return f"{name} must be True or False (or 1/0), not {value!r}"
        if self.kind == "choice":
            if value in self.choices:
                return None
            return f"{name} must be one of {', '.join(self.choices)}, not {value!r}"
        if isinstance(value, str) and value in self.choices:
            return None
        number = _number(value, self.kind)
        words = f" or {' / '.join(self.choices)}" if self.choices else ""
        what = ("a whole number" if self.kind == "int" else "a number") + self.range_text() + words
        if number is None or (self.low is not None and number < self.low) or \
                (self.high is not None and number > self.high):
            return f"{name} must be {what}, not {value!r}"
        return None

    def range_text(self) -> str:
        if self.low is not None and self.high is not None:
            return f" from {self.low:g} to {self.high:g}"
        if self.low is not None:
            return f" >= {self.low:g}"
        return ""


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _number(value: Any, kind: str) -> float | None:
    "The value as Scrapy's getint/getfloat would read it, or None where they would raise (or read nonsense)."
    if isinstance(value, bool):
        return None
    try:
        number = int(value) if kind == "int" else float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


RULES: dict[str, Rule] = {
    "XXGK_ATTACHMENT_MAXPAGES": Rule("int", 1),
    "XXGK_ATTACHMENT_MAXSIZE": Rule("int", 1),
    "XXGK_ATTACHMENT_OCR": Rule("bool"),
    "XXGK_ATTACHMENT_TIMEOUT": Rule("float", 1),
    "XXGK_CHROMIUM": Rule("str"),        # a path or a name on PATH: crawler.rendering looks it up
    "XXGK_CLUSTER_FINISHED_HOURS": Rule("float", 0),
    "XXGK_FRONTIER": Rule("str"),        # a redis:// URL: crawler.cluster.check says what is wrong with it
    "XXGK_LEASE_SECONDS": Rule("float", 1),
    "XXGK_WORKER_ID": Rule("str"),
    "XXGK_CONDITIONAL_GET": Rule("bool"),
    "XXGK_COVERAGE_DUE": Rule("str"),    # MM-DD: crawler.coverage.due_problem says what is wrong with it
    "XXGK_EXTRACT_MAX_MEMORY": Rule("int", 0),       # 0: no cap
    "XXGK_EXTRACT_TIMEOUT": Rule("float", 0.001),
    "XXGK_EXTRACT_WORKERS": Rule("int", 0, 256, choices=("auto",)),
    "XXGK_FTS_BATCH": Rule("int", 1),
    "XXGK_MAX_LIST_PAGES": Rule("int", 0),
    "XXGK_MAX_PAGES_PER_PORTAL": Rule("int", 1),
    "XXGK_MAX_REPORT_PAGES": Rule("int", 1),
    "XXGK_MAX_URL_LENGTH": Rule("int", 32),   # shorter, and every homepage is a "trap"
    "XXGK_MODE": Rule("choice", choices=MODES),
    "XXGK_NAV_DEPTH": Rule("int", 0, 100),
    "XXGK_PAGE_MAXSIZE": Rule("int", 1),
    "XXGK_PROGRESS_INTERVAL": Rule("float", 0),
    "XXGK_RENDER": Rule("choice", choices=("auto", "always", "never")),
    "XXGK_RENDER_TIMEOUT": Rule("float", 0.1),
    "XXGK_RESUME": Rule("bool"),
    "XXGK_RETRY_AFTER_MAX": Rule("float", 0),
    "XXGK_WARC_DEDUP": Rule("bool"),
    "XXGK_WARC_ENABLED": Rule("bool"),
    "XXGK_WARC_MAX_SIZE": Rule("int", 1),
    "XXGK_WINDOW_RECHECK_HOURS": Rule("float", 0),
}


def check_settings(settings) -> str | None:
    "The first problem among ARCHIVE_DIR and the XXGK_ settings, as one line; None when all are fine."
    archive_dir = settings.get("ARCHIVE_DIR")
    if not isinstance(archive_dir, str) or not archive_dir.strip():
        return "ARCHIVE_DIR is empty (give a directory, or leave it out for ./archive)"
    for name in sorted(k for k in settings if isinstance(k, str) and k.startswith("XXGK_")):
        rule = RULES.get(name)
        if rule is None:
            return f"unknown setting {name} (the XXGK_ settings are listed in the README's Settings table)"
        problem = rule.problem(name, settings.get(name))
        if problem:
            return problem
    return None
