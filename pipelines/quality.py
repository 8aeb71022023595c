"""The contract's text-quality measure: character-bigram F1 (contract.md, "Quality measure").

Both texts are NFKC-normalised, stripped of all whitespace and punctuation (the ' | ' cell
separators included), and a leading copy of the title is ignored.
"""
from __future__ import annotations

import unicodedata
from collections import Counter

# '|' is a math symbol (Sm) in Unicode, not punctuation, but it is our cell separator
_EXTRA_DROP = frozenset("|｜")


def _keep(ch: str) -> bool:
    if ch in _EXTRA_DROP:
        return False
    cat = unicodedata.category(ch)
    return not (cat[0] in "PZ" or cat in ("Cc", "Cf") or ch.isspace())


def normalize_for_quality(text: str, title: str | None = None) -> str:
    """NFKC, drop whitespace and punctuation, then drop a leading copy of ``title``."""
    norm = "".join(ch for ch in unicodedata.normalize("NFKC", text or "") if _keep(ch))
    if title:
        head = normalize_for_quality(title)
        if head and norm.startswith(head):
            norm = norm[len(head):]
    return norm


def _bigrams(s: str) -> Counter[str]:
    "Character bigrams as a multiset; a one-character text counts as its single character."
    if len(s) < 2:
        return Counter([s]) if s else Counter()
    return Counter(s[i:i + 2] for i in range(len(s) - 1))


def bigram_f1(candidate: str, expected: str, title: str | None = None) -> float:
    """Character-bigram F1 of ``candidate`` against ``expected`` (1.0 when both are empty)."""
    cand = _bigrams(normalize_for_quality(candidate, title))
    exp = _bigrams(normalize_for_quality(expected, title))
    if not cand and not exp:
        return 1.0
    overlap = sum((cand & exp).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(cand.values())
    recall = overlap / sum(exp.values())
    return 2 * precision * recall / (precision + recall)
