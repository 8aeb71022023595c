"""Plausibility: is decoded text made of the characters Chinese text is made of? A right decode is ~99%
level-1 characters; a wrong one (GBK read as Big5 or the reverse, UTF-8 read as GBK) lands far more often
outside them."""
from __future__ import annotations

import re
from dataclasses import dataclass

# the plausibility profile reads at most this many non-ASCII characters: enough to tell codecs apart
PROFILE_CHARS = 10_000
# …found within this many leading characters (markup included), so huge pages cost no more than big ones
PROFILE_SCAN = 200_000


# --- plausibility ---------------------------------------------------------------------------------------

def _range_chars(codec: str, leads: range, trails: range) -> set[str]:
    out = set()
    for lead in leads:
        for trail in trails:
            try:
                out.add(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                pass
    return out


# GB2312 level 1 (3755 常用字) and Big5 level 1 (5401 常用字): a right decode is ~99% these, a wrong one
# (GBK read as Big5 or the reverse, UTF-8 read as GBK) lands far more often outside them
_GB_L1 = _range_chars("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
_BIG5_L1 = _range_chars("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]) - {"\ufffd"}
_PUNCT = set("　、。〈〉《》「」『』【】〔〕〖〗・·‘’“”…—–─！＂＃％＆＇（），－．／：；＜＝＞？［］＿｛｜｝～￥●○■□◆◇★☆※→←↑↓①②③④⑤⑥⑦⑧⑨⑩")
COMMON = frozenset(_GB_L1 | _BIG5_L1 | _PUNCT | set("０１２３４５６７８９"))
# a character class is the fastest per-character set test: ~10× str.translate(), which makes an int per char
_COMMON_RUN_RE = re.compile(f"[{re.escape(''.join(sorted(COMMON)))}]+")
# Latin-1 letters count for neither side: a cp1252 page is judged by find_mojibake, not by its accents.
# \s is spelled out (no whitespace lies beyond the BMP) and the pattern opens with that plain class (`[…][…]*`,
# not `[…]+`): the search then skips ahead by table lookups instead of trying a match at every character,
# 2× faster where matches are sparse
_SPACES = "".join(filter(str.isspace, map(chr, range(0x10000))))
_NEUTRAL = f"[\x00-\x7f\u00a0-\u00ff\u2000-\u206f{re.escape(_SPACES)}]"
_NEUTRAL_RE = re.compile(f"{_NEUTRAL}{_NEUTRAL}*")


@dataclass(frozen=True)
class Profile:
    common: int  # characters a right decode of Chinese text is made of
    other: int   # rare CJK, kana, PUA, box drawing, U+FFFD… (what a wrong decode produces)

    @property
    def score(self) -> int:
        return self.common - self.other

    @property
    def common_share(self) -> float:
        total = self.common + self.other
        return self.common / total if total else 1.0


def profile(text: str) -> Profile:
    """Count common vs other non-ASCII characters over a bounded sample of the text."""
    return _profile(text[:PROFILE_SCAN])


def _profile(head: str) -> Profile:
    # head: the text's first PROFILE_SCAN characters, or them with their ASCII changed (it is neutral anyway)
    sample = _NEUTRAL_RE.sub("", head)[:PROFILE_CHARS]
    other = len(_COMMON_RUN_RE.sub("", sample))
    return Profile(len(sample) - other, other)
