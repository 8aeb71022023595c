"""URL canonicalisation and crawler-trap checks (contract: "Canonical URLs"). Pure functions on strings."""
from __future__ import annotations

import codecs
import datetime
import re
from urllib.parse import quote, unquote_plus, urlsplit

# Query parameters that only say where a visitor came from; everything else may select content
# (detail.jsp?id=N, list.jsp?catId=3&page=2) and is kept. `lailu` (来路) is the parasite-page one (domain §5.1).
TRACKING_PARAMS: frozenset[str] = frozenset({
    "from", "spm", "source", "share", "sharefrom", "share_from", "share_token", "sharer", "lailu",
    "isappinstalled", "scene", "clicktime", "enterid", "wxfrom", "wx_share", "fbclid", "gclid", "bd_vid",
    "jsessionid", "phpsessid", "_",  # `_` = jQuery cache-buster timestamp
})
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "aspsessionid")
DEFAULT_PORTS: dict[str, str] = {"http": "80", "https": "443"}
BIG5_HOST_PREFIX = "big5."

# characters left alone when re-quoting; '%' keeps existing escapes as they are (idempotent)
_PATH_SAFE = "/%;:@&=+$,!~*'()-._[]"
_QUERY_SAFE = "=%;:@+$,!~*'()-._/?[]|"

_GATE_RE = re.compile(r"^/gate/big5/([^/?#]+)(/.*)?$", re.IGNORECASE)
_JSESSION_PATH_RE = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
_ESCAPE_RE = re.compile(r"%[0-9a-fA-F]{2}")
_STRIP_INSIDE_RE = re.compile(r"[\t\r\n]")  # browsers drop these inside URLs


def canonicalize_url(url: str, encoding: str = "utf-8") -> str:
    """One spelling per document: fragment and tracking parameters dropped, the rest of the query sorted,
    scheme/host lower-case, default port dropped, big5 gateways mapped back, path percent-encoded as UTF-8.
    Raw non-ASCII characters in the query are percent-encoded in `encoding`, the encoding of the page the
    link was written on, as browsers do (URL Standard): a GBK server reads `?filename=年报.pdf` from a GBK
    page as %C4%EA%B1%A8, and the UTF-8 bytes would name no file. Existing escapes are kept as written.
    Idempotent; returns the input unchanged when it is not an http(s) URL. Cases: canonical.json."""
    try:
        return _canonicalize(url, _query_codec(encoding))
    except (ValueError, UnicodeError, LookupError):  # garbage in: the caller still gets a string back
        return url


def _query_codec(encoding: str | None) -> str:
    # UTF-16/32 pages still encode URLs as UTF-8 (URL Standard); unknown labels fall back to UTF-8
    try:
        name = codecs.lookup(encoding or "utf-8").name
    except LookupError:
        return "utf-8"
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def _canonicalize(url: str, query_encoding: str = "utf-8") -> str:
    s = _STRIP_INSIDE_RE.sub("", url.strip())
    parts = urlsplit(s)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc:
        return s
    netloc, path = parts.netloc, parts.path
    # /gate/big5/HOST/PATH (繁體 gateway) serves HOST/PATH; may be nested on big5.* hosts
    while (m := _GATE_RE.match(path)) is not None:
        netloc, path = m.group(1), m.group(2) or "/"
    userinfo, _, hostport = netloc.rpartition("@")
    host, port = _split_port(hostport)
    host = host.lower().rstrip(".")
    while host.startswith(BIG5_HOST_PREFIX) and len(host) > len(BIG5_HOST_PREFIX):
        host = host[len(BIG5_HOST_PREFIX):]
    if not host or (":" in host and not host.startswith("[")):  # 'http://:80', 'http://a:8o': garbage
        return s
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    if port and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if userinfo:
        host = f"{userinfo}@{host}"
    path = _JSESSION_PATH_RE.sub("", path)
    path = _upper_escapes(quote(_remove_dot_segments(path or "/"), safe=_PATH_SAFE))
    query = _canonical_query(parts.query, query_encoding)
    return f"{scheme}://{host}{path}" + (f"?{query}" if query else "")


def _split_port(hostport: str) -> tuple[str, str]:
    if hostport.startswith("["):  # IPv6 literal
        host, _, rest = hostport.partition("]")
        return host + "]", rest[1:] if rest.startswith(":") else ""
    host, sep, port = hostport.rpartition(":")
    if sep and (port.isdigit() or port == ""):
        return host, port
    return hostport, ""


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        if seg == ".":
            if i == len(segments) - 1:
                out.append("")
        elif seg == "..":
            if len(out) > 1:
                out.pop()
            if i == len(segments) - 1:
                out.append("")
        else:
            out.append(seg)
    result = "/".join(out)
    return result if result.startswith("/") else "/" + result


