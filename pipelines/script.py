"""Script stage: Simplified vs Traditional by per-character evidence, OpenCC t2s, and removal of verified
pinyin annotations (網(wǎng)站 → 網站). Pure (no Scrapy). See docs: domain.md §7.2–7.4.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc
from pypinyin import Style, pinyin

# converters are costly to build and safe to share: one of each per process
_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")

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
    return _T2S.convert(ch) != ch, _S2T.convert(ch) != ch


class _CharClasses(dict):
    """Code point -> class digit of a CJK character ('1' Traditional-only, '2' Simplified-only,
    '3' both, '0' neither), None for any other character; filled on first sight.

    A str.translate table: one C-level pass maps a text to its CJK classes, where counting
    characters in Python costs twice as much.
    """

    MAX_SIZE = 1 << 17      # code points remembered; past that a class is recomputed

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        if _CJK_RE.match(ch):
            trad, simp = _changes(ch)
            cls: str | None = "0123"[trad + 2 * simp]
        else:
            cls = None
        if len(self) < self.MAX_SIZE:
            self[code] = cls
        return cls


_CLASSES = _CharClasses()


def detect_script(text: str) -> ScriptInfo:
    """Classify the text's script from all its CJK characters (a few stray ones do not flip it)."""
    classes = text.translate(_CLASSES)
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
    return _T2S.convert(text) if text else text


# --- pinyin annotations --------------------------------------------------------------------------------

_SYL = r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,6}"
_GROUP = rf"[(（]\s*{_SYL}(?:\s*/\s*{_SYL})*\s*[)）]"
# one or more bracketed syllable groups right after a CJK character: 網(wǎng), 政(zheng)(zheng), 一(yī / yì);
# the bracket lookahead is redundant (a group opens with one) but halves the scan time
_ANNOTATED_RE = re.compile(rf"(?=[(（])(?<=[\u3400-\u9fff\uf900-\ufaff])(?:{_GROUP})+")
_GROUP_RE = re.compile(_GROUP)
_SYL_RE = re.compile(_SYL)


def _bare(syllable: str) -> str:
    """A syllable without tone marks, with ü and v folded to u (annotators write lü, lv and lu)."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("v", "u").replace("ê", "e")


@lru_cache(maxsize=65536)
def _readings(ch: str) -> frozenset[str]:
    """Every reading of a character, Traditional forms looked up through their Simplified form too."""
    out = set()
    for form in {ch, _T2S.convert(ch)}:
        for group in pinyin(form, heteronym=True, style=Style.NORMAL, errors="ignore"):
            out.update(_bare(r) for r in group)
    return frozenset(out)


def _verified_groups(ch: str, groups: str) -> int:
    """How many leading groups are readings of ch, measured in characters of `groups`."""
    readings = _readings(ch)
    end = 0
    for m in _GROUP_RE.finditer(groups):
        if m.start() != end or not all(_bare(s) in readings for s in _SYL_RE.findall(m.group(0))):
            break
        end = m.end()
    return end


def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove pinyin annotations whose every syllable is a reading of the character before them.

    (GDP), (APP), (a) after an unrelated character and （一） stay. Returns the text and the number of
    annotated characters whose annotations were removed.
    """
    if "(" not in text and "（" not in text:
        return text, 0
    parts, pos, count = [], 0, 0
    for m in _ANNOTATED_RE.finditer(text):
        keep = _verified_groups(text[m.start() - 1], m.group(0))
        if keep:
            parts.append(text[pos:m.start()])
            pos = m.start() + keep
            count += 1
    parts.append(text[pos:])
    return "".join(parts), count
