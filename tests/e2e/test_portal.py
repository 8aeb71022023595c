"""The demo portal itself: fixtures are current, bytes are in their declared encodings, the
expected rows are consistent with the pages, and the server routes like the manifest says."""
from __future__ import annotations

import codecs
import html
import json
import re
import urllib.error
import urllib.request
import urllib.robotparser
from pathlib import Path
from urllib.parse import quote

import pytest

from crawler.demo.portal import PortalServer
from crawler.demo.portal.generate import build_sites, generate
from crawler.demo.portal.model import strip_pinyin
from crawler.demo.portal import PORTAL_DIR

PORTAL = PORTAL_DIR
MANIFEST = json.loads((PORTAL / "manifest.json").read_text(encoding="utf-8"))
SITES = {s["name"]: s for s in MANIFEST["sites"]}
STRICT = {"big5": ["big5", "big5hkscs"], "gb2312": ["gbk", "gb18030"], "utf-8": ["utf-8"]}


def tree(root: Path) -> dict[str, bytes]:
    out = {}
    for sub in ("sites", "expected"):
        for p in (root / sub).rglob("*"):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = p.read_bytes()
    out["manifest.json"] = (root / "manifest.json").read_bytes()
    return out


def site_file(site: dict, entry: dict) -> bytes:
    return (PORTAL / site["root"] / entry["file"]).read_bytes()


def file_entry(site: dict, path: str) -> dict:
    path, _, query = path.partition("?")
    (entry,) = [f for f in site["files"] if f["path"] == path and f["query"] == query]
    return entry


def entry_text(site: dict, entry: dict) -> str:
    "The file as text, in the codec it is written in (a page's own, else its site's)."
    data = site_file(site, entry)
    if entry.get("bom"):
        assert data.startswith(codecs.BOM_UTF8)
        data = data[len(codecs.BOM_UTF8):]
    return data.decode(entry.get("codec") or STRICT[site["charset"]][0])


def page_text(site: dict, path: str) -> str:
    return entry_text(site, file_entry(site, path))


def test_committed_tree_is_what_the_generator_writes(tmp_path):
    generate(tmp_path)
    want, have = tree(tmp_path), tree(PORTAL)
    assert sorted(have) == sorted(want), "run: python -m crawler.demo.portal.generate"
    stale = [k for k in want if want[k] != have[k]]
    assert not stale, f"stale fixtures {stale[:5]}: run python -m crawler.demo.portal.generate"


