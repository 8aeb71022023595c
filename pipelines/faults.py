"""Is this response a page at all? Anti-bot challenges, WAF block pages, empty and binary bodies.

Pure functions on what was received (no Scrapy, no network): the crawl records such a response in
``errors`` instead of storing it as a report (domain.md §3.8), and keeps its raw capture in WARC.

    detect_block(status, headers, text) -> 'js-challenge' | 'waf' | 'captcha' | 'rate-limit' | None
    detect_junk(body, text)             -> 'empty' | 'binary' | None

Both decide from the body's shape: a block page is short (next to no visible text) and carries a
challenge script or a block message. A report that merely mentions 网站防火墙 or sets a cookie in a
script is long, so it is never taken for one. Neither function ever raises.
"""
from __future__ import annotations

import html as _html
import re
from collections.abc import Iterable

# visible text (after dropping script/style/comments/tags) below which a page can be a block page
CHALLENGE_MAX_VISIBLE = 200     # a JS challenge shows nothing, or "请开启JavaScript…"
BLOCK_MAX_VISIBLE = 1000        # a WAF/captcha page shows a message, a support id, a footer
# statuses that anti-bot services answer a first visit with (Ruishu 412, Jiasule 521, others 202)
CHALLENGE_STATUSES = frozenset({202, 403, 412, 418, 429, 503, 521})
# cookies that challenge services set with the challenge (supporting evidence, never alone)
CHALLENGE_COOKIES = ("acw_tc", "acw_sc__", "__jsluid", "__jsl_clearance", "wzws_", "yd_cookie", "FSSBBIl1UgzbN7N")

# script shapes of JS challenges, each seen on Chinese government hosts
CHALLENGE_SCRIPT_RES = tuple(re.compile(p) for p in (
    r"\$_ts\s*(?:=|\[|\.)",                      # Ruishu (瑞数): $_ts=window['$_ts'] …
    r"(?:_\$[A-Za-z0-9]{2}\s*\(.*?){3}",         # obfuscated _$xx() calls, repeated
    r"acw_sc__v[23]",                            # Aliyun anti-crawler cookie challenge
    r"__jsl_clearance",                          # Jiasule (加速乐)
    r"wzws(?:confirm|challenge|cid|question)",   # Yunsuo (云锁) / wzws challenge
    r"eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e",  # Dean Edwards packer
    r"document\.cookie\s*=.{0,600}?(?:location\.(?:reload|replace|href|assign)|window\.location\s*=)",
    r"cf-browser-verification|challenge-platform|jschl[_-]",            # Cloudflare
))
WAF_PHRASES = (
    "访问被拦截", "访问已被拦截", "请求被拦截", "请求已被拦截", "已被拦截", "设置拦截", "拦截了您的访问",
    "访问被阻断", "访问已被阻断", "已被阻断", "访问被拒绝", "拒绝访问", "禁止访问", "访问受限",
    "网站防火墙", "应用防火墙", "安全狗", "云盾", "创宇盾", "云锁", "D盾", "网站卫士",
    "不合法参数", "疑似黑客攻击", "可能对网站造成安全威胁", "含有非法字符", "存在安全风险",
    "訪問被攔截", "請求被攔截", "已被攔截", "訪問被阻斷", "網站防火牆", "拒絕訪問",
    "access denied", "request blocked", "has been blocked", "the requested url was rejected",
    "web application firewall", "your support id is", "forbidden by administrative rules",
)
CAPTCHA_PHRASES = ("请输入验证码", "输入验证码", "滑动验证", "拖动滑块", "人机验证", "安全验证", "请完成验证",
                   "請輸入驗證碼", "安全驗證", "captcha", "verify you are human")
RATE_PHRASES = ("访问过于频繁", "访问频率过高", "请求过于频繁", "访问太频繁", "操作频繁", "請求過於頻繁",
                "too many requests")

_DROP_RE = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?(?:</\1\s*>|$)|<!--.*?(?:-->|$)",
                      re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>?")
_SCRIPT_RE = re.compile(r"<script\b", re.IGNORECASE)
# control characters a text page never holds (tab, newlines, form feed and ESC excepted)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f\ufffd]")

