"""Mojibake signatures in decoded text: U+FFFD runs, 锟斤拷, UTF-8 read as GBK, Latin-1 read, a GBK shift.
Flagged, never "repaired"."""
from __future__ import annotations

import re

from pipelines.decode.plausible import _GB_L1, _PUNCT, _range_chars, profile


# --- mojibake signatures --------------------------------------------------------------------------------

_LITERAL_MARKS = ("\ufffd", "锟斤拷", "烫烫烫烫", "屯屯屯屯")  # substring tests first: the regex is slower
_LITERAL_RE = re.compile(r"\ufffd+|(?:锟斤拷)+|(?:烫){4,}|(?:屯){4,}")
# first two UTF-8 bytes of common characters, read as GBK: 的→鐨, 中→涓, 。→銆, 人→浜 …
_UTF8_AS_GBK_LEADS = frozenset(
    c for ch in (_GB_L1 | _PUNCT) for c in [ch.encode("utf-8")[:2].decode("gbk", "ignore")] if len(c) == 1)
_UTF8_LEAD = f"[{re.escape(''.join(sorted(_UTF8_AS_GBK_LEADS)))}]"
# a run is read back as UTF-8 only with two of them: one alone is common on a healthy page, two in one run
# rare, so one search of the page for a pair spares most pages the walk over their runs
_UTF8_LEAD_PAIR_RE = re.compile(f"{_UTF8_LEAD}[^\x00-\x7f]*{_UTF8_LEAD}")
_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]{3,}")
_CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_LATIN = rf"[\u0080-\u00ff{_CP1252_SPECIALS}]"
_LATIN_RUN_RE = re.compile(f"{_LATIN}{_LATIN}{{2,}}")  # not {3,}: the leading class (see _NEUTRAL_RE)
_LATIN_LETTER_RE = re.compile(r"[\u00c0-\u00ff]")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _cjk_count(text: str) -> int:
    return len(_CJK_RE.findall(text))


def _utf8_read_as_gbk(text: str) -> list[str]:
    """Runs that re-encode to valid UTF-8 Chinese: UTF-8 bytes that were decoded as GBK (銆傗, 鍗)."""
    found = []
    for run in _NON_ASCII_RUN_RE.findall(text):
        if not _UTF8_LEAD_PAIR_RE.search(run):
            continue
        try:
            fixed = run.encode("gb18030").decode("utf-8", "replace")
        except UnicodeEncodeError:
            continue
        cjk = _cjk_count(fixed)
        if cjk >= 2 and cjk >= 2 * fixed.count("\ufffd"):
            found.append(run)
    return found


def _latin_read(text: str) -> list[str]:
    """Runs of Latin-1 letters that are really UTF-8 or GBK bytes (Ã¤Â¸­ = 中, ÄÚÈÝ = 内容)."""
    return [m.group(0) for m in _LATIN_RUN_RE.finditer(text)
            if len(_LATIN_LETTER_RE.findall(m.group(0))) >= 2
            and (_latin_is_utf8(m.group(0)) or _latin_is_gbk(m.group(0)))]


def _latin_is_utf8(run: str) -> bool:
    raw = _latin_bytes(run)
    for _ in range(2):  # doubly encoded UTF-8 needs two rounds
        try:
            fixed = raw.decode("utf-8")
        except UnicodeDecodeError:
            return False
        if _cjk_count(fixed):
            return True
        raw = _latin_bytes(fixed)
    return False


def _latin_is_gbk(run: str) -> bool:
    try:
        gbk = _latin_bytes(run).decode("gbk")
    except UnicodeDecodeError:
        return False
    return len(gbk) >= 2 and sum(1 for c in gbk if c in _GB_L1 or c in _PUNCT) >= 0.8 * len(gbk)


def _latin_bytes(text: str) -> bytes:
    # cp1252 first; characters it lacks (U+0081…) came from latin-1 decoding
    return b"".join(c.encode("cp1252") if c in _CP1252_SPECIALS else c.encode("latin-1", "replace") for c in text)


def _gbk_ascii_trail_chars() -> str:
    """Characters whose GBK code ends in an ASCII byte (0x40–0x7E): where a one-byte-late reader re-aligns."""
    chars = _range_chars("gbk", range(0x81, 0xFF), range(0x40, 0x7F))
    return "".join(sorted(chars))


# a run after a lost byte, and a run ending in an ASCII-trail character followed by ASCII
# (group 1; a lookbehind would be tried at every character of the page, twice as slow)
_AFTER_LOST_BYTE_RE = re.compile(r"[?\ufffd]([^\x00-\x7f]{3,})")
_REALIGN_RE = re.compile(f"[{re.escape(_gbk_ascii_trail_chars())}](?=[\x00-\x7f])")


def _shift_candidates(text: str) -> set[tuple[int, int]]:
    spans = {m.span(1) for m in _AFTER_LOST_BYTE_RE.finditer(text)}
    ends = {m.end() for m in _REALIGN_RE.finditer(text)}
    if ends:
        spans |= {m.span() for m in _NON_ASCII_RUN_RE.finditer(text) if m.end() in ends}
    return spans


def _gbk_shifted(text: str) -> list[str]:
    """GBK text read one byte late (seed 002: `?!罢粕衔寄稀盇PP` = `。“掌上渭南”APP`).

    The shift begins at a lost byte (`?`/U+FFFD before the run) and ends where an ASCII byte re-aligns the
    reader (the run's last character then has an ASCII trail byte, `盇` = B1 41). Shifting the run's bytes
    back by one must give text made of common characters, which a healthy run almost never does.
    """
    found = []
    for start, end in sorted(_shift_candidates(text)):
        run = text[start:end]
        try:
            raw = run.encode("gbk")
        except UnicodeEncodeError:
            continue
        back_chars = [c for c in raw[1:].decode("gbk", "replace") if not c.isascii() and c != "\ufffd"]
        if len(back_chars) < 4:
            continue
        back_share = sum(1 for c in back_chars if c in _GB_L1 or c in _PUNCT) / len(back_chars)
        # strictly better: a run that reads as common text both ways (一一一一預) is no evidence
        if back_share >= 0.9 and back_share > profile(run).common_share:
            found.append(run)
    return found


# Every signature is non-ASCII; ASCII matters to them only as a boundary and as the '?' a lost byte leaves.
# So the text's skeleton, each run of other ASCII shrunk to one NUL, holds the same signatures in the same
# order, and is a tenth of a page (the markup is ASCII): the scans below read it instead.
_ASCII_RUN_RE = re.compile(r"[\x00-\x3e\x40-\x7f][\x00-\x3e\x40-\x7f]*")  # the leading class: see _NEUTRAL_RE


def _skeleton(text: str) -> str:
    return _ASCII_RUN_RE.sub("\x00", text)


def find_mojibake(text: str) -> list[str]:
    """Mojibake signatures in decoded text (U+FFFD runs, 锟斤拷, UTF-8 read as GBK, Latin-1 read, GBK shift)."""
    return _mojibake_in(_skeleton(text))


def _mojibake_in(text: str) -> list[str]:
    # the detectors read any text alike; find_mojibake hands them the skeleton because it is short
    found = _LITERAL_RE.findall(text) if any(m in text for m in _LITERAL_MARKS) else []
    if _UTF8_LEAD_PAIR_RE.search(text):
        found += _utf8_read_as_gbk(text)
    found += _latin_read(text)
    found += _gbk_shifted(text)
    return found