def test_generator_is_deterministic(tmp_path):
    generate(tmp_path / "a")
    generate(tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


@pytest.mark.parametrize("name", sorted(SITES))
def test_files_are_in_their_declared_encoding(name):
    site = SITES[name]
    for entry in site["files"]:
        if entry["status"] != 200:
            continue  # a redirect's stub body, as the container sends it
        data = site_file(site, entry)
        declared = re.search(r"charset=([\w-]+)", entry["content_type"])
        if entry["content_type"].startswith("text/xml"):  # Hanweb's dataproxy answers in UTF-8
            assert declared.group(1).lower() == "utf-8"
            data.decode("utf-8")
            continue
        if not entry["content_type"].startswith("text/html"):
            continue
        if "codec" in entry:  # a page that lies about its encoding (or omits it): its own test below
            entry_text(site, entry)  # strict, in its real codec
            continue
        assert declared.group(1) == site["charset"]
        head = data[:1024].decode("ascii", "replace")
        assert f"charset={site['charset']}" in head, entry["path"]  # meta agrees with header
        for codec in STRICT[site["charset"]]:
            data.decode(codec)  # strict


# issue 4: how each lying-encoding page goes over the wire. header/meta: the charset labels it carries
# (None: none); lies: labels whose reading loses the title; fails: codecs whose strict decode must fail
# on the bytes; shows: characters the page carries as bytes (not &#NNNN;) that a wrong decode loses
ENCODING_CASES = {
    "gbk-header-utf8": dict(header="utf-8", meta="gb2312", bom=False, lies=("utf-8",), fails=("utf-8",), shows=""),
    "gbk-header-latin1": dict(header="iso-8859-1", meta="gb2312", bom=False, lies=("iso-8859-1",),
                              fails=("utf-8",), shows="堃"),
    "utf8-meta-gb2312": dict(header="utf-8", meta="gb2312", bom=False, lies=("gb2312",), fails=("gb2312",),
                             shows=""),
    "gbk-undeclared": dict(header=None, meta=None, bom=False, lies=(), fails=("utf-8",), shows=""),
    "utf8-bom-meta-gbk": dict(header=None, meta="gbk", bom=True, lies=("gbk",), fails=("gb2312",), shows=""),
    "gb2312-gb18030-names": dict(header="gb2312", meta="gb2312", bom=False, lies=(), fails=("gb2312", "gbk"),
                                 shows="镕喆䶮㛃"),
    "big5-hkscs": dict(header="big5", meta="big5", bom=False, lies=(), fails=("big5", "cp950"), shows="喆堃峯綫衞"),
}
ENCODED = [r for r in MANIFEST["reports"] if r["encoding_case"]]
_META_CHARSET_RE = re.compile(rb"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=([\w-]+)\">")


def test_every_encoding_case_has_a_report_page():
    assert sorted(r["encoding_case"] for r in ENCODED) == sorted(ENCODING_CASES)


@pytest.mark.parametrize("rep", ENCODED, ids=lambda r: f"{r['id']}:{r['encoding_case']}")
def test_lying_pages_are_what_the_manifest_says(rep):
    """Each case really lies the way its name says, and the codec the manifest expects reads it."""
    want = ENCODING_CASES[rep["encoding_case"]]
    site = SITES[rep["site"]]
    entry = file_entry(site, rep["path"])
    data = site_file(site, entry)
    header = re.search(r"charset=([\w-]+)", entry["content_type"])
    assert (header.group(1) if header else None) == want["header"]
    metas = [m.decode("ascii") for m in _META_CHARSET_RE.findall(data[:2048])]
    assert metas == ([want["meta"]] if want["meta"] else []) and entry["meta_charset"] == want["meta"]
    assert data.startswith(codecs.BOM_UTF8) == want["bom"] == bool(entry.get("bom"))
    assert b"charset" not in data[:2048].lower() or want["meta"]  # an undeclared page names no charset at all
    text = entry_text(site, entry)  # strict, in the codec it is written in
    body = data[len(codecs.BOM_UTF8):] if want["bom"] else data
    assert body.decode(rep["encoding"]) == text  # the codec a decoder must report reads it strictly
    assert f"<h1>{rep['title']}</h1>" in text or f">{rep['title']}<" in text
    for codec in want["fails"]:
        with pytest.raises(UnicodeDecodeError):
            body.decode(codec)
    for label in want["lies"]:
        assert rep["title"] not in body.decode(label, "replace"), label
    for ch in want["shows"]:
        assert ch in text and f"&#{ord(ch)};" not in text, ch
    expected = (PORTAL / rep["expected_text"]).read_text(encoding="utf-8")
    assert all(ch in expected for ch in want["shows"])


# issue 6: the metadata layouts, each with the markup that makes it that layout and its date forms
LAYOUT_MARKS = {
    "ucap-dl": ['<div class="meta-data"><dl>',
                '<dd class="IndexNo"><label><font>索 引 号：</font></label><div class="display-block">',
                "<label><font>文　　号：</font></label>"],
    "table-2col": ['<tr><td class="xxgk-lab" width="20%">索引号</td><td class="xxgk-val">'],
    "li": ["<li>索引号：", "<li>成文日期："],
    "table-4col": ['<td class="xxgk-lab">索引號</td>', '<td class="xxgk-lab">發布機構</td>',
                   '<td class="xxgk-lab">成文時間</td>'],
}
_FW = str.maketrans("0123456789/", "０１２３４５６７８９／")


def shown_date(layout: str, iso: str) -> str:
    "A YYYY-MM-DD date as the layout's page prints it."
    y, m, d = iso.split("-")
    return {"ucap-dl": f"{y}年{int(m)}月{int(d)}日", "table-2col": f"{y}{m}{d}", "li": f"{y}/{m}/{d}",
            "table-4col": f"{y}年{int(m)}月{int(d)}日".translate(_FW)}[layout]


LAID_OUT = [r for r in MANIFEST["reports"] if r["meta_layout"]]


def test_every_layout_has_a_report_page():
    assert sorted(r["meta_layout"] for r in LAID_OUT) == sorted(LAYOUT_MARKS)
    assert {r["script"] for r in LAID_OUT} == {"hans", "hant"}


@pytest.mark.parametrize("rep", LAID_OUT, ids=lambda r: f"{r['id']}:{r['meta_layout']}")
def test_layout_pages_show_their_block_and_date_forms(rep):
    page = page_text(SITES[rep["site"]], rep["path"])
    for mark in LAYOUT_MARKS[rep["meta_layout"]]:
        assert mark in page, mark
    # the written date (which nothing else on the page repeats) in the layout's own form
    assert rep["written"] and rep["written"] != rep["published"]
    assert re.search(f"[>：]{re.escape(shown_date(rep['meta_layout'], rep['written']))}<", page)
    assert rep["written"] not in page  # never in ISO form: a reader must parse the shown one
    if rep["meta_layout"] == "table-4col":  # and a full-width 發布日期
        assert ">" + rep["published"].replace("-", "/").translate(_FW) + "<" in page


def test_gbk_site_is_not_strict_gb2312():
    """charset=gb2312 but GBK bytes: a strict gb2312 decode must fail on the report pages."""
    site = SITES["trs-ewenki"]
    failures = 0
    for entry in site["files"]:
        try:
            site_file(site, entry).decode("gb2312")
        except UnicodeDecodeError:
            failures += 1
    assert failures >= 1


def test_big5_pages_use_numeric_references_outside_big5():
    text = page_text(SITES["hanweb-ejina"], "/art/2021/1/26/art_1005_52341.html")
    assert "&#462;" in text  # ǎ of 網(wǎng)
    assert "網(w&#462;ng)" in text


@pytest.mark.parametrize("rep", MANIFEST["reports"], ids=lambda r: r["id"])
def test_report_rows_are_complete_and_match_the_page(rep):
    for key in ("title", "index_no", "publisher", "published", "written", "doc_no", "category"):
        assert rep[key] is None or (isinstance(rep[key], str) and rep[key].strip()), key
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rep["published"])
    assert rep["encoding"] in ("gb18030", "big5hkscs", "utf-8")
    assert rep["script"] in ("hans", "hant")
    assert str(rep["report_year"]) in rep["title"]
    # a paged report: each of its pages, with its own part of the text (issue 24)
    for path, name in zip(rep["pages"] or [rep["path"]], rep["page_texts"] or [rep["expected_text"]]):
        page = html.unescape(page_text(SITES[rep["site"]], path))
        page, _ = strip_pinyin(page)
        # a page of the site-title family shows its title only in <title>, before the site's name
        shown = f"<title>{rep['title']}" if rep.get("family") == "site-title" else f">{rep['title']}<"
        assert f"<h1>{rep['title']}</h1>" in page or shown in page
        assert (rep["index_no"] is None or rep["index_no"] in page) and rep["publisher"] in page
        expected = (PORTAL / name).read_text(encoding="utf-8")
        assert expected.endswith("\n") and "\n\n" not in expected
        if rep["text_source"] != "html":
            continue   # the page shows the report in a viewer (tests/e2e/test_shapes.py reads the file)
        text = re.sub(r"<[^>]+>", "", page)  # 附件：<a …>name</a> reads as one line
        for line in expected.splitlines():
            if " | " not in line:  # prose lines appear verbatim; table rows are spans expanded
                assert line in text, line[:40]
    expected = (PORTAL / rep["expected_text"]).read_text(encoding="utf-8")
    assert rep["title"] not in expected.splitlines()[0]


