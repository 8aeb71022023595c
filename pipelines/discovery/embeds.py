"""Files a page shows rather than links: an online viewer in an <iframe>, an <embed>, an <object>.

A report page whose body is only a viewer holds its report in the file the viewer is given, with no
<a href> to it. The viewers county portals use name the file in a query parameter of their own:
pdf.js ``/pdfjs/web/viewer.html?file=/uploadfiles/2023nb.pdf`` (the value URL-encoded or not),
kkFileView ``/onlinePreview?url=`` (the file URL Base64-encoded, then URL-encoded), Microsoft Office
Online ``view.officeapps.live.com/op/view.aspx?src=``, officeweb365 ``ow365.cn/?i=…&furl=``, Google's
``docs.google.com/viewer?url=``, and in-house previews with ``fileUrl``/``filePath``/``downloadUrl``.
"""
from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import parse_qsl, unquote, urlsplit

# query parameters that hold the shown file, compared lower-case, most specific first
VIEWER_PARAMS: tuple[str, ...] = ("file", "furl", "fileurl", "filepath", "downloadurl", "src", "url", "path")
# a viewer is recognised by its path (…/viewer.html, /onlinePreview, /op/view.aspx, /preview…) or by
# naming a file in one of its parameters
_VIEWER_PATH_RE = re.compile(r"viewer|preview|/op/view|/view\.aspx|/docview|pdfjs", re.I)
_BASE64_RE = re.compile(r"^[A-Za-z0-9+/_-]{12,}={0,2}$")


def _from_base64(value: str) -> str | None:
    "kkFileView's Base64 of the file URL, when ``value`` is one."
    if not _BASE64_RE.match(value):
        return None
    padded = value + "=" * (-len(value) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return text if text.startswith(("http://", "https://", "/")) else None


def viewer_file(src: str) -> str | None:
    """The file a viewer URL shows (as written, relative or absolute), or None when ``src`` is no viewer
    of a file. ``src`` is the frame's ``src`` as written (resolved by the caller)."""
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return None
    if not parts.query:
        return None
    params = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=False)}
    is_viewer = bool(_VIEWER_PATH_RE.search(parts.path))
    for name in VIEWER_PARAMS:
        value = params.get(name, "").strip()
        if not value:
            continue
        value = unquote(value) if "%" in value else value   # encoded twice by some templates
        decoded = _from_base64(value)
        if decoded:
            return decoded
        if value.startswith(("http://", "https://", "/", "./", "../")) or (is_viewer and "." in value):
            # a bare parameter such as url=… on a non-viewer page is a redirect target, not a shown file
            if is_viewer or _looks_like_file(value):
                return value
    return None


def _looks_like_file(value: str) -> bool:
    name = urlsplit(value).path.rsplit("/", 1)[-1]
    return "." in name and name.rsplit(".", 1)[-1].lower() in ("pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "ofd")
