"""What the fault portal serves, and what a crawl of it must leave in the archive.

Shared by the server (tests/faults/server.py) and the test (tests/e2e/test_faults.py), so the two cannot
drift. Stdlib only: the server imports this file as a plain script's neighbour.
"""
from __future__ import annotations

# Three loopback addresses on one port (the demo portal and the benchmark use 127.0.0.2 …):
HOST = "127.0.0.252"          # the fault portal
BLOCKED_HOST = "127.0.0.253"  # a portal behind a JS anti-bot challenge: every URL answers 412
DOWN_HOST = "127.0.0.254"     # a portal that is down: nothing listens (connection refused)

LIST = "/xxgk/zfxxgknb/index.html"            # the 年报 column: links to every case below
CALENDAR = "/xxgk/zfxxgknb/rili.jsp"          # ?month=YYYY-MM, 上一页/下一页 forever
CALENDAR_START = "2026-06"
CONTROL = "/__control"                        # ?edition=N&cases=all|good: for the test, never linked
ATTACHMENT = "/files/meilie-2020-nb.pdf"      # linked from a good report: larger than the test's page limit
MB = 1024 * 1024                              # (2 MiB), well under the attachment limit (64 MiB)
ATTACHMENT_SIZE = 3 * MB

# Good reports: the demo portal's report pages (read from crawler/demo/portal/sites at start), each served from
# behind one hostile behaviour. Every one of them must be stored, once.
#   fail: statuses answered before the page (Scrapy retries 500/502/503/429 twice by default)
#   content_type: the header actually sent (a lie for trs-000: GBK bytes labelled utf-8)
#   variant: how the page's HTML is mangled ('after-html': the body sits after </html>;
#            'malformed': closing tags dropped and a second <html><body> nested inside)
GOOD = [
    {"id": "plain-001", "path": "/xxgk/zfxxgknb/2021/nb_retry503.html", "fail": [503, 503],
     "attachment": ATTACHMENT},
    {"id": "trs-000", "path": "/xxgk/zfxxgknb/2021/nb_retry500.html", "fail": [500, 502],
     "content_type": "text/html; charset=utf-8"},
    {"id": "hanweb-002", "path": "/xxgk/zfxxgknb/2021/nb_429.html", "fail": [429], "retry_after": 1},
    {"id": "trs-003", "path": "/xxgk/zfxxgknb/2019/nb_after_html.html", "variant": "after-html"},
    {"id": "hanweb-004", "path": "/xxgk/zfxxgknb/2015/nb_malformed.html", "variant": "malformed"},
]
# edition 2 of the portal (--edition 2): this report's text has changed since edition 1
CHANGED = "plain-001"
CHANGE = "<p>（2021年3月更正：本报告第三部分数据有误，现已更正。）</p>"

# Faults: report links (a report-like title, so the spider fetches them) whose response is no report.
#   stage, kind: the row each must leave in `errors`; message: a substring of its message
FAULTS = [
    {"name": "always-503", "agency": "教育局", "stage": "fetch", "kind": "http_503"},
    {"name": "stall-headers", "agency": "民政局", "stage": "fetch", "kind": "timeout"},
    {"name": "stall-body", "agency": "财政局", "stage": "fetch", "kind": "timeout"},
    {"name": "truncated", "agency": "人社局", "stage": "fetch", "kind": "truncated"},
    {"name": "redirect-loop", "agency": "自然资源局", "stage": "fetch", "kind": "redirect_loop"},
    {"name": "huge-10mb", "agency": "生态环境局", "stage": "fetch", "kind": "too_large"},
    {"name": "huge-100mb", "agency": "住建局", "stage": "fetch", "kind": "too_large"},
    {"name": "binary", "agency": "交通运输局", "stage": "classify", "kind": "binary", "message": "gzip"},
    {"name": "empty", "agency": "水利局", "stage": "classify", "kind": "empty"},
    {"name": "js-challenge", "agency": "农业农村局", "stage": "classify", "kind": "blocked",
     "message": "js-challenge"},
    {"name": "js-challenge-412", "agency": "商务局", "stage": "fetch", "kind": "blocked",
     "message": "js-challenge"},
    {"name": "waf", "agency": "文旅局", "stage": "classify", "kind": "blocked", "message": "waf"},
]
for _f in FAULTS:
    _f["path"] = f"/xxgk/zfxxgknb/2021/nb_{_f['name'].replace('-', '_')}.html"
    _f["title"] = f"示例县{_f['agency']}2021年政府信息公开工作年度报告"

# the second hop of the redirect loop (A → B → A …)
LOOP_B = "/xxgk/zfxxgknb/2021/nb_redirect_loop_b.html"
# sizes of the two huge pages: the first announces its Content-Length, the second streams (chunked)
HUGE = {"huge-10mb": 10 * MB, "huge-100mb": 100 * MB}