def _later_list_page(entry: dict) -> bool:
    "Page 2.. of a Hanweb dataproxy list or a TRS createPageHTML list."
    page = re.search(r"(?:^|&)page=(\d+)", entry["query"])
    return bool(page and int(page.group(1)) >= 2 or re.search(r"/index_\d+\.html$", entry["path"]))


def test_paging_traps_hide_links():
    """Lists the crawler must page through are invisible to a plain <a href> extractor."""
    hanweb = page_text(SITES["hanweb-ejina"], "/col/col1005/index.html")
    outside_scripts = re.sub(r"<script.*?</script>", "", hanweb, flags=re.S)
    assert "/art/" not in outside_scripts.split('class="position"')[1].split('class="footer"')[0]
    trs = page_text(SITES["trs-ewenki"], "/xxgk/zfxxgknb/index.html")
    pages = [f for f in SITES["trs-ewenki"]["files"] if re.fullmatch(r"/xxgk/zfxxgknb/index(_\d+)?\.html", f["path"])]
    assert len(pages) >= 3  # paginated, more than one later page
    assert "index_1.html" not in trs and f'createPageHTML({len(pages)}, 0, "index", "html")' in trs
    # the oldest reports (seed 004 and 003, and the old cases beside them) are on later pages only
    later = [r["path"] for r in MANIFEST["reports"]
             if r["id"] in ("hanweb-004", "trs-003", "hanweb-hkscs", "trs-lie-latin1", "trs-gb18030")]
    for site in ("hanweb-ejina", "trs-ewenki"):
        for entry in SITES[site]["files"]:
            if _later_list_page(entry):
                continue
            text = site_file(SITES[site], entry).decode(STRICT[SITES[site]["charset"]][0], "replace")
            for path in later:
                assert path.rsplit("/", 1)[1] not in text, (entry["path"], path)


