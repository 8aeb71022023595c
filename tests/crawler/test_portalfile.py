"""User mistakes in the portal file or arguments: one clear line on stderr, exit code 2, no traceback."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.portalfile import PortalError, load_portals, portals_from_urls, resolve_portals
from tests.paths import ROOT



def scrapy_crawl(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    # the settings module named, so that the command works from any directory
    env = dict(os.environ, PYTHONPATH=str(ROOT), SCRAPY_SETTINGS_MODULE="crawler.settings")
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", "portals", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


BAD_FILES = {
    "malformed": ("[[portal]\nname = 'x'\n", "malformed TOML"),
    "unknown_key": ("[[portal]]\nname='x'\nstart_urls=['http://a.gov.cn/']\nspeed=3\n", "unknown key(s): speed"),
    "bad_url": ("[[portal]]\nname='x'\nstart_urls=['ftp://a.gov.cn/']\n", "not an http(s) URL"),
    "no_urls": ("[[portal]]\nname='x'\nstart_urls=[]\n", "start_urls must be a non-empty list"),
    "empty": ("", "no [[portal]] entries"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_portal_file_raises_clear_error(tmp_path, case):
    content, message = BAD_FILES[case]
    path = tmp_path / "portals.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PortalError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        load_portals(path)


def test_portal_file_scopes_each_portal_to_its_hosts(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("[[portal]]\nname = '额济纳旗'\nstart_urls = ['http://WWW.ejnq.gov.cn/']\n"
                    "allowed_hosts = ['xxgk.ejnq.gov.cn']\n", encoding="utf-8")
    (portal,) = load_portals(path)
    assert portal.name == "额济纳旗"
    assert portal.hosts == {"www.ejnq.gov.cn", "xxgk.ejnq.gov.cn"}
    assert portal.verified is False


def test_start_urls_replace_the_portal_file():
    portals = resolve_portals("http://127.0.0.2:8000/, http://127.0.0.3:8000/index.html", "does-not-exist.toml")
    assert [p.start_urls for p in portals] == [("http://127.0.0.2:8000/",), ("http://127.0.0.3:8000/index.html",)]


def test_shipped_portal_file_is_valid_and_unverified():
    portals = load_portals(ROOT / "portals.toml")
    assert portals and not any(p.verified for p in portals)


def test_missing_portal_file_exits_2_with_one_line(tmp_path):
    done = scrapy_crawl("-a", f"portals={tmp_path / 'nope.toml'}", "-s", f"ARCHIVE_DIR={tmp_path}")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"error: portal file not found: {tmp_path / 'nope.toml'}"]


def test_bad_start_url_exits_2_with_one_line(tmp_path):
    done = scrapy_crawl("-a", "start_urls=not-a-url", "-s", f"ARCHIVE_DIR={tmp_path}")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == "error: start_urls: not an http(s) URL: 'not-a-url'"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_archive_dir_exits_2(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    done = scrapy_crawl("-a", "start_urls=http://127.0.0.2:9/", "-s", f"ARCHIVE_DIR={locked / 'a'}")
    assert done.returncode == 2
    assert done.stderr.startswith("error: ARCHIVE_DIR")


def test_archive_dir_that_is_a_file_exits_2(tmp_path):
    # works as root too: a regular file can never become a directory
    blocker = tmp_path / "archive"
    blocker.write_text("not a directory")
    done = scrapy_crawl("-a", "start_urls=http://127.0.0.2:9/", "-s", f"ARCHIVE_DIR={blocker}")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("error: ARCHIVE_DIR")
    assert "Traceback" not in done.stderr


def test_portals_from_urls_rejects_empty():
    with pytest.raises(PortalError):
        portals_from_urls(" , ")


def test_overlapping_run_refuses_to_start(tmp_path):
    from crawler.commands.crawl import lock_archive_dir

    held = lock_archive_dir(tmp_path)  # as a still-running crawl would
    assert held is not None
    done = scrapy_crawl("-a", "start_urls=http://127.0.0.2:9/", "-s", f"ARCHIVE_DIR={tmp_path}")
    held.close()
    assert done.returncode == 2
    assert done.stderr.strip().startswith("error: another run is using ARCHIVE_DIR")


def test_unknown_mode_exits_2_with_one_line(tmp_path):
    done = scrapy_crawl("-a", "start_urls=http://127.0.0.2:9/", "-s", f"ARCHIVE_DIR={tmp_path}", "-s", "XXGK_MODE=fast")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: XXGK_MODE must be one of normal, window, not 'fast'"


# --- issue 22: start URLs normalised once, scoped by their canonical host; odd input named ---------------

from pipelines.discovery import canonicalize_url  # noqa: E402

IDN = "xn--mxtq1m.xn--fiqs8s"   # 政府.中国, by the IDNA codec (RFC 3490), not by our own code
SAME_PORTAL = ["http://政府.中国/", "http://政府.中国:80/", "HTTP://政府.中国.:80/", f"http://{IDN.upper()}./",
               f"http://{IDN}:80/"]


@pytest.mark.parametrize("url", SAME_PORTAL)
def test_start_url_is_scoped_by_the_host_its_links_have(url):
    (portal,) = portals_from_urls(url)
    assert portal.start_urls == (f"http://{IDN}/",)
    assert portal.hosts == {IDN}
    # what the spider's scope check compares: the netloc of a canonical link on the portal
    assert urlsplit(canonicalize_url(url + "xxgk/index.html")).netloc in portal.hosts


def test_start_urls_of_one_host_are_one_portal():
    portals = portals_from_urls(",".join(SAME_PORTAL + ["http://政府.中国/xxgk/"]))
    assert [(p.name, p.start_urls) for p in portals] == [(IDN, (f"http://{IDN}/", f"http://{IDN}/xxgk/"))]


def test_https_default_port_and_other_ports_are_kept_apart():
    assert portals_from_urls("https://a.gov.cn:443/")[0].hosts == {"a.gov.cn"}
    assert portals_from_urls("http://a.gov.cn:8080/")[0].hosts == {"a.gov.cn:8080"}


def test_portal_file_normalises_start_urls_and_allowed_hosts(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("[[portal]]\nname = '政府'\nstart_urls = ['http://政府.中国.:80/']\n"
                    "allowed_hosts = ['XXGK.政府.中国.', 'b.gov.cn:80', 'c.gov.cn:8080']\n", encoding="utf-8")
    (portal,) = load_portals(path)
    assert portal.start_urls == (f"http://{IDN}/",)
    assert portal.hosts == {IDN, f"xxgk.{IDN}", "b.gov.cn", "c.gov.cn:8080"}


PORTAL_FILE_MISTAKES = {
    "duplicate_name": ("[[portal]]\nname='甲'\nstart_urls=['http://a.gov.cn/']\n"
                       "[[portal]]\nname='甲'\nstart_urls=['http://b.gov.cn/']\n", "portal #2: name '甲' is taken by portal #1"),
    "verified_no": ("[[portal]]\nname='x'\nstart_urls=['http://a.gov.cn/']\nverified='no'\n",
                    "verified must be true or false, not 'no'"),
    "verified_1": ("[[portal]]\nname='x'\nstart_urls=['http://a.gov.cn/']\nverified=1\n",
                   "verified must be true or false, not 1"),
    "port_range": ("[[portal]]\nname='x'\nstart_urls=['http://a.gov.cn:99999/']\n", "port out of range"),
    "port_zero": ("[[portal]]\nname='x'\nstart_urls=['http://a.gov.cn:0/']\n", "port out of range"),
    "port_word": ("[[portal]]\nname='x'\nstart_urls=['http://a.gov.cn:http/']\n", "port not a number"),
    "empty_label": ("[[portal]]\nname='x'\nstart_urls=['http://a..gov.cn/']\n", "not a valid host name"),
    "long_label": ("[[portal]]\nname='x'\nstart_urls=['http://" + "a" * 64 + ".gov.cn/']\n", "not a valid host name"),
    "host_with_space": ("[[portal]]\nname='x'\nstart_urls=['http://a b.gov.cn/']\n", "not a valid host name"),
    "allowed_host_port": ("[[portal]]\nname='x'\nstart_urls=['http://a.gov.cn/']\nallowed_hosts=['b.gov.cn:70000']\n",
                          "allowed host 'b.gov.cn:70000': port out of range"),
    "allowed_host_url": ("[[portal]]\nname='x'\nstart_urls=['http://a.gov.cn/']\nallowed_hosts=['http://b.gov.cn/']\n",
                         "not a host name"),
}


@pytest.mark.parametrize("case", sorted(PORTAL_FILE_MISTAKES))
def test_portal_file_mistake_is_named(tmp_path, case):
    content, message = PORTAL_FILE_MISTAKES[case]
    path = tmp_path / "portals.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PortalError) as caught:
        load_portals(path)
    assert message in str(caught.value)


@pytest.mark.parametrize("value", ["", " ", ",", " , "])
def test_empty_start_urls_never_fall_back_to_the_portal_file(value):
    with pytest.raises(PortalError, match="start_urls is empty"):
        resolve_portals(value, None)


def test_empty_portals_argument_never_falls_back_to_the_default_file():
    with pytest.raises(PortalError, match="portals is empty"):
        resolve_portals(None, "")


def one_line_exit_2(done: subprocess.CompletedProcess, *expected: str) -> None:
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr[-2000:]
    for piece in expected:
        assert piece in lines[0]


def test_empty_start_urls_argument_exits_2_and_contacts_nothing(tmp_path):
    # the cron line `-a start_urls=$URLS` with URLS unset: portals.toml lists real government sites
    done = scrapy_crawl("-a", "start_urls=", "-s", f"ARCHIVE_DIR={tmp_path / 'a'}")
    one_line_exit_2(done, "start_urls is empty")
    assert not (tmp_path / "a").exists()


def test_empty_archive_dir_exits_2(tmp_path):
    done = scrapy_crawl("-a", "start_urls=http://127.0.0.2:9/", "-s", "ARCHIVE_DIR=", cwd=tmp_path)
    one_line_exit_2(done, "ARCHIVE_DIR is empty")
    assert list(tmp_path.iterdir()) == []   # nothing written into the current directory


def test_port_out_of_range_in_portal_file_exits_2(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("[[portal]]\nname='x'\nstart_urls=['http://127.0.0.2:99999/']\n", encoding="utf-8")
    done = scrapy_crawl("-a", f"portals={path}", "-s", f"ARCHIVE_DIR={tmp_path / 'a'}")
    one_line_exit_2(done, "port out of range")


@pytest.mark.parametrize("name", ["reports.db", "state.db"])
@pytest.mark.parametrize("damage", ["garbage", "cut"])
def test_corrupt_database_exits_2_before_contacting_anyone(tmp_path, name, damage):
    from pipelines.store import Store
    from crawler.frontier import Frontier

    archive = tmp_path / "a"
    archive.mkdir()
    if name == "reports.db":
        store = Store(archive / name)
        for i in range(300):   # a few hundred pages of rows, so that half the file loses tables
            store.save_report({"url": f"http://a.gov.cn/{i}", "text": "年度报告" * 200, "sha256": str(i)})
        store.close()
    else:
        Frontier(archive / name).db.close()
    data = (archive / name).read_bytes()
    (archive / name).write_bytes(b"not a database, " * 64 if damage == "garbage" else data[:len(data) // 2])
    with socket.socket() as listener:   # a portal that would see any request the crawl makes
        listener.bind(("127.0.0.2", 0))
        listener.listen()
        listener.settimeout(0)
        done = scrapy_crawl("-a", f"start_urls=http://127.0.0.2:{listener.getsockname()[1]}/",
                            "-s", f"ARCHIVE_DIR={archive}")
        with pytest.raises(BlockingIOError):
            listener.accept()
    one_line_exit_2(done, str(archive / name), "not a usable SQLite database")
