"""The demo portal itself: fixtures are current, bytes are in their declared encodings, the
expected rows are consistent with the pages, and the server routes like the manifest says."""
from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
import urllib.robotparser
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.portal import PortalServer
from tests.portal.generate import generate
from tests.portal.model import strip_pinyin

PORTAL = Path(__file__).parent / "portal"
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


def page_text(site: dict, path: str) -> str:
    path, _, query = path.partition("?")
    (entry,) = [f for f in site["files"] if f["path"] == path and f["query"] == query]
    return site_file(site, entry).decode(STRICT[site["charset"]][0])


def test_committed_tree_is_what_the_generator_writes(tmp_path):
    generate(tmp_path)
    want, have = tree(tmp_path), tree(PORTAL)
    assert sorted(have) == sorted(want), "run: python -m tests.portal.generate"
    stale = [k for k in want if want[k] != have[k]]
    assert not stale, f"stale fixtures {stale[:5]}: run python -m tests.portal.generate"


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
        assert declared.group(1) == site["charset"]
        head = data[:1024].decode("ascii", "replace")
        assert f"charset={site['charset']}" in head, entry["path"]  # meta agrees with header
        for codec in STRICT[site["charset"]]:
            data.decode(codec)  # strict


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
    page = html.unescape(page_text(SITES[rep["site"]], rep["path"]))
    page, _ = strip_pinyin(page)
    assert f"<h1>{rep['title']}</h1>" in page or f">{rep['title']}<" in page
    assert rep["index_no"] in page and rep["publisher"] in page
    expected = (PORTAL / rep["expected_text"]).read_text(encoding="utf-8")
    assert expected.endswith("\n") and "\n\n" not in expected
    text = re.sub(r"<[^>]+>", "", page)  # 附件：<a …>name</a> reads as one line
    for line in expected.splitlines():
        if " | " not in line:  # prose lines appear verbatim; table rows are spans expanded
            assert line in text, line[:40]
    assert rep["title"] not in expected.splitlines()[0]


def test_paging_traps_hide_links():
    """Lists the crawler must page through are invisible to a plain <a href> extractor."""
    hanweb = page_text(SITES["hanweb-ejina"], "/col/col1005/index.html")
    outside_scripts = re.sub(r"<script.*?</script>", "", hanweb, flags=re.S)
    assert "/art/" not in outside_scripts.split('class="position"')[1].split('class="footer"')[0]
    trs = page_text(SITES["trs-ewenki"], "/xxgk/zfxxgknb/index.html")
    assert "index_1.html" not in trs and 'createPageHTML(2, 0, "index", "html")' in trs
    # the oldest reports are on page 2 only
    later = [r["path"] for r in MANIFEST["reports"] if r["id"] in ("hanweb-004", "trs-003")]
    for site in ("hanweb-ejina", "trs-ewenki"):
        for entry in SITES[site]["files"]:
            if "page=2" in entry["query"] or entry["path"].endswith("index_1.html"):
                continue
            text = site_file(SITES[site], entry).decode(STRICT[SITES[site]["charset"]][0], "replace")
            for path in later:
                assert path.rsplit("/", 1)[1] not in text, (entry["path"], path)


def test_scale_adds_reports(tmp_path):
    m = generate(tmp_path, scale=3)
    assert len(m["reports"]) == 3 * len(MANIFEST["reports"])
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
    q = "permissiontype=0&unitid=2005&columnid=1005&path=%2F&webid=31&appid=1&page=2"
    status, headers, body = fetch(portal.url("hanweb-ejina", "/module/web/jpage/dataproxy.jsp?" + q))
    assert status == 200 and b"<totalpage>2</totalpage>" in body
    form = b"appid=1&webid=31&path=/&columnid=1005&unitid=2005&permissiontype=0"  # jpage POSTs
    req = urllib.request.Request(portal.url("hanweb-ejina", "/module/web/jpage/dataproxy.jsp?page=1"),
                                 data=form, method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert b"<totalrecord>5</totalrecord>" in r.read()
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
    assert html.escape(trap["path"]) in page_text(site, "/list.jsp?catId=3&page=1")
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
