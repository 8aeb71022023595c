"""Decode stage (pure): body bytes → text via BOM → header → meta → strict trials → charset-normalizer,
where a declaration must earn its place by a strict, plausible decode; plus mojibake signatures.
See docs: contract.md "Decoding", domain.md §7.1."""
from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

# how far into the body the <meta>/<?xml?> scan reaches (a <head> stuffed with scripts runs long)
META_SCAN_BYTES = 16 * 1024
# the plausibility profile reads at most this many non-ASCII characters: enough to tell codecs apart
PROFILE_CHARS = 10_000
# share of "common" characters a declared decode needs to be accepted without a contest
FAST_PATH_COMMON = 0.85
# …found within this many leading characters (markup included), so huge pages cost no more than big ones
PROFILE_SCAN = 200_000

# strict trials for pages whose declarations fail or disagree, in order of prior likelihood
TRIALS = ("utf-8", "gb18030", "big5hkscs")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str                  # Python codec actually used ('utf-8', 'gb18030', 'big5hkscs', 'cp1252', …)
    encoding_declared: str | None  # as seen, e.g. 'header=gb2312; meta=utf-8'; None if nothing was declared
    encoding_source: str           # 'bom' | 'header' | 'meta' | 'sniffed'
    decode_errors: int             # bytes the chosen codec could not decode (0 when strict decode succeeded)
    mojibake: bool                 # find_mojibake() found signatures in text


@dataclass(frozen=True)
class Declaration:
    source: str        # 'header' | 'meta'
    label: str         # as seen
    codec: str | None  # normalised Python codec, None when unknown or unusable


# --- labels → codecs -------------------------------------------------------------------------------------

# GB2312 pages routinely carry GBK/GB18030-only characters (人名 镕 喆 堃): always widen
_GB = ("gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "gb2312-80", "csgb2312", "chinese", "cp936", "ms936",
       "windows-936", "euc-cn", "x-euc-cn", "euccn", "iso-ir-58", "csiso58gb231280", "gb18030", "zh-cn", "zh_cn")
