"""Script stage: Simplified vs Traditional by per-character evidence, OpenCC t2s, and removal of verified
pinyin annotations (網(wǎng)站 → 網站). Pure (no Scrapy). See docs: domain.md §7.2–7.4.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc


@lru_cache(maxsize=None)
def _opencc(config: str) -> opencc.OpenCC:
    "Converters are costly to build and safe to share: one of each per process, built on first use."
    return opencc.OpenCC(config)

# hant when this share of CJK characters is Traditional-only and it outweighs the Simplified-only share
# by TRAD_DOMINANCE (domain.md §7.2); the mirror image decides hans; anything between is 'mixed'
TRAD_MIN_RATIO = 0.05
TRAD_DOMINANCE = 3.0

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@dataclass(frozen=True)
class ScriptInfo:
    script: str        # 'hans' | 'hant' | 'mixed'
    trad_ratio: float  # share of CJK characters that change under t2s
    simp_ratio: float  # share that change under s2t


def _changes(ch: str) -> tuple[bool, bool]:
    """(is Traditional-only, is Simplified-only) for one character, judged alone."""
    return _opencc("t2s").convert(ch) != ch, _opencc("s2t").convert(ch) != ch


def _char_class(ch: str) -> str | None:
    "Class digit of a CJK character ('1' Traditional-only, '2' Simplified-only, '3' both, '0' neither), else None."
    if not _CJK_RE.match(ch):
        return None
    trad, simp = _changes(ch)
    return "0123"[trad + 2 * simp]


# code point -> _char_class, a str.translate table: one C-level pass maps a text to its CJK classes, where
# counting characters in Python costs twice as much. A plain dict (a __missing__ subclass makes every lookup
# a third slower), filled on first sight of a character by _classes; ASCII is entered up front, so a
# character that passed through unmapped is never ASCII, as every class digit is
_CLASSES: dict[int, str | None] = dict.fromkeys(range(128))
_CLASSES_MAX = 1 << 17      # code points remembered; past that a class is recomputed


def _classes(text: str) -> str:
    "The class digits of the text's CJK characters, in order."
    classes = text.translate(_CLASSES)
    if not classes.isascii():       # characters not seen before passed through: classify them
        new = {ord(ch): _char_class(ch) for ch in set(classes) if not ch.isascii()}
        if len(_CLASSES) + len(new) <= _CLASSES_MAX:
            _CLASSES.update(new)
        classes = classes.translate(new)
    return classes


def detect_script(text: str) -> ScriptInfo:
    """Classify the text's script from all its CJK characters (a few stray ones do not flip it)."""
    classes = _classes(text)
    total = len(classes)
    if not total:
        return ScriptInfo("hans", 0.0, 0.0)
    both = classes.count("3")
    trad = classes.count("1") + both
    simp = classes.count("2") + both
    trad_ratio, simp_ratio = trad / total, simp / total
    if trad_ratio > TRAD_MIN_RATIO and trad_ratio >= TRAD_DOMINANCE * simp_ratio:
        script = "hant"
    elif trad_ratio <= TRAD_MIN_RATIO or simp_ratio >= TRAD_DOMINANCE * trad_ratio:
        script = "hans"  # shared characters only, or Simplified dominates: the gov.cn norm
    else:
        script = "mixed"
    return ScriptInfo(script, round(trad_ratio, 4), round(simp_ratio, 4))


def to_simplified(text: str) -> str:
    """The text in Simplified characters (OpenCC t2s, phrase-level)."""
    return _opencc("t2s").convert(text) if text else text


# --- pinyin annotations --------------------------------------------------------------------------------

_SYL = r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,6}"
_GROUP = rf"[(（]\s*{_SYL}(?:\s*/\s*{_SYL})*\s*[)）]"
# one or more bracketed syllable groups: 網(wǎng), 政(zheng)(zheng), 一(yī / yì). The first group is written
# out so that the pattern opens with the bracket set, which re scans for in C; the CJK character before
# it (the BMP blocks of _CJK_RE) is checked per match instead of by a lookbehind tried at every position.
# A run of groups holds no CJK character, so skipping one that follows something else hides no annotation
_ANNOTATED_RE = re.compile(rf"{_GROUP}(?:{_GROUP})*")
_GROUP_RE = re.compile(_GROUP)
_SYL_RE = re.compile(_SYL)


@lru_cache(maxsize=4096)
def _bare(syllable: str) -> str:
    """A syllable without tone marks, with ü and v folded to u (annotators write lü, lv and lu).

    Cached: an annotated page repeats a few syllables hundreds of times."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("v", "u").replace("ê", "e")


@lru_cache(maxsize=65536)
def _readings(ch: str) -> frozenset[str]:
    """Every reading of a character, Traditional forms looked up through their Simplified form too."""
    # pypinyin loads its dictionaries (0.5 s) when imported: only a process that meets an annotation
    from pypinyin import Style, pinyin

    out = set()
    for form in {ch, _opencc("t2s").convert(ch)}:
        for group in pinyin(form, heteronym=True, style=Style.NORMAL, errors="ignore"):
            out.update(_bare(r) for r in group)
    return frozenset(out)


_CACHED_GROUPS = 64      # annotations up to this long are remembered


def _verified_groups(ch: str, groups: str) -> int:
    """How many leading groups are readings of ch, measured in characters of `groups`."""
    if len(groups) <= _CACHED_GROUPS:   # an annotated page repeats a few (網(wǎng)) hundreds of times
        return _cached_verified_groups(ch, groups)
    return _count_verified_groups(ch, groups)


def _count_verified_groups(ch: str, groups: str) -> int:
    readings = _readings(ch)
    end = 0
    for m in _GROUP_RE.finditer(groups):
        if m.start() != end or not all(_bare(s) in readings for s in _SYL_RE.findall(m.group(0))):
            break
        end = m.end()
    return end


_cached_verified_groups = lru_cache(maxsize=65536)(_count_verified_groups)


def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove pinyin annotations whose every syllable is a reading of the character before them.

    (GDP), (APP), (a) after an unrelated character and （一） stay. Returns the text and the number of
    annotated characters whose annotations were removed.
    """
    if "(" not in text and "（" not in text:
        return text, 0
    parts, pos, count = [], 0, 0
    for m in _ANNOTATED_RE.finditer(text):
        start = m.start()
        ch = text[start - 1:start]      # '' at the start of the text
        if not ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"):
            continue
        keep = _verified_groups(ch, m.group(0))
        if keep:
            parts.append(text[pos:m.start()])
            pos = m.start() + keep
            count += 1
    parts.append(text[pos:])
    return "".join(parts), count
