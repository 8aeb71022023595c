"""The demo portal itself: fixtures are current, bytes are in their declared encodings, the
expected rows are consistent with the pages, and the server routes like the manifest says."""
from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

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
    for line in expected.splitlines():
        if " | " not in line:  # prose lines appear verbatim; table rows are spans expanded
            assert line in page, line[:40]
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


def fetch(url: str, method: str = "GET"):
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_server_serves_each_host_with_manifest_headers(portal):
    assert portal.start_urls() == [f"http://127.0.0.{i + 2}:{portal.port}/" for i in range(len(SITES))]
    for name, site in SITES.items():
        for entry in site["files"]:
            url = portal.url(name, entry["path"] + ("?" + entry["query"] if entry["query"] else ""))
            status, headers, body = fetch(url)
            assert status == entry["status"], url
            assert headers["Content-Type"] == entry["content_type"]
            assert body == site_file(site, entry)
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
