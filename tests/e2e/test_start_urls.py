"""Issue 22: a start URL written with an IDN host, an explicit default port or a trailing dot crawls the
same portal as its plain form; a portal that yields nothing says so.

The demo portal answers on 127.0.0.x, and no test may use real DNS. So the crawls of `http://政府.中国/`
go through an HTTP proxy (`http_proxy`, which Scrapy's HttpProxyMiddleware reads): the demo server's
socket for the plain site, which serves an absolute-form request (`GET http://xn--mxtq1m.xn--fiqs8s/ …`)
by its path like any other. The crawler never resolves the portal's host, the port in the URL (80,
explicit or not) never has to be bound, and scope, canonical URLs and rows are what they would be
on the real host.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.demo import FAST
from tests.conftest import ROOT

SITE = "plain-meilie"
IDN = "xn--mxtq1m.xn--fiqs8s"       # 政府.中国 (RFC 3490 IDNA, as Python's idna codec writes it)
FORMS = {
    "idn": "http://政府.中国/",
    "idn-default-port": "http://政府.中国:80/",
    "punycode-upper-trailing-dot-port": f"HTTP://{IDN.upper()}.:80/",
}


def crawl(argument: str, archive: Path, proxy: str | None = None) -> subprocess.CompletedProcess:
    "`scrapy crawl portals -a ARGUMENT` (start_urls=… or portals=…) into `archive`, through `proxy`."
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY"):
        env.pop(name, None)
    if proxy:
        env["http_proxy"] = proxy
    cmd = [sys.executable, "-m", "scrapy", "crawl", "portals", "-a", argument, "-s", f"ARCHIVE_DIR={archive}", *FAST]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def rows(archive: Path) -> dict[str, tuple]:
    "{url path + query: (title, sha256 of text, error)} of every stored report."
    db = Database(archive / "reports.db")
    out = {}
    for r in db.query("select url, site, title, sha256, error from reports"):
        host, _, rest = r["url"].split("://", 1)[1].partition("/")
        assert host == r["site"]
        out["/" + rest] = (r["title"], r["sha256"], r["error"])
    db.close()
    return out


@pytest.fixture(scope="module")
def plain(portal, tmp_path_factory):
    archive = tmp_path_factory.mktemp("plain")
    done = crawl("start_urls=" + portal.url(SITE, "/"), archive)
    assert done.returncode == 0, done.stderr[-3000:]
    found = rows(archive)
    assert len(found) >= 5   # the plain site's reports
    return found


@pytest.mark.parametrize("form", sorted(FORMS))
def test_start_url_form_crawls_the_same_reports_as_the_plain_form(portal, plain, tmp_path, form):
    done = crawl("start_urls=" + FORMS[form], tmp_path / "a", f"http://{portal.sites[SITE]['host']}:{portal.port}")
    assert done.returncode == 0, done.stderr[-3000:]
    db = Database(tmp_path / "a" / "reports.db")
    assert {r["site"] for r in db.query("select site from reports")} == {IDN}
    assert rows(tmp_path / "a") == plain


def test_portal_file_with_an_idn_start_url_crawls_the_same_reports(portal, plain, tmp_path):
    path = tmp_path / "portals.toml"
    path.write_text("[[portal]]\nname = '示例政府'\nstart_urls = ['http://政府.中国.:80/']\nverified = false\n",
                    encoding="utf-8")
    done = crawl(f"portals={path}", tmp_path / "a", f"http://{portal.sites[SITE]['host']}:{portal.port}")
    assert done.returncode == 0, done.stderr[-3000:]
    assert rows(tmp_path / "a") == plain
