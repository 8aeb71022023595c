"""Decode stage (pure): body bytes → text via BOM → header → meta → strict trials → charset-normalizer,
where a declaration must earn its place by a strict, plausible decode; plus mojibake signatures.
See docs: contract.md "Decoding", domain.md §7.1. Declarations: ``charset``; plausibility: ``profile``;
signatures: ``mojibake``."""
from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

from pipelines.decode.charset import (LATIN_FAMILY, Declaration, declared_encodings, describe, header_charset,
                                      meta_charset, normalise_label)
from pipelines.decode.mojibake import _mojibake_in, _skeleton, find_mojibake
from pipelines.decode.plausible import COMMON, PROFILE_SCAN, _profile, profile

__all__ = ["Decoded", "decode", "decode_counting", "declared_encodings", "header_charset", "meta_charset",
           "normalise_label", "find_mojibake", "profile", "COMMON", "Declaration"]

# share of "common" characters a declared decode needs to be accepted without a contest
FAST_PATH_COMMON = 0.85

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
    except (UnicodeError, LookupError, ValueError, TypeError):  # a codec that fails outright on garbage
        _errors.n = 0
        text = data.decode("utf-8", "xxgk-count")
    return text, _errors.n


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError, ValueError, TypeError):  # odd codecs raise their own errors
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
    declared = describe(decls)

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
    except (ValueError, TypeError, LookupError, UnicodeError):  # its guess is advice: without it, the contest decides
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
