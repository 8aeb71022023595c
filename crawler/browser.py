"""``BrowserHandler``: scrapy-playwright's download handler, for the list pages the spider renders.

Imported only when scrapy-playwright is installed (``crawler.rendering``). What it adds:

- **No browser until one is needed.** Playwright starts on the first rendered page, not with the
  engine: a crawl with no script-built list starts neither Playwright nor Chromium.
- **Every request of the browser is a Scrapy request.** The page's route sends each one (the page
  itself, its scripts, its XHR/fetch calls) through ``engine.download_async``: robots.txt, the
  per-host concurrency slots, delays and retries apply, and the WARC capture archives each answer
  like any capture (role ``render``); then the answer is handed to the browser. Requests off the
  portal's hosts are refused; so is a main-frame navigation away from the list (``navigated``).
- **Bad pages end.** A rendered page has ``XXGK_RENDER_TIMEOUT`` seconds; dialogs are dismissed
  and popups closed, each noted (``meta["xxgk_render_notes"]``: the spider writes ``errors`` rows,
  stage ``render``); a crash is not retried in silence; the page is always closed.
- **The list is walked** (``crawler.listwalk``): its DOM after each 下一页, in
  ``meta["xxgk_render_snapshots"]``, up to XXGK_MAX_LIST_PAGES states.
"""
from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import Settings
from scrapy_playwright.handler import Config, ScrapyPlaywrightDownloadHandler

from crawler import listwalk
from crawler.rendering import playwright_settings

logger = logging.getLogger(__name__)

NOTES, SNAPSHOTS = "xxgk_render_notes", "xxgk_render_snapshots"
BROWSER_REQUEST = "xxgk_browser_request"   # meta of the Scrapy requests a rendered page makes
CLOSE_TIMEOUT = 10                          # seconds for a page (or a wedged browser) to close
# hop-by-hop or already undone by Scrapy (HttpCompressionMiddleware): not handed to the browser
_DROP = {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}


class _OneLine(logging.Filter):
    "A page that failed in the browser is one log line (and an errors row), not a traceback."

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = record.exc_text = None
        if isinstance(record.msg, str) and "\n" in record.getMessage():
            record.msg, record.args = record.getMessage().split("\n", 1)[0], ()
        return True


OPENED = "xxgk_render_opened"   # meta: the browser gave this request a page


class RenderTimeout(Exception):
    "A rendered page took longer than XXGK_RENDER_TIMEOUT (a script that never ends, a hung browser)."


class BrowserHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.crawler = crawler
        self.config = Config.from_settings(Settings(playwright_settings(settings)))
        self.config.target_closed_max_retries = 0      # a crash is an errors row, not a silent retry
        self.process_request_headers = None
        self.timeout = settings.getfloat("XXGK_RENDER_TIMEOUT")
        self.max_pages = settings.getint("XXGK_MAX_LIST_PAGES")
        self.page_maxsize = settings.getint("XXGK_PAGE_MAXSIZE")
        self.started = False
        self.start_lock = asyncio.Lock()
        self.pages: dict[int, object] = {}
        self.guarded: set[int] = set()   # contexts whose popups are refused every request
        playwright_logger = logging.getLogger("scrapy-playwright")
        if not any(isinstance(f, _OneLine) for f in playwright_logger.filters):
            playwright_logger.addFilter(_OneLine())

    # Playwright starts with the first rendered page, not with the engine
    async def _maybe_launch_in_thread(self) -> None:
        return None

    def _engine_started(self):
        return None

    async def _download_request(self, request: Request, spider=None):
        async with self.start_lock:
            if not self.started:
                self.crawler.stats.inc_value("xxgk/render/browser_started")
                await self._launch()
                self.started = True
        await self._after_crash()
        try:
            return await self._render(request, spider)
        except Exception as exc:
            if request.meta.get(OPENED) or "closed" not in str(exc).lower():
                raise
            # the browser died before this page opened (a crash on the page before it, whose news
            # had not arrived yet): not this page's crash, so once more, in a new browser
            await self._after_crash(dead=True)
            self.crawler.stats.inc_value("xxgk/render/reopened_after_crash")
            return await self._render(request, spider)

    async def _render(self, request: Request, spider):
        request.meta["playwright_page_init_callback"] = self._init_page
        request.meta[NOTES] = []
        try:
            return await asyncio.wait_for(super()._download_request(request, spider), self.timeout + CLOSE_TIMEOUT)
        except asyncio.TimeoutError as exc:
            raise RenderTimeout(f"no rendered page after {self.timeout:.0f} s") from exc
        finally:
            page = self.pages.pop(id(request), None)
            if page is not None and not page.is_closed():
                await self._close_page(page)

    async def _after_crash(self, dead: bool = False) -> None:
        """A browser that died on the previous page is gone before this page starts, and the new one
        is launched outside this page's time. scrapy-playwright forgets a dead browser in a callback
        that first awaits its contexts' close: a page started meanwhile would open in a dead context
        and fail as 'crashed' for a crash that was not its own. ``dead``: a page could not open."""
        browser = getattr(self, "browser", None)
        if browser is None or (browser.is_connected() and not dead):
            return
        for _ in range(100):   # the callback's own cleanup, up to 5 s
            if getattr(self, "browser", None) is not browser:
                break
            await asyncio.sleep(0.05)
        else:
            self.context_wrappers.clear()
            with suppress(Exception):
                await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT)
            if getattr(self, "browser", None) is browser:
                del self.browser
        await self._maybe_launch_browser()

    async def _close_page(self, page) -> None:
        try:
            await asyncio.wait_for(page.close(run_before_unload=False), CLOSE_TIMEOUT)
            self.stats.inc_value("playwright/page_count/closed")
        except Exception as exc:  # noqa: BLE001 - a wedged renderer: the browser goes, a new one comes
            logger.warning("a rendered page did not close (%r): restarting the browser", exc)
            if hasattr(self, "browser"):
                with suppress(Exception):
                    await asyncio.wait_for(self.browser.close(), CLOSE_TIMEOUT)

    async def _init_page(self, page, request: Request) -> None:
        "After scrapy-playwright's route: ours runs first and answers every request itself."
        self.pages[id(request)] = page
        request.meta[OPENED] = True
        notes = request.meta[NOTES]
        page.set_default_timeout(self.timeout * 1000)

        async def dialog(d) -> None:
            notes.append(("dialog", f"{d.type}({d.message[:200]!r}) dismissed"))
            with suppress(Exception):
                await d.dismiss()

        async def popup(p) -> None:
            notes.append(("popup", f"window.open({p.url[:300]!r}) closed"))
            with suppress(Exception):
                await p.close()

        page.on("dialog", lambda d: asyncio.ensure_future(dialog(d)))
        page.on("popup", lambda p: asyncio.ensure_future(popup(p)))
        # a popup's requests meet no page route: the context refuses them all
        if id(page.context) not in self.guarded:
            self.guarded.add(id(page.context))
            await page.context.route("**/*", lambda route, _request: asyncio.ensure_future(route.abort()))
        first = {"done": False}

        async def route(route, browser_request) -> None:
            await self._route(route, browser_request, request, first)

        await page.route("**/*", route)

    def _allowed(self, url: str, request: Request) -> bool:
        spider = self.crawler.spider
        portal = getattr(spider, "portals", {}).get(request.meta.get("portal"))
        return portal is None or spider.in_scope(portal, url)

    async def _route(self, route, browser_request, request: Request, first: dict) -> None:
        url, notes = browser_request.url, request.meta[NOTES]
        if not url.startswith(("http://", "https://")):
            await route.continue_()
            return
        navigation = browser_request.is_navigation_request() and browser_request.frame == browser_request.frame.page.main_frame
        if navigation:
            if first["done"] or url.split("#")[0] != request.url.split("#")[0]:
                notes.append(("navigated", f"the page went to {url[:300]}: not followed"))
                await route.abort("blockedbyclient")
                return
            first["done"] = True
        if not self._allowed(url, request):
            self.stats.inc_value("xxgk/render/offsite_refused")
            await route.abort("blockedbyclient")
            return
        headers = {k: v for k, v in (await browser_request.all_headers()).items()
                   if not k.startswith(":") and k.lower() not in ("cookie", "host", "content-length")}
        meta = {"role": "render", "portal": request.meta.get("portal"), "column": request.meta.get("column"),
                "dont_redirect": True, "handle_httpstatus_all": True, "download_maxsize": self.page_maxsize,
                BROWSER_REQUEST: True}
        scrapy_request = Request(url, method=browser_request.method, headers=headers,
                                 body=browser_request.post_data_buffer or b"", meta=meta, dont_filter=True)
        try:
            response = await self.crawler.engine.download_async(scrapy_request)
        except IgnoreRequest:
            self.stats.inc_value("xxgk/render/robots_refused")
            await route.abort("blockedbyclient")
            return
        except Exception as exc:  # noqa: BLE001 - the browser sees a failed request, as it would
            logger.debug("browser request failed: %s %r", url, exc)
            await route.abort("failed")
            return
        self.stats.inc_value("xxgk/render/requests")
        answer = {}
        for key, values in response.headers.items():
            name = key.decode("latin-1")
            if name.lower() not in _DROP:
                answer[name] = ", ".join(v.decode("latin-1") for v in values)
        with suppress(Exception):   # the page may have gone meanwhile
            await route.fulfill(status=response.status, headers=answer, body=response.body)

    async def _apply_page_methods(self, page, request: Request, spider) -> None:
        request.meta[SNAPSHOTS] = await listwalk.walk(page, self.max_pages)
