"""Which list pages go to the browser, and what their rendered lists lead to (issue 17).

A mixin of the ``portals`` spider. ``render_request``: under XXGK_RENDER=auto, a list page whose
list looks built by script (``Page.script_built``: a template or app shell, an empty list container,
a declared count above what it shows, and no endpoint the page gives away) is fetched again in the
browser; ``always`` renders every list page, ``never`` none. Report pages never are. Without
Chromium the page is counted, not rendered. ``parse_rendered`` reads each state of the rendered
list (``crawler.listwalk``) like a page of the column; what went wrong in the browser (a dialog, a
popup, navigation away, a timeout, a crash) is an ``errors`` row, stage ``render``, and the crawl
goes on.

Stats: ``xxgk/render/script_built`` (list pages that looked script-built), ``…/rendered``,
``…/snapshots`` (list states read), ``…/not_rendered`` (+ ``/never``, ``/unavailable``),
``…/errors/<kind>``; the browser's own: ``xxgk/render/requests``, ``…/robots_refused``,
``…/offsite_refused``, ``…/browser_started``, ``…/reopened_after_crash`` (a page that could not open in a browser that had just died, rendered again in a new one), and scrapy-playwright's ``playwright/…``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import scrapy

from crawler.rendering import RENDER_CONTEXT, RENDER_SLOT, can_render, render_mode
from pipelines.discovery import canonicalize_url
from pipelines.record import Capture, FetchError

if TYPE_CHECKING:
    from crawler.portalfile import Portal
    from pipelines.record import Page

RENDERED = "xxgk_rendered"   # meta: why this list page was rendered
NOTES, SNAPSHOTS = "xxgk_render_notes", "xxgk_render_snapshots"   # crawler.browser fills them in


class RenderedLists:
    def render_stat(self, key: str) -> None:
        self.crawler.stats.inc_value(f"xxgk/render/{key}")

    def render_request(self, portal: Portal, page: Page, meta: dict) -> scrapy.Request | None:
        if meta["role"] != "list" or meta.get(RENDERED) or meta.get("xxgk_list_query") is not None:
            return None
        mode = render_mode(self.crawler.settings)
        if page.script_built:
            self.render_stat("script_built")
        reason = page.script_built if mode == "auto" else ("always" if mode == "always" else None)
        if reason is None:
            if page.script_built:
                self.render_stat("not_rendered")
                self.render_stat("not_rendered/never")
            return None
        if not can_render(self.crawler):
            self.render_stat("not_rendered")
            self.render_stat("not_rendered/unavailable")
            self.logger.info("list looks built by script (%s), not rendered: %s", reason, page.capture.url)
            return None
        url = page.capture.final_url or page.capture.url
        key = "render " + url
        if key in self.followed:
            return None
        self.followed.add(key)
        self.logger.debug("rendering (%s): %s", reason, url)
        new_meta = {"portal": portal.name, "role": "list", "hops": meta["hops"], "column": meta.get("column"),
                    "list_pages": meta["list_pages"], "link_text": meta.get("link_text"), RENDERED: reason,
                    "playwright": True, "playwright_context": RENDER_CONTEXT, "download_slot": RENDER_SLOT,
                    "autothrottle_dont_adjust_delay": True, "dont_redirect": True}
        return scrapy.Request(url, callback=self.parse_rendered, errback=self.render_failed, meta=new_meta,
                              dont_filter=True, priority=20)

    async def parse_rendered(self, response):
        meta = response.meta
        portal = self.received(response)
        url = canonicalize_url(response.request.url)
        notes = meta.get(NOTES) or ()
        for kind, message in notes:
            self.walk_gap(portal.name, f"render:{kind}")
            self.render_stat(f"errors/{kind}")
            yield FetchError(url=url, kind=kind, message=message[:500], stage="render")
        if any(kind == "navigated" for kind, _ in notes):
            return   # the browser shows an error page, not the list
        self.render_stat("rendered")
        snapshots = meta.get(SNAPSHOTS) or [response.text]
        for html in snapshots:
            self.render_stat("snapshots")
            # the DOM, not an answer of the server: never archived, read for links only, resolved
            # against where the browser was
            capture = Capture(url=url, body=html.encode("utf-8"), headers=[("Content-Type", "text/html; charset=utf-8")],
                              final_url=response.url, site=urlsplit(url).netloc.lower(), run_id=self.run_id,
                              role="list", context=meta.get("column"), link_text=meta.get("link_text") or None)
            page = await self.extraction.process(capture)
            for request in self.follow_links(portal, page, meta, in_column=True):
                yield request

    def render_failed(self, failure):
        "The browser gave no page: one errors row (stage render); the list's static reading stands."
        request = failure.request
        exc = failure.value
        name = type(exc).__name__
        message = str(exc).splitlines()[0][:300] if str(exc) else name
        if "IgnoreRequest" in name:
            self.inc("ignored")
            return
        if "Timeout" in name or "timeout" in message.lower():
            kind = "timeout"
        elif "closed" in message.lower() or "crash" in message.lower() or "TargetClosed" in name:
            kind = "crashed"
        else:
            kind = "browser"
        self.render_stat(f"errors/{kind}")
        self.walk_gap(request.meta.get("portal"), f"render:{kind}")
        self.logger.info("render failed (%s): %s: %s", kind, request.url, message)
        for note_kind, note in request.meta.get(NOTES) or ():
            self.render_stat(f"errors/{note_kind}")
            yield FetchError(url=canonicalize_url(request.url), kind=note_kind, message=note[:500], stage="render")
        yield FetchError(url=canonicalize_url(request.url), kind=kind, message=f"{name}: {message}", stage="render")
