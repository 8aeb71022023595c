"""The pages of pageshapes.py's cases, made from what the CMS renderer wrote: a paged report cut into its
pages, a viewer report's body replaced by its viewer, the 汇总 page's links filled in, the archive column.

Every page goes through the site's own ``detail()``, so a continuation page has the full chrome and the
metadata block like the first. What the CMS template has no block kind for (the pager under the body, the
viewer in it) goes where a marker paragraph was rendered.
"""
from __future__ import annotations

import re

from . import cms_plain, cms_trs, common
from .model import Article, File, Site, Wire, esc, resolve_refs
from .pageshapes import ARCHIVE_CAT, ARCHIVE_TITLE, PDFJS_VIEWER, Shape, page_paths, shape_of
from .viewerpdfs import pdf_bytes

DETAIL = {"trs": cms_trs.detail, "plain": cms_plain.detail}
MARK = "@@shape@@"
_MARK_RE = re.compile(r"<p [^>]*><span [^>]*>\u3000*" + MARK + r"</span></p>|<p [^>]*>" + MARK + "</p>")
# pdf.js's viewer page as it ships: UTF-8 whatever the site's pages are
VIEWER_HTML = """<!DOCTYPE html>
<html dir="ltr" mozdisallowselectionprint>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">
<meta name="google" content="notranslate">
<title>PDF.js viewer</title>
<link rel="resource" type="application/l10n" href="locale/locale.properties">
<link rel="stylesheet" href="viewer.css">
<script src="../build/pdf.js"></script>
<script src="viewer.js"></script>
</head>
<body tabindex="1">
<div id="outerContainer"><div id="mainContainer"><div id="viewerContainer" tabindex="0">
<div id="viewer" class="pdfViewer"></div></div></div></div>
</body>
</html>
"""
SERVER_ERROR = ("<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 "
                "Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


def prepare(site: Site) -> None:
    "Before rendering: a scaled clone of a report only a 汇总 page or the archive lists is listed in the 年报 column."
    for a in site.articles:
        s = getattr(a, "shape", None)
        if s is not None and shape_of(a) is None and a.kind == "report" and not a.column:
            a.column = "nb"


def _with_mark(site: Site, a: Article, blocks: list, html: str, path: str, query: str, lead=()) -> File:
    "``a``'s page with ``blocks`` for a body and ``html`` under them, at path?query."
    kept = a.blocks, a.lead
    # the article itself, with this page's body: a renderer finds it in its column (上一篇/下一篇)
    a.blocks, a.lead = [*blocks, ("p", MARK)], list(lead)
    try:
        f = DETAIL[site.cms](site, a)
    finally:
        a.blocks, a.lead = kept
    body, n = _MARK_RE.subn(lambda m: html, f.body)
    assert n == 1, (a.id, n)
    f.body, f.path, f.query = body, path, query
    return f


def _split(path: str) -> tuple[str, str]:
    p, _, q = path.partition("?")
    return p, q


def _pager(site: Site, a: Article, shape: Shape, i: int, paths: list[str]) -> str:
    n = len(paths)
    if shape.style == "trs":   # TRS writes the article's paging with the list's own script
        stem = paths[0].rsplit("/", 1)[1].rpartition(".")
        return (f'<div id="pageDiv" class="page-article">{cms_trs.PAGER_JS}\n<script type="text/javascript">'
                f'createPageHTML({n}, {i}, "{stem[0]}", "{stem[2]}");</script></div>')
    # 第1页 2 下一页 under the body; the loop names page 1 by another URL (…&page=1), the same bytes
    url = [f"{paths[0]}&page=1" if shape.style == "loop" else paths[0], *paths[1:]]
    links = [f'<a href="{esc(url[i - 1])}">上一页</a>'] if i else []
    links += [f'<a href="{esc(url[k])}">{f"第{k + 1}页" if k == i else k + 1}</a>' for k in range(n)]
    links += [f'<a href="{esc(url[i + 1])}">下一页</a>'] if i + 1 < n else []
    return '<div class="article-pager" style="text-align:center;">' + " ".join(links) + "</div>"


def _paged(site: Site, a: Article, shape: Shape) -> list[File]:
    paths = page_paths(a, shape)
    out = []
    for i, (blocks, path) in enumerate(zip(shape.pages, paths)):
        if i in shape.broken:
            out.append(File(_split(path)[0], SERVER_ERROR, "text/html", query=_split(path)[1], status=500,
                            note=f"page {i + 1} of {a.id}: the server fails, the report is incomplete"))
            continue
        f = _with_mark(site, a, blocks, _pager(site, a, shape, i, paths), *_split(path), lead=a.lead if i == 0 else ())
        f.note = f"page {i + 1} of {len(paths)} of {a.id}"
        out.append(f)
        if i == 0 and shape.style == "loop":
            out.append(File(f.path, f.body, f.content_type, query=f"{f.query}&page=1", encoding=f.encoding,
                            note=f"page 1 of {a.id} again, as page 2 links it: a paging loop"))
    return out


def _viewer(site: Site, a: Article, shape: Shape) -> list[File]:
    attrs = 'width="100%" height="900"'
    if shape.style in ("pdfjs", "pdfjs-encoded"):
        file = shape.pdf if shape.style == "pdfjs" else shape.pdf.replace("/", "%2F")
        html = f'<iframe src="{PDFJS_VIEWER}?file={file}" {attrs} frameborder="0" scrolling="no"></iframe>'
    elif shape.style == "embed":
        html = f'<embed src="{shape.pdf}" type="application/pdf" {attrs}>'
    else:
        html = (f'<object data="{shape.pdf}" type="application/pdf" {attrs}>'
                f"<p>您的浏览器不支持在线查看PDF文件。</p></object>")
    page = _with_mark(site, a, [], html, a.url_path, a.url_query)
    page.note = f"{a.id}: the body is only a viewer ({shape.style}) of {shape.pdf}, linked nowhere"
    pdf = File(shape.pdf, pdf_bytes(a, shape.pdf.rsplit("/", 1)[1]), "application/pdf",
               note=f"the report {a.id} shows in a viewer: its title and body, with a text layer")
    return [page, pdf]


def _archive(site: Site, a: Article, shape: Shape) -> list[File]:
    "The archive column as the site's other columns are listed (cms_plain.list_files), its own pages."
    by_id = {x.id: x for x in site.articles}
    arts = sorted((by_id[i] for i in shape.listed), key=lambda x: (x.date, x.serial), reverse=True)
    chunks = common.pages_of(arts, site.page_size)

    def url(k: int | None = None) -> str:
        return f"/list.jsp?catId={ARCHIVE_CAT}" + (f"&page={k}" if k else "")
    out = []
    for n, chunk in enumerate(chunks, 1):
        lis = "\n".join(f'<li><span class="date">[{x.date}]</span><a href="{cms_plain.href(x)}" title="{esc(x.title)}">'
                        f"{esc(x.title)}</a></li>" for x in chunk)
        last = len(chunks)
        nav = [f'<a href="{url(1)}">首页</a>', f'<a href="{url(n - 1)}">上一页</a>' if n > 1 else "<span>上一页</span>",
               f'<a href="{url(n + 1)}">下一页</a>' if n < last else "<span>下一页</span>",
               f'<a href="{url(last)}">尾页</a>', f"<span>第{n}/{last}页</span>"]
        body = f"""<div class="container main"><aside class="sidebar"><h3>政府信息公开</h3><ul>
<li><a href="{cms_plain.list_url('fdzdgk')}">法定主动公开内容</a></li><li><a href="{cms_plain.list_url('nb')}">政府信息公开年报</a></li></ul></aside>
<section class="list"><h2>{esc(ARCHIVE_TITLE)}</h2><ul class="news-list">
{lis}
</ul>
<div class="pager">{' '.join(nav)}</div></section></div>"""
        crumbs = [("政府信息公开", "/xxgk/index.jsp"), (cms_plain.CATS["nb"][1], cms_plain.list_url("nb")),
                  (ARCHIVE_TITLE, url())]
        f = cms_plain.page(site, f"{ARCHIVE_TITLE}-{site.title}", ARCHIVE_TITLE, body, crumbs=crumbs)
        f.path, f.query = _split(url(n))
        out.append(f)
        if n == 1:   # as the 年报 list links it
            out.append(File(f.path, f.body, f.content_type, query=_split(url())[1]))
    return out


def finish(site: Site, files: list[File]) -> list[File]:
    "The rendered files with the cases' pages in place of what the CMS renderer wrote for them."
    replace: dict[tuple[str, str], list[File]] = {}
    moved: dict[str, str] = {}      # an entry's href as the CMS wrote it -> where it leads
    for a in site.articles:
        shape = shape_of(a)
        if shape is None:
            continue
        key = (a.url_path, a.url_query)
        if shape.kind == "paged":
            replace[key] = _paged(site, a, shape)
        elif shape.kind == "viewer":
            replace[key] = _viewer(site, a, shape)
        elif shape.kind == "summary":
            (f,) = [f for f in files if (f.path, f.query) == key]
            f.body = resolve_refs(site, f.body)
        elif shape.kind == "archive":
            assert site.cms == "plain", "the archive column is written for the plain site"
            replace[key] = _archive(site, a, shape)
            moved[cms_plain.href(a)] = f"/list.jsp?catId={ARCHIVE_CAT}"
            a.url_path, a.url_query = "/list.jsp", f"catId={ARCHIVE_CAT}"   # the CMS's link article: its target
    out = []
    for f in files:
        out += replace.pop((f.path, f.query), [f])
    assert not replace, f"no rendered page for {sorted(replace)}"
    for old, new in moved.items():   # the 年报 list and its neighbours' 上一篇/下一篇 link the column itself
        for f in out:
            if isinstance(f.body, str):
                f.body = f.body.replace(f'href="{old}"', f'href="{new}"')
    if any((s := shape_of(a)) is not None and s.style.startswith("pdfjs") for a in site.articles):
        out.append(File(PDFJS_VIEWER, VIEWER_HTML, "text/html",
                        wire=Wire("pdfjs-viewer", "text/html", "utf-8", "utf-8", "utf-8",
                                  why="pdf.js's own viewer page, UTF-8 as pdf.js ships it"),
                        note="pdf.js's viewer: a report's iframe shows its file= here"))
    return out