# magic numbers of what gets served as text/html by mistake: attachments, images, archives, compressed bodies
BINARY_MAGIC = (
    (b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
    (b"\xff\xd8\xff", "jpeg"), (b"PK\x03\x04", "zip"), (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x28\xb5\x2f\xfd", "zstd"), (b"RIFF", "riff"), (b"\x00\x00\x01\x00", "ico"),
)
JUNK_SAMPLE = 8192          # leading characters looked at for control characters
JUNK_CONTROL_SHARE = 0.05   # a share of control characters / U+FFFD above this is not text
# A page's first characters are read first: what a prefix shows is the start of what the whole page
# shows (a construct cut at the end is dropped, never shown), give or take an entity cut in half
# ('&nbs' for '&nbsp;'), so a prefix showing more than SLACK characters past a limit settles it.
PREFIX_CHARS = 16_384
PREFIX_SLACK = 64


def visible_text(html: str | None) -> str:
    "What a browser would show, roughly: scripts, styles, comments and tags dropped, entities resolved."
    if not html:
        return ""
    text = _TAG_RE.sub(" ", _DROP_RE.sub(" ", html))
    return " ".join(_html.unescape(text).split())  # split() and re's \s agree on whitespace; split is 10x faster


def _prefix_shows_more(html: str, limit: int) -> bool:
    "True when the page's first PREFIX_CHARS already show more than ``limit`` characters (False: not settled)."
    return len(html) > PREFIX_CHARS and len(visible_text(html[:PREFIX_CHARS])) > limit + PREFIX_SLACK


def _header_values(headers: list[tuple[str, str]], name: str) -> list[str]:
    name = name.lower()
    return [value for key, value in headers or () if key.lower() == name]


def _has(text: str, phrases: Iterable[str]) -> bool:
    return any(p in text for p in phrases)


def detect_block(status: int | None, headers, text: str | None) -> str | None:
    """Name the kind of block page `text` is, or None for a page with content.

    Args:
        status: the HTTP status (a challenge may come as 200, 202, 412, 521 …).
        headers: response headers, as (name, value) pairs.
        text: the decoded body.
    Returns:
        'js-challenge' (tiny body, challenge script), 'waf' (a firewall's block message),
        'captcha', 'rate-limit', or None.
    """
    return _detect_block(status, headers, text)


def _detect_block(status, headers, text) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    head = text[:300_000]  # a block page is small; a long page is read only this far
    if _prefix_shows_more(head, BLOCK_MAX_VISIBLE):
        return None
    shown = visible_text(head)
    if len(shown) > BLOCK_MAX_VISIBLE:
        return None
    low = shown.lower()
    if len(shown) <= CHALLENGE_MAX_VISIBLE:
        if any(r.search(head) for r in CHALLENGE_SCRIPT_RES):
            return "js-challenge"
        if _SCRIPT_RE.search(head):
            cookies = " ".join(_header_values(headers, "set-cookie"))
            if status in CHALLENGE_STATUSES or any(c in cookies for c in CHALLENGE_COOKIES):
                return "js-challenge"
    if _has(low, RATE_PHRASES):
        return "rate-limit"
    if _has(low, CAPTCHA_PHRASES):
        return "captcha"
    if _has(low, WAF_PHRASES):
        return "waf"
    return None


def detect_junk(body: bytes | None, text: str | None = None) -> str | None:
    """'empty' for a body with nothing to show, 'binary' for bytes that are not text, else None.

    Args:
        body: the raw body as received.
        text: its decoded form, when already decoded (UTF-16 pages hold NUL bytes but decode fine).
    """
    return _detect_junk(body, text)


def binary_type(body: bytes | None) -> str | None:
    "The file type a body's magic number names ('pdf', 'png', 'gzip', …), or None."
    head = bytes(body or b"")[:16]
    for magic, name in BINARY_MAGIC:
        if head.startswith(magic):
            return name
    return None


def _detect_junk(body, text) -> str | None:
    body = bytes(body or b"")
    if not body.strip():
        return "empty"
    if binary_type(body):
        return "binary"
    sample = text[:JUNK_SAMPLE] if isinstance(text, str) else body[:JUNK_SAMPLE].decode("latin-1")
    if sample and len(_CONTROL_RE.findall(sample)) > JUNK_CONTROL_SHARE * len(sample):
        return "binary"
    if isinstance(text, str) and not _prefix_shows_more(text, 0) and not visible_text(text):
        return "empty"  # markup only (a shell whose content a script would load): nothing to archive as text
    return None
