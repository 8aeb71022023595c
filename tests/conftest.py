"""Shared fixtures: the demo portal served on loopback, and a real `scrapy crawl` against it."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

# CI gates a submission: the same examples every run there; local runs keep exploring
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
E2E = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(items):
    "Everything under tests/e2e crawls: the tier `pytest -m 'not crawl'` leaves out."
    for item in items:
        if E2E in Path(item.fspath).parents:
            item.add_marker(pytest.mark.crawl)


@pytest.fixture(scope="session")
def portal():
    "The demo portal (crawler/demo/portal), served by a subprocess on 127.0.0.2…, one port."
    from crawler.demo.portal.server import PortalServer

    with PortalServer() as server:
        yield server


def run_crawl(start_urls: list[str], archive_dir: Path, *settings: str, timeout: int = 300,
              feeds: list[str] = ()) -> subprocess.CompletedProcess:
    "Run the real command a user runs, politeness delays off (loopback); ``feeds``: -O files."
    from crawler.demo import crawl_command

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    extra = [arg for s in settings for arg in ("-s", s)] + [arg for f in feeds for arg in ("-O", f)]
    return subprocess.run(crawl_command(start_urls, archive_dir, *extra), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
