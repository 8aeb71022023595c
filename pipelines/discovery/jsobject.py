"""Object literals in a page's inline scripts, read without running them.

A list module is configured in the page by an object literal (``$('#id').jpage({perPage: 15, …})``,
``listModel({url: '/…/search', param: {…}, pagebar: {recordCount: '57'}})``,
``var param_123 = {col: 1, webid: 3, …}``). ``read_object`` reads one as far as plain values go:
strings, numbers, booleans, nested objects; anything else (a function, an expression, a variable)
is kept as its source text in an ``Expr``, so a caller can look a variable up itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_KEY_RE = re.compile(r"\s*(?:(['\"])(?P<q>[^'\"\\]*)\1|(?P<id>[A-Za-z_$][\w$]*)|(?P<num>\d+))\s*:")
_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?(?![\w$.])")
_WS_COMMENT_RE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)+", re.S)
_ASSIGN_HEAD = r"(?:\bvar|\blet|\bconst|window\.|[;{}\n])\s*"
CLOSE = {"{": "}", "[": "]", "(": ")"}


@dataclass(frozen=True)
class Expr:
    "A value that is not a literal: its source text (a variable name, a call, a function)."

    source: str


def _skip(text: str, i: int) -> int:
    m = _WS_COMMENT_RE.match(text, i)
    return m.end() if m else i


def _string(text: str, i: int) -> tuple[str, int]:
    "The string literal starting at text[i] (a quote), and the index after it."
    quote, out, i = text[i], [], i + 1
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"n": "\n", "t": "\t", "r": "\r"}.get(nxt, nxt))
            i += 2
            continue
        if c == quote:
            return "".join(out), i + 1
        out.append(c)
        i += 1
    raise ValueError("unterminated string")


def _balanced(text: str, i: int) -> int:
    "The index after the bracketed group opening at text[i], strings and comments skipped."
    stack = [CLOSE[text[i]]]
    i += 1
    while i < len(text) and stack:
        c = text[i]
        if c in "'\"`":
            i = _string(text, i)[1] if c != "`" else text.index("`", i + 1) + 1
            continue
        if c == "/" and text[i:i + 2] in ("//", "/*"):
            i = _skip(text, i)
            continue
        if c in CLOSE:
            stack.append(CLOSE[c])
        elif c == stack[-1]:
            stack.pop()
        i += 1
    if stack:
        raise ValueError("unbalanced")
    return i


def _expression(text: str, i: int) -> tuple[Expr, int]:
    "Source text from text[i] to the next comma or closing brace at this level."
    start = i
    while i < len(text) and text[i] not in ",}":
        if text[i] in CLOSE:
            i = _balanced(text, i)
        elif text[i] in "'\"":
            i = _string(text, i)[1]
        else:
            i += 1
    return Expr(text[start:i].strip()), i


def _value(text: str, i: int):
    "One value starting at text[i]: (value, index after it)."
    i = _skip(text, i)
    c = text[i:i + 1]
    value, end = None, None
    if c in ("'", '"'):
        value, end = _string(text, i)
    elif c == "{":
        value, end = read_object(text, i)
    elif m := _NUMBER_RE.match(text, i):
        value, end = (float(m.group()) if "." in m.group() else int(m.group())), m.end()
    if end is not None and text[_skip(text, end):_skip(text, end) + 1] in (",", "}", ""):
        return value, end
    expr, end = _expression(text, i)   # '"" || "chnlid=1813"', SiteInfo.searchId, function () {…}
    literal = {"true": True, "false": False, "null": None, "undefined": None}
    return (literal[expr.source] if expr.source in literal else expr), end


def read_object(text: str, i: int) -> tuple[dict, int]:
    """The object literal whose ``{`` is text[i], as a dict, and the index after its ``}``.
    Raises ValueError when the text there is not an object literal."""
    if text[i:i + 1] != "{":
        raise ValueError("not an object")
    out: dict = {}
    i += 1
    while True:
        i = _skip(text, i)
        if i >= len(text):
            raise ValueError("unterminated object")
        if text[i] == "}":
            return out, i + 1
        m = _KEY_RE.match(text, i)
        if m is None:
            raise ValueError(f"no key at {i}")
        key = m.group("q") if m.group("q") is not None else m.group("id") or m.group("num")
        value, i = _value(text, m.end())
        out[key] = value
        i = _skip(text, i)
        if text[i:i + 1] == ",":
            i += 1


def objects_after(text: str, pattern: re.Pattern[str]) -> list[dict]:
    "Every object literal that opens where ``pattern`` (ending just before a ``{``) matches."
    out = []
    for m in pattern.finditer(text):
        i = _skip(text, m.end())
        if text[i:i + 1] == "{":
            try:
                out.append(read_object(text, i)[0])
            except (ValueError, IndexError):
                continue
    return out


def assigned_object(text: str, name: str) -> dict | None:
    "The object literal a script assigns to variable ``name`` (``var name = {…}``), if any."
    pattern = re.compile(_ASSIGN_HEAD + re.escape(name) + r"\s*=\s*\{")
    m = pattern.search(text)
    if m is None:
        return None
    try:
        return read_object(text, m.end() - 1)[0]
    except (ValueError, IndexError):
        return None


def flatten(obj: dict, prefix: str = "") -> dict[str, object]:
    "Nested objects as dotted keys (``pagebar.recordCount``), for looking a setting up wherever it sits."
    out: dict[str, object] = {}
    for key, value in obj.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


_OR_RE = re.compile(r"\s*\|\|\s*")
_MEMBER_RE = re.compile(r"^([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*)|\[\s*['\"]([^'\"]+)['\"]\s*\])$")


def evaluate(value, text: str):
    """A config value as the script would see it, as far as reading goes: ``"" || "chnlid=1813"`` is
    its first non-empty literal, ``SiteInfo.searchId`` the value ``var SiteInfo = {…}`` gives it in
    ``text``. None when it needs running code."""
    if not isinstance(value, Expr):
        return value
    source = value.source
    if "||" in source:
        for part in _OR_RE.split(source):
            found = evaluate(_literal(part), text)
            if found not in (None, "", 0, False) and not isinstance(found, Expr):
                return found
        return None
    m = _MEMBER_RE.match(source)
    if m:
        obj = assigned_object(text, m.group(1))
        if obj is not None:
            found = obj.get(m.group(2) or m.group(3))
            return None if isinstance(found, (Expr, dict)) else found
    return None


def _literal(source: str):
    source = source.strip()
    if source[:1] in ("'", '"'):
        try:
            value, end = _string(source, 0)
            return value if end == len(source) else Expr(source)
        except ValueError:
            return Expr(source)
    if _NUMBER_RE.fullmatch(source):
        return float(source) if "." in source else int(source)
    return Expr(source)
