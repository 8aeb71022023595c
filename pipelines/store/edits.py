"""How much a new version of a report changed: characters added and removed against the previous text,
and a digest of its figures (``report_stats``) to tell whether the numbers changed.

The texts are compared line by line first (difflib), then character by character inside each replaced
block: a one-sentence edit in a 30,000-character report costs a line diff plus a diff of one paragraph.
A replaced block longer than ``CHAR_DIFF_LIMIT`` on either side is counted whole (its lengths), not
diffed: character-level SequenceMatcher is quadratic there (README, Gone, returned and edited reports).
"""
from __future__ import annotations

import hashlib
from difflib import SequenceMatcher

from sqlite_utils import Database

CHAR_DIFF_LIMIT = 5000


def changed_chars(old: str | None, new: str | None) -> tuple[int, int]:
    "(characters added, characters removed) from ``old`` to ``new``; line breaks are not counted."
    a, b = (old or "").splitlines(), (new or "").splitlines()
    added = removed = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        left, right = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
        if op == "replace" and len(left) <= CHAR_DIFF_LIMIT and len(right) <= CHAR_DIFF_LIMIT:
            for cop, c1, c2, d1, d2 in SequenceMatcher(None, left, right, autojunk=False).get_opcodes():
                if cop != "equal":
                    removed += _chars(left[c1:c2])
                    added += _chars(right[d1:d2])
        else:
            removed += _chars(left)
            added += _chars(right)
    return added, removed


def _chars(s: str) -> int:
    return len(s) - s.count("\n")


def stats_digest(db: Database, url: str) -> str | None:
    "sha256 of the report's figures as ``report_stats`` holds them now (None: it has none)."
    rows = db.execute("SELECT section, row_key, col_key, value, unit FROM report_stats WHERE url = ? "
                      "ORDER BY section, row_key, col_key", [url]).fetchall()
    if not rows:
        return None
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()
