"""Walking a rendered list in the browser: its DOM after each 下一页, until no new entries appear.

``walk`` runs on a Playwright page whose list has loaded: it takes the DOM, then clicks the list's
next-page control (an ``<a>``, ``<button>`` or clickable element reading 下一页 / 下页 / 后一页 / next /
›, not disabled, not a link to another document) or, when there is none, calls the page's own paging
function (``goPage(n)``, ``toPage(n)`` …), and takes the DOM again; it stops when the links stop
changing, when no control is left, or after ``max_pages`` states (XXGK_MAX_LIST_PAGES).
"""
from __future__ import annotations

import asyncio
import logging

logger = logging.getLogger(__name__)

SETTLE_MS = 150             # a click's request starts after its handler runs
IDLE_TIMEOUT_MS = 5000      # network idle after a click, at most

# the next-page control: the page's own, clicked as a reader would. Real links to another document
# are left alone (static discovery follows them); javascript:, '#' and handlers are what scripts page by.
_CLICK_NEXT_JS = """() => {
  const words = ['下一页', '下页', '后一页', '下一頁', '下頁', '後一頁', 'next', 'nextpage', '>', '>>', '›', '»'];
  const candidates = document.querySelectorAll('a, button, span, li, div, input[type=button]');
  for (const el of candidates) {
    const text = (el.innerText || el.value || el.title || '').replace(/\\s+/g, '').toLowerCase();
    if (!text || text.length > 10 || !words.some(w => text === w || (w.length > 1 && /[\\u4e00-\\u9fff]/.test(w) && text.includes(w)))) continue;
    if (el.children.length > 1) continue;
    const cls = ((el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className) || '').toLowerCase();
    if (el.disabled || el.getAttribute('aria-disabled') === 'true' || /disabled|unable|no-?more/.test(cls)) continue;
    const style = window.getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length) continue;
    if (el.tagName === 'A') {
      const href = (el.getAttribute('href') || '').trim().toLowerCase();
      if (href && !href.startsWith('#') && !href.startsWith('javascript:')) continue;
    } else if (el.tagName !== 'BUTTON' && el.tagName !== 'INPUT' && !el.onclick && !el.getAttribute('onclick')
               && el.getAttribute('role') !== 'button') {
      continue;
    }
    el.click();
    return true;
  }
  return false;
}"""

# the page's own paging function, when no control can be clicked
_CALL_PAGER_JS = """(n) => {
  for (const name of ['goPage', 'gotoPage', 'toPage', 'changePage', 'turnPage', 'jumpPage', 'pageTo', 'loadPage']) {
    if (typeof window[name] === 'function') { window[name](n); return true; }
  }
  return false;
}"""

_LINKS_JS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"


async def settle(page, idle_ms: int = IDLE_TIMEOUT_MS) -> None:
    "Wait until the page's requests have stopped (bounded: a page that polls forever is not waited for)."
    try:
        await page.wait_for_load_state("networkidle", timeout=idle_ms)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: the state is taken as it is
        pass


async def links(page) -> frozenset[str]:
    return frozenset(await page.evaluate(_LINKS_JS))


async def walk(page, max_pages: int) -> list[str]:
    "The DOM of each state of the list, first as loaded, then after each page turn that showed new links."
    await settle(page)
    snapshots = [await page.content()]
    seen = await links(page)
    for n in range(2, max_pages + 1):
        turned = await page.evaluate(_CLICK_NEXT_JS) or await page.evaluate(_CALL_PAGER_JS, n)
        if not turned:
            break
        await asyncio.sleep(SETTLE_MS / 1000)
        await settle(page)
        now = await links(page)
        if not now - seen:
            break
        seen |= now
        snapshots.append(await page.content())
    return snapshots
