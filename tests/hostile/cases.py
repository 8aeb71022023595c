"""What the hostile portal serves, and what a crawl of it must leave in the archive.

Shared by the server (tests/hostile/server.py) and the test (tests/e2e/test_hostile.py). Stdlib only.
"""
from __future__ import annotations

# loopback addresses on one port (the demo portal uses 127.0.0.2 …, the fault portal 127.0.0.252 …)
HOST = "127.0.0.245"            # the hostile portal: its 年报 column links every case below
REDIRECT_HOST = "127.0.0.246"   # a portal whose homepage redirects off its own host
ROBOTS_HOST = "127.0.0.247"     # a portal whose robots.txt forbids everything
EMPTY_HOST = "127.0.0.248"      # a portal whose homepage is an empty 200
ELSEWHERE = "127.0.0.249"       # where REDIRECT_HOST sends its visitors (nothing listens)
PORTAL_HOSTS = (HOST, REDIRECT_HOST, ROBOTS_HOST, EMPTY_HOST)

SECTION = "/xxgk/index.html"
LIST = "/xxgk/zfxxgknb/index.html"          # the 年报 column
EMPTY_LIST = "/xxgk/zfxxgknb2/index.html"   # a second 年报 column: an empty 200
ATTACHMENT = "/files/nb-2021.pdf"           # linked from the good report: an empty 200
MB, GB = 1024 * 1024, 1024 * 1024 * 1024
PAGE_MAXSIZE = 8 * MB                       # the default XXGK_PAGE_MAXSIZE the test runs with
BOMB_SIZE = 5 * GB                          # what the gzip bomb unpacks to
BOMB_MEMBER = 64 * MB                       # one gzip member of zeros; the bomb is BOMB_SIZE / BOMB_MEMBER of them
CELLS = 160_000                             # the one-row table of the slow page (issue 22; the lead's budget)

# The good report: a plain page, stored as usual (the portal is not all faults)
GOOD = {"path": "/xxgk/zfxxgknb/2021/nb_good.html", "title": "示例县2021年政府信息公开工作年度报告"}

# Report links whose response is no report: each must leave one `errors` row (stage, kind) and no
# reports row without an error. message: a substring of the errors row's message.
FAULTS = [
    # a gzip body of 5 MB that unpacks to 5 GiB; Scrapy stops at XXGK_PAGE_MAXSIZE and ignores the request
    {"name": "gzip-bomb", "agency": "统计局", "stage": "fetch", "kind": "too_large", "message": "unpacks to more than"},
    # a real report gzip-compressed, unpacking past the page limit: the same path, a legitimate page
    {"name": "gzip-large-report", "agency": "审计局", "stage": "fetch", "kind": "too_large",
     "message": "unpacks to more than"},
    # a gzip stream cut short inside a whole HTTP message (the server's compressor died): Scrapy
    # unpacks what there is and says nothing
    {"name": "gzip-cut", "agency": "档案局", "stage": "fetch", "kind": "truncated", "message": "gzip"},
    # Content-Length announces more than is sent, then the server closes: ResponseDataLossError
    {"name": "short-body-close", "agency": "人防办", "stage": "fetch", "kind": "truncated"},
    # chunked, and the connection closes before the last chunk
    {"name": "short-chunked", "agency": "信访局", "stage": "fetch", "kind": "truncated"},
    # a report-titled page with no body at all (the lead's part of issue 22: never an empty report row)
    {"name": "bodyless", "agency": "民宗局", "stage": "clean", "kind": None, "lead": True},
    # Content-Length announces less than the page: the client reads up to the title and no further
    {"name": "long-body-cut-at-title", "agency": "侨办", "stage": "clean", "kind": None, "lead": True},
]
for _f in FAULTS:
    _f["path"] = f"/xxgk/zfxxgknb/2021/nb_{_f['name'].replace('-', '_')}.html"
    _f["title"] = f"示例县{_f['agency']}2021年政府信息公开工作年度报告"

# the slow page (served, not linked: the extraction budget is the lead's part of issue 22)
SLOW = {"path": "/xxgk/zfxxgknb/2021/nb_wide_row.html", "title": "示例县工信局2021年政府信息公开工作年度报告"}