_BIG5 = ("big5", "big-5", "big5-hkscs", "big5hkscs", "cn-big5", "x-x-big5", "x-big5", "csbig5", "cp950", "ms950")
_UTF8 = ("utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "unicode20utf8")
# WHATWG decodes all of these as windows-1252; on a Chinese portal they are a server default, not a fact
_LATIN = ("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "us-ascii",
          "ascii", "ansi_x3.4-1968", "iso-ir-100", "csisolatin1", "windows-1252", "cp1252", "x-cp1252")
_ALIASES = {**{k: "gb18030" for k in _GB}, **{k: "big5hkscs" for k in _BIG5},
            **{k: "utf-8" for k in _UTF8}, **{k: "cp1252" for k in _LATIN}}
# Python codecs that are not web text encodings (a page declaring them is wrong, and some are unsafe)
_UNUSABLE = {"undefined", "unicode_escape", "raw_unicode_escape", "idna", "punycode", "utf-7", "utf_7",
             "mbcs", "oem", "palmos", "charmap", "unicode_internal"}
LATIN_FAMILY = "cp1252"


def normalise_label(label: str | None) -> str | None:
    """Map a declared charset label to the Python codec we decode with; None if unknown or unusable."""
    if not label:
        return None
    key = label.strip().strip("\"'").strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        info = codecs.lookup(key)
    except Exception:  # LookupError, and ValueError/TypeError on labels with NULs or junk
        return None
    name = info.name
    if not getattr(info, "_is_text_encoding", True) or name in _UNUSABLE:
        return None
    return _ALIASES.get(name, name)


# --- declarations -----------------------------------------------------------------------------------------

_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?\s*([^\s;\"',]+)", re.I)
_COMMENT_RE = re.compile(rb"<!--.*?(?:-->|$)", re.S)
_HEAD_END_RE = re.compile(rb"</head\s*>|<body[\s>]", re.I)
_META_TAG_RE = re.compile(rb"<meta\b[^>]*>", re.I)
# lenient on purpose: `charset = 'gbk'`, `charset=="gbk"`, `content="charset=gbk"`, and w3lib#155's
# `httpequiv="ContentType"` are all seen on real portals
_META_CHARSET_ATTR_RE = re.compile(rb"[\s\"'/;]charset\s*=+\s*[\"']?\s*([A-Za-z0-9._:\-]+)", re.I)
_CONTENT_TYPE_RE = re.compile(rb"content-?type", re.I)
_CONTENT_ATTR_RE = re.compile(rb"""\bcontent\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_XML_DECL_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:\-]+)", re.I)


def header_charset(content_type: str | None) -> str | None:
    """The charset label of a Content-Type header value, as seen."""
    if not content_type:
        return None
    m = _HEADER_CHARSET_RE.search(content_type)
    return m.group(1) if m else None


def meta_charset(body: bytes) -> str | None:
    """The first charset declared in the page's <head> (<meta charset>, http-equiv, <?xml encoding?>)."""
    head = body[:META_SCAN_BYTES]
    m = _XML_DECL_RE.match(head)
    if m:
        return m.group(1).decode("ascii")
    head = _COMMENT_RE.sub(b"", head)  # a commented-out meta declares nothing (w3lib#305)
    end = _HEAD_END_RE.search(head)
    if end:
        head = head[:end.start()]
    for tag in _META_TAG_RE.finditer(head):
        attrs = _CONTENT_ATTR_RE.sub(b" ", tag.group(0))
        m = _META_CHARSET_ATTR_RE.search(attrs)  # <meta charset=…>
        if not m and _CONTENT_TYPE_RE.search(attrs):
            # http-equiv Content-Type: the charset sits in content="…"; a description that merely
            # mentions "charset=" is not a declaration
            m = _META_CHARSET_ATTR_RE.search(tag.group(0))
        if m:
            return m.group(1).decode("ascii")
    return None


def declared_encodings(body: bytes, content_type: str | None) -> list[Declaration]:
    """What the header and the page itself claim, header first."""
    found = []
    for source, label in (("header", header_charset(content_type)), ("meta", meta_charset(body))):
        if label:
            found.append(Declaration(source, label, normalise_label(label)))
    return found


def _describe(decls: list[Declaration]) -> str | None:
    return "; ".join(f"{d.source}={d.label}" for d in decls) or None


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
        if back_share >= 0.9 and back_share >= profile(run).common_share:
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


# --- decoding -------------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_errors = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    _errors.n = getattr(_errors, "n", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


codecs.register_error("xxgk-count", _count_and_replace)


def decode_counting(data: bytes, codec: str) -> tuple[str, int]:
    """Decode with U+FFFD for bad bytes; return the text and how many bytes were replaced."""
    _errors.n = 0
    try:
        text = data.decode(codec, "xxgk-count")
    except Exception:  # a codec that misbehaves on garbage must not take the page down
        _errors.n = 0
        text = data.decode("utf-8", "xxgk-count")
    return text, _errors.n


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except Exception:  # UnicodeDecodeError, and odd codecs raising their own errors
        return None


def _bom(body: bytes) -> tuple[str, int] | None:
    for mark, codec in _BOMS:
        if body.startswith(mark):
            return codec, len(mark)
    return None


def _usable(d: Declaration, body: bytes) -> bool:
    if d.codec is None:
        return False
    # UTF-16/32 without a BOM "decode" almost any even-length body into CJK noise; WHATWG ignores them too
    if d.codec.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
        return b"\x00" in body[:1024]
    return True


@dataclass(frozen=True)
class _Candidate:
    codec: str
    source: str


def _candidates(decls: list[Declaration], body: bytes) -> list[_Candidate]:
    """Declared codecs first (header, meta), then the trials, then Latin-family declarations last."""
    usable = [d for d in decls if _usable(d, body)]
    ordered = [_Candidate(d.codec, d.source) for d in usable if d.codec != LATIN_FAMILY]
    ordered += [_Candidate(c, "sniffed") for c in TRIALS]
    ordered += [_Candidate(d.codec, d.source) for d in usable if d.codec == LATIN_FAMILY]
    seen, out = set(), []
    for c in ordered:
        if c.codec not in seen:
            seen.add(c.codec)
            out.append(c)
    return out


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page body; never raises, always returns text.

    Args:
        body: the raw body bytes as received (Content-Encoding already undone).
        content_type: the HTTP Content-Type header value, if any.
    Returns:
        Decoded: the text and how it was obtained.
    """
    body = bytes(body or b"")
    decls = declared_encodings(body, content_type)
    declared = _describe(decls)

    # 1. a BOM is the strongest evidence there is (WHATWG ranks it above the header)
    bom = _bom(body)
    if bom:
        codec, skip = bom
        text, errors = decode_counting(body[skip:], codec)
        return _result(text, codec, declared, "bom", errors)

    # 2. pure ASCII: every ASCII-compatible codec gives the same text, so the declaration stands
    if body.isascii():
        for d in decls:
            if _usable(d, body) and _strict(b"<a>", d.codec) == "<a>":
                return _result(body.decode("ascii"), d.codec, declared, d.source, 0, mojibake=False)
        return _result(body.decode("ascii"), "utf-8", declared, "sniffed", 0, mojibake=False)

    cands = _candidates(decls, body)

    # 3. fast path: the one declared codec (or agreeing ones; UTF-8 when undeclared) decodes strictly into
    #    plausible text with no mojibake. Multi-byte text that is valid UTF-8 is UTF-8 in practice (GBK and
    #    Big5 bytes almost never are), whatever a template's leftover meta says, so UTF-8 speaks first then.
    declared_cands = [c for c in cands if c.source != "sniffed"]
    non_latin = [c for c in declared_cands if c.codec != LATIN_FAMILY]
    first = non_latin[0] if len(non_latin) == 1 else None if declared_cands else cands[0]
    utf8 = _strict(body, "utf-8") if first is None or first.codec != "utf-8" else None
    if utf8 is not None:
        cands.sort(key=lambda c: c.codec != "utf-8")
        first = cands[0]
    if first is not None and first.codec in TRIALS:
        text = utf8 if first.codec == "utf-8" and utf8 is not None else _strict(body, first.codec)
        if text is not None and _plausible_and_clean(text):
            return _result(text, first.codec, declared, first.source, 0, mojibake=False)

    return _contest(body, cands, declared)


def _plausible_and_clean(text: str) -> bool:
    """profile(text).common_share >= FAST_PATH_COMMON and not find_mojibake(text), sharing one skeleton."""
    skeleton = _skeleton(text)
    # the profile drops ASCII, so the skeleton does for it too; without its NULs it is a scan with few matches
    head = skeleton.replace("\x00", "") if len(text) <= PROFILE_SCAN else text[:PROFILE_SCAN]
    return _profile(head).common_share >= FAST_PATH_COMMON and not _mojibake_in(skeleton)


def _contest(body: bytes, cands: list[_Candidate], declared: str | None) -> Decoded:
    """Strict-decode every candidate; the most plausible text without mojibake wins, earlier ones on ties."""
    # 4. strict trials, best-scoring first; find_mojibake (the costly check) runs until one is clean
    trials = []
    for rank, cand in enumerate(cands):
        text = _strict(body, cand.codec)
        if text is not None:
            trials.append(((profile(text).score, -rank), cand, text))
    trials.sort(key=lambda t: t[0], reverse=True)
    damaged = []
    for _, cand, text in trials:
        if not find_mojibake(text):
            return _result(text, cand.codec, declared, cand.source, 0, mojibake=False)
        damaged.append(_result(text, cand.codec, declared, cand.source, 0, mojibake=True))

    # 5. charset-normalizer only when nothing decodes strictly (it is the slow step)
    if not trials:
        guess = _normalizer_guess(body)
        if guess and guess not in {c.codec for c in cands}:
            text = _strict(body, guess)
            if text is not None and not find_mojibake(text):
                return _result(text, guess, declared, "sniffed", 0, mojibake=False)

    # 6. best effort: piecewise decode (mixed-encoding pages), against the strict-but-damaged decodes
    options = [_decode_mixed(body, cands, declared), *damaged]
    return max(options, key=lambda d: (not d.mojibake, profile(d.text).score))


def _normalizer_guess(body: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes  # imported late: most pages never get here
        best = from_bytes(body[:64 * 1024]).best()
    except Exception:  # a detector failure must not cost the page
        return None
    return normalise_label(best.encoding) if best else None


_LINE_RE = re.compile(rb"[^\n]*\n|[^\n]+")
# bytes below 0x40 are never a GBK/Big5 trail byte nor a UTF-8 continuation: safe places to cut
_PIECE_RE = re.compile(rb"[\x40-\xff]+|[\x00-\x3f]+")


def _decode_mixed(body: bytes, cands: list[_Candidate], declared: str | None) -> Decoded:
    """Decode line by line (failing lines piece by piece) with whichever codec reads each best.

    The reported codec is the one that won the most bytes; decode_errors counts the bytes it cannot decode,
    so a page mixing two encodings never reports 0.
    """
    usable = [c for c in cands if c.codec != LATIN_FAMILY] or cands
    order = [c.codec for c in usable]
    parts, won = [], dict.fromkeys(order, 0)
    for line in _LINE_RE.findall(body):
        if line.isascii():
            parts.append(line.decode("ascii"))
            continue
        text, codec = _best_strict(line, order)
        if text is None:
            text, codec = _decode_pieces(line, order)
        parts.append(text)
        won[codec] = won.get(codec, 0) + len(line)
    primary = max(usable, key=lambda c: won[c.codec])  # max() keeps the earlier candidate on ties
    errors = decode_counting(body, primary.codec)[1]
    return _result("".join(parts), primary.codec, declared, primary.source, errors)


def _best_strict(data: bytes, order: list[str]) -> tuple[str | None, str]:
    """The most plausible strict decode of a fragment (earlier codecs win ties); (None, first) if none."""
    best, best_key = (None, order[0]), None
    for rank, codec in enumerate(order):
        text = _strict(data, codec)
        if text is None:
            continue
        share = profile(text).common_share
        if share >= FAST_PATH_COMMON:
            return text, codec
        if best_key is None or (share, -rank) > best_key:
            best, best_key = (text, codec), (share, -rank)
    return best


def _decode_pieces(line: bytes, order: list[str]) -> tuple[str, str]:
    parts = []
    for piece in _PIECE_RE.findall(line):
        text, _ = _best_strict(piece, order)
        parts.append(text if text is not None else decode_counting(piece, order[0])[0])
    return "".join(parts), order[0]


def _result(text: str, codec: str, declared: str | None, source: str, errors: int,
            mojibake: bool | None = None) -> Decoded:
    if mojibake is None:
        mojibake = bool(find_mojibake(text))
    return Decoded(text, codec, declared, source, errors, mojibake)
