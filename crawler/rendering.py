"""Whether this crawl can render list pages in a browser, and the download handler that does (issue 17).

``XXGK_RENDER``: ``auto`` (default: list pages that look script-built, ``Page.script_built``),
``always`` (every list page), ``never``. Rendering needs scrapy-playwright (the ``render`` extra) and a
Chromium at ``XXGK_CHROMIUM`` (Debian's ``chromium``: no browser is downloaded). When either is
missing the crawl says so in one warning line at start and reads pages statically; the spider
counts the list pages it did not render (``xxgk/render/not_rendered``).

``RenderingDownloadHandler`` is the http/https handler: Scrapy's own for every request, and for a
request with ``meta["playwright"]`` the browser (``crawler.browser``). One instance serves both
schemes, so a crawl has one browser, launched on the first page that needs it.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import shutil
from typing import TYPE_CHECKING

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

MODES = ("auto", "always", "never")
RENDER_SLOT = "xxgk-render"          # download slot of rendered pages: the host's own slots stay free
RENDER_CONTEXT = "xxgk-render"       # the one browser context
# Chromium fetches nothing itself (every request goes through Scrapy, crawler.browser): no DNS, no
# background services, no updates. The flags the workplace's own Chromium runs need, and a resolver
# that resolves nothing, so a request that slipped past the route could not leave the machine.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--mute-audio",
                 "--host-resolver-rules=MAP * ~NOTFOUND")


def render_mode(settings: BaseSettings) -> str:
    mode = (settings.get("XXGK_RENDER") or "auto").lower()
    if mode not in MODES:
        raise ValueError(f"XXGK_RENDER must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def chromium_path(settings: BaseSettings) -> str | None:
    "The Chromium executable XXGK_CHROMIUM names (a path, or a name on PATH), if it is there."
    name = settings.get("XXGK_CHROMIUM") or "chromium"
    found = shutil.which(name)
    return found if found and os.access(found, os.X_OK) else None


def unavailable(settings: BaseSettings) -> str | None:
    "Why this crawl cannot render (a missing package or browser), or None."
    if importlib.util.find_spec("scrapy_playwright") is None:
        return "scrapy-playwright is not installed (pip install 'xxgk-archive[render]')"
    if chromium_path(settings) is None:
        return f"no Chromium at {settings.get('XXGK_CHROMIUM') or 'chromium'!r} (apt-get install chromium)"
    return None


def can_render(crawler: Crawler) -> bool:
    "Whether list pages may go to the browser in this crawl (decided once, when the handler is built)."
    return bool(getattr(crawler, "_xxgk_can_render", False))


def playwright_settings(settings: BaseSettings) -> dict:
    "scrapy-playwright's settings, from ours (no browser download: the system Chromium)."
    timeout = settings.getfloat("XXGK_RENDER_TIMEOUT") * 1000
    return {
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": chromium_path(settings), "headless": True,
                                      "args": list(CHROMIUM_ARGS), "timeout": timeout},
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 1,      # one page at a time: memory stays bounded
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": timeout,
        "PLAYWRIGHT_PROCESS_REQUEST_HEADERS": None,  # the browser's requests go through Scrapy anyway
    }


class RenderingDownloadHandler:
    """The http/https download handler: scrapy-playwright's (``crawler.browser.BrowserHandler``) when
    this crawl may render, else Scrapy's own. Built once per crawl for both schemes."""

    lazy = False

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        existing = getattr(crawler, "_xxgk_download_handler", None)
        if existing is not None:
            return existing
        mode = render_mode(crawler.settings)
        why = None if mode == "never" else unavailable(crawler.settings)
        crawler._xxgk_can_render = mode != "never" and why is None
        if crawler._xxgk_can_render:
            from crawler.browser import BrowserHandler
            handler = BrowserHandler.from_crawler(crawler)
        else:
            if why is not None:
                logger.warning("XXGK_RENDER=%s but %s: list pages are read without a browser", mode, why)
                crawler.stats.set_value("xxgk/render/unavailable", 1)
            handler = HTTP11DownloadHandler.from_crawler(crawler)
        handler.close = _once(handler.close)   # both schemes close it
        crawler._xxgk_download_handler = handler
        return handler


def _once(close):
    "Both schemes' handler is one object: Scrapy closes it twice, it closes once."
    done: list = []

    async def close_once() -> None:
        if done:
            return
        done.append(True)
        result = close()
        if hasattr(result, "__await__"):
            await result
    return close_once