def test_scale_adds_reports(tmp_path):
    m = generate(tmp_path, scale=3)
    # never copied: a report that only links its file (the copies would share the one file), one listed
    # only on a 汇总 or archive page (the copies would be linked nowhere)
    kept = [r for r in MANIFEST["reports"]
            if (r.get("text_source") == "attachment" and not (r.get("shape") or "").startswith("viewer"))
            or (r.get("shape") or "").startswith("listed")]
    assert len(m["reports"]) == 3 * len(MANIFEST["reports"]) - 2 * len(kept)
    assert len({(r["site"], r["path"]) for r in m["reports"]}) == len(m["reports"])
    texts = {(tmp_path / r["expected_text"]).read_bytes() for r in m["reports"]}
    assert len(texts) == len(m["reports"])


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    log = tmp_path_factory.mktemp("portal") / "requests.log"
    with PortalServer(log=log) as p:
        p.log_path = log
        yield p


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test sees the 301/302 itself (and never follows one off loopback)


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, method: str = "GET"):
    req = urllib.request.Request(url, method=method)
    try:
        with _OPENER.open(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def served_bytes(portal, site: dict, entry: dict) -> bytes:
    "The file as the server sends it: {{HOST}} filled in with the site's host:port."
    data = site_file(site, entry)
    if entry.get("host_token"):
        data = data.replace(entry["host_token"].encode(), f"{site['host']}:{portal.port}".encode())
    return data


def test_server_serves_each_host_with_manifest_headers(portal):
    assert portal.start_urls() == [f"http://127.0.0.{i + 2}:{portal.port}/" for i in range(len(SITES))]
    for name, site in SITES.items():
        for entry in site["files"]:
            url = portal.url(name, entry["path"] + ("?" + entry["query"] if entry["query"] else ""))
            status, headers, body = fetch(url)
            assert status == entry["status"], url
            assert headers["Content-Type"] == entry["content_type"]
            assert body == served_bytes(portal, site, entry)
            for name_, value in entry.get("headers", []):
                assert headers[name_] == value
        status, _, body = fetch(portal.url(name, "/"))
        assert status == 200 and b"<html" in body


def test_server_routes(portal):
    status, _, body = fetch(portal.url("hanweb-ejina", "/robots.txt"))
    assert status == 200 and b"Disallow: /jrobot/" in body
    # query order and escaping do not matter; tracking parameters are ignored like a JSP would
    nb = [a for a in build_sites()[0].articles if a.column == "nb"]  # the Hanweb 年报 column (id 1005)
    q = "permissiontype=0&unitid=2005&columnid=1005&path=%2F&webid=31&appid=1&page=2"
    status, headers, body = fetch(portal.url("hanweb-ejina", "/module/web/jpage/dataproxy.jsp?" + q))
    assert status == 200 and f"<totalpage>{-(-len(nb) // 3)}</totalpage>".encode() in body
    form = b"appid=1&webid=31&path=/&columnid=1005&unitid=2005&permissiontype=0"  # jpage POSTs
    req = urllib.request.Request(portal.url("hanweb-ejina", "/module/web/jpage/dataproxy.jsp?page=1"),
                                 data=form, method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert f"<totalrecord>{len(nb)}</totalrecord>".encode() in r.read()
    assert fetch(portal.url("plain-meilie", "/detail.jsp?from=index&id=101"))[0] == 200
    assert fetch(portal.url("plain-meilie", "/detail.jsp?id=999"))[0] == 404
    assert fetch(portal.url("plain-meilie", "/list.jsp?catId=3&page=2"))[0] == 200
    assert fetch(portal.url("trs-ewenki", "/xxgk/zfxxgknb/"))[0] == 200
    assert fetch(portal.url("trs-ewenki", "/art/2015/3/24/art_1005_52340.html"))[0] == 404  # other host's
    status, headers, body = fetch(portal.url("trs-ewenki", "/index.html"), "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    log = portal.log_path.read_text(encoding="utf-8")
    assert "hanweb-ejina\t/robots.txt\t200" in log and "\t404\n" in log


def test_server_routes_aliases_like_a_real_portal(portal):
    """The aliases a crawler must collapse are really served: a crawler that fetched them would
    store the report twice, which the crawl test would see."""
    report = next(r for r in MANIFEST["reports"] if r["id"] == "trs-000")
    status, _, page = fetch(portal.url("trs-ewenki", report["path"]))
    assert status == 200
    host = SITES["trs-ewenki"]["host"]
    for alias in (f"/gate/big5/{host}:{portal.port}{report['path']}",
                  report["path"] + "?from=singlemessage&isappinstalled=0", report["path"] + "?v=1"):
        assert fetch(portal.url("trs-ewenki", alias))[2] == page, alias
    # the self-links carry the server's own host:port
    section = fetch(portal.url("trs-ewenki", "/xxgk/index.html"))[2]
    assert f"/gate/big5/{host}:{portal.port}/".encode() in section and b"{{HOST}}" not in section


def test_server_reads_query_escapes_as_bytes(portal):
    """The attachment's file name is GBK in the query: the UTF-8 escapes of the same name are another
    file (404), as on a GBK server."""
    (att,) = next(r for r in MANIFEST["reports"] if r["id"] == "trs-att")["attachments"]
    status, headers, body = fetch(portal.url("trs-ewenki", att["path"]))
    assert status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF-")
    utf8 = "/xxgk/download.jsp?filename=" + quote(att["name"], safe=".")
    assert fetch(portal.url("trs-ewenki", utf8))[0] == 404


def test_redirects_and_links_are_where_the_manifest_says(portal):
    for link in MANIFEST["links"]:
        site = SITES[link["site"]]
        page_path = {"home": "/", "section": {"hanweb": "/col/col1001/index.html", "trs": "/xxgk/index.html",
                                              "plain": "/xxgk/index.jsp"}[site["cms"]]}[link["page"]]
        page = fetch(portal.url(link["site"], page_path))[2].decode(STRICT[site["charset"]][0])
        href = link["href"].replace("{{HOST}}", f"{site['host']}:{portal.port}")
        assert f'href="{html.escape(href)}"' in page, link
        if link["kind"] in ("redirect", "offsite-redirect"):
            status, headers, _ = fetch(portal.url(link["site"], link["href"]))
            assert status in (301, 302) and headers["Location"] == link["target_path"]


def test_robots_txt_disallows_the_preview_copy_which_a_list_links():
    """The robots trap is real: a report-like page robots.txt disallows, linked from the 年报 list, so a
    crawl that fetched it would have been tempted, and one that obeys robots.txt never asks for it."""
    (trap,) = [n for n in MANIFEST["not_reports"] if n["kind"] == "robots"]
    site = SITES[trap["site"]]
    rules = urllib.robotparser.RobotFileParser()
    rules.parse(page_text(site, "/robots.txt").splitlines())
    assert not rules.can_fetch("xxgk-archive", trap["path"])
    lists = [f for f in site["files"] if f["path"] == "/list.jsp" and re.fullmatch(r"catId=3&page=\d+", f["query"])]
    assert [f for f in lists if html.escape(trap["path"]) in page_text(site, f"/list.jsp?{f['query']}")]
    assert rules.can_fetch("xxgk-archive", "/detail.jsp?id=101")


def test_attachment_pdf_is_a_real_pdf():
    (att,) = next(r for r in MANIFEST["reports"] if r["id"] == "trs-att")["attachments"]
    path, _, query = att["path"].partition("?")
    site = SITES["trs-ewenki"]
    (entry,) = [f for f in site["files"] if f["path"] == path and f["query"] == query]
    pdf = site_file(site, entry)
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.endswith(b"%%EOF\n")
    xref = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))
    assert pdf[xref:].startswith(b"xref\n")
    offsets = [int(x) for x in re.findall(rb"^(\d{10}) 00000 n ", pdf, re.M)]
    assert offsets and all(pdf[o:].startswith(b"%d 0 obj" % (i + 1)) for i, o in enumerate(offsets))
    # the report page names the file as its link text, the way the manifest records it
    page = html.unescape(page_text(site, next(r["path"] for r in MANIFEST["reports"] if r["id"] == "trs-att")))
    assert f">{att['name']}</a>" in page