def _upper_escapes(s: str) -> str:
    return _ESCAPE_RE.sub(lambda m: m.group().upper(), s) if "%" in s else s


def param_name(pair: str) -> str:
    "Decoded, lower-cased name of one raw 'k=v' query pair."
    return unquote_plus(pair.partition("=")[0]).strip().lower()


def is_tracking_param(name: str) -> bool:
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _canonical_query(query: str, encoding: str = "utf-8") -> str:
    if not query:
        return ""
    kept = []
    for pair in query.split("&"):
        if not pair or is_tracking_param(param_name(pair)):
            continue
        # a character the page's encoding cannot write becomes &#N; first, as a browser's form would
        kept.append(_upper_escapes(quote(pair, safe=_QUERY_SAFE, encoding=encoding, errors="xmlcharrefreplace")))
    # sort by (name, value) so that ?b=2&a=1 and ?a=1&b=2 are one document; raw pairs keep their encoding
    kept.sort(key=lambda p: tuple(p.partition("=")[::2]))
    return "&".join(kept)


# --- traps -----------------------------------------------------------------------------------------

MAX_PATH_DEPTH = 16
MAX_SEGMENT_REPEATS = 4  # one segment this often anywhere in the path (/a/x/a/y/a/z/a)
SESSION_PARAMS: frozenset[str] = frozenset({
    "jsessionid", "phpsessid", "sessionid", "session_id", "sessid", "cfid", "cftoken", "sid",
})
CALENDAR_PARAMS: frozenset[str] = frozenset({
    "date", "day", "month", "year", "ym", "yearmonth", "time", "start", "end", "begin", "startdate", "enddate",
    "begindate", "d", "dt", "calendar", "caldate", "rq", "riqi", "nian", "yue",
})
CALENDAR_MIN_YEAR = 1990
CALENDAR_FUTURE_YEARS = 2
# `sid` is also "site id" on some CMSs: only a long opaque token counts as a session id
_TOKEN_RE = re.compile(r"^[0-9A-Za-z_-]{16,}$")
_DATE_VALUE_RE = re.compile(r"^((?:1[0-9]|2[0-9]|[3-9][0-9])\d{2})(?:[-/.]?\d{1,2}(?:[-/.]?\d{1,2})?)?$")
_DATED_VALUE_RE = re.compile(r"^(\d{4})[-/.]\d{1,2}(?:[-/.]\d{1,2})?$")  # a full date whatever the key


def is_trap(url: str, *, max_url_length: int = 512) -> str | None:
    """Why this URL looks like a crawler trap ('too-long', 'too-deep', 'repeating-path', 'session-id',
    'calendar', 'unparseable'), or None."""
    try:
        if len(url) > max_url_length:
            return "too-long"
        parts = urlsplit(url.strip())
    except (ValueError, TypeError, AttributeError):
        return "unparseable"
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_PATH_DEPTH:
        return "too-deep"
    if _repeats(segments):
        return "repeating-path"
    if ";jsessionid=" in parts.path.lower():
        return "session-id"
    max_year = datetime.date.today().year + CALENDAR_FUTURE_YEARS
    for pair in parts.query.split("&"):
        if not pair:
            continue
        name = param_name(pair)
        value = unquote_plus(pair.partition("=")[2]).strip()
        if name in SESSION_PARAMS or name.startswith("aspsessionid"):
            if name != "sid" or _TOKEN_RE.match(value):
                return "session-id"
        m = (_DATE_VALUE_RE if name in CALENDAR_PARAMS else _DATED_VALUE_RE).match(value)
        if m and not CALENDAR_MIN_YEAR <= int(m.group(1)) <= max_year:
            return "calendar"
    return None


def _repeats(segments: list[str]) -> bool:
    "A run of 1–4 segments repeated three times in a row, or one segment too often."
    n = len(segments)
    counts: dict[str, int] = {}
    for seg in segments:
        counts[seg] = counts.get(seg, 0) + 1
        if counts[seg] >= MAX_SEGMENT_REPEATS:
            return True
    for k in range(1, 5):
        for i in range(0, n - 3 * k + 1):
            if segments[i:i + k] == segments[i + k:i + 2 * k] == segments[i + 2 * k:i + 3 * k]:
                return True
    return False
