"""User mistakes in the portal file or arguments: one clear line on stderr, exit code 2, no traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.portalfile import PortalError, load_portals, portals_from_urls, resolve_portals
from tests.paths import ROOT



def scrapy_crawl(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
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
