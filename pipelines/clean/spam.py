"""Spam runs: dense runs of short gambling/lottery tokens with no sentence punctuation.

Judged by run shape plus lexicon density (domain.md §5.3), so 福利彩票 inside a report sentence
survives while a keyword list glued to the footer goes. A token is cut again after a sentence end
glued to more text, so a run appended inside a paragraph (…无其他需要报告的事项。时时彩 …) starts at
its own first keyword and the sentence stays; a token made mostly of gambling terms is spam on its
own, glued without spaces or written as a sentence.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from .patterns import SENTENCE_END_GLUED_RE, SENTENCE_PUNCT_RE, SPAM_LEXICON_RE

if TYPE_CHECKING:
    from pipelines.clean.options import CleanOptions


def is_short_token(token: str, options: CleanOptions) -> bool:
    "A keyword-like token: short and not part of a sentence."
    return len(token) <= options.spam_max_token_chars and not SENTENCE_PUNCT_RE.search(token)


def spam_spans(tokens: Sequence[str], options: CleanOptions) -> list[tuple[int, int]]:
    """Half-open index ranges of ``tokens`` that form spam runs.

    A candidate is a maximal stretch of short tokens; inside it, lexicon hits closer than
    ``spam_max_gap`` non-hits apart form a cluster, and a cluster is spam when it is long enough
    and dense enough. A token made mostly of gambling terms (``is_dense``) is a run of its own.
    Linear in the number of tokens.
    """
    spans: list[tuple[int, int]] = []
    first = last = -1
    hits = 0
    terms: set[str] = set()

    def close() -> None:
        # distinct terms: a real list (福利彩票 体育彩票 彩票公益金 …) repeats one word
        if hits >= options.spam_min_hits and len(terms) >= options.spam_min_distinct:
            length = last + 1 - first
            if length >= options.spam_min_run and hits / length >= options.spam_min_hit_ratio:
                spans.append((first, last + 1))

    for i, token in enumerate(tokens):
        dense = len(token) >= options.spam_dense_min_chars and is_dense(token, options)
        if dense or not is_short_token(token, options):
            if first >= 0:
                close()
            first, hits, terms = -1, 0, set()
            if dense:               # a run on its own
                spans.append((i, i + 1))
            continue
        match = SPAM_LEXICON_RE.search(token)
        if not match:
            continue
        if first >= 0 and i - last - 1 > options.spam_max_gap:
            close()
            first, hits, terms = -1, 0, set()
        if first < 0:
            first = i
        last = i
        hits += 1
        terms.add(match.group(0).lower())
    if first >= 0:
        close()
    return spans


_WORD_CHARS_RE = re.compile(r"[^\W_]")


def is_dense(token: str, options: CleanOptions) -> bool:
    "Gambling terms cover most of the token's letters, and several distinct ones (never one word repeated)."
    terms = set()
    covered = 0
    for m in SPAM_LEXICON_RE.finditer(token):
        terms.add(m.group(0).lower())
        covered += len(m.group(0))
    if len(terms) < options.spam_min_distinct:
        return False
    return covered >= options.spam_dense_ratio * len(_WORD_CHARS_RE.findall(token))


def token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of a line: whitespace tokens, cut again after a sentence end glued
    to more text."""
    spans = []
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        token = m.group()
        if SENTENCE_END_GLUED_RE.search(token):      # rare: most tokens hold no glued sentence end
            for cut in SENTENCE_END_GLUED_RE.finditer(token):
                spans.append((start, m.start() + cut.end()))
                start = m.start() + cut.end()
        spans.append((start, end))
    return spans


_TOKEN_RE = re.compile(r"\S+")


def tokens_of(text: str) -> list[str]:
    "The tokens of a line (see ``token_spans``)."
    if SENTENCE_END_GLUED_RE.search(text) is None:
        return text.split()     # what a \s+ split gives, minus the empty ends
    return [text[a:b] for a, b in token_spans(text)]


def looks_like_spam(text: str, options: CleanOptions) -> bool:
    "True when ``text`` holds at least one spam run."
    return bool(spam_spans(tokens_of(text), options))


def lexicon_terms(text: str) -> set[str]:
    "Distinct spam-lexicon terms in ``text``."
    return {m.group(0).lower() for m in SPAM_LEXICON_RE.finditer(text)}
