"""Is a report page's body only a pointer to its attachment ("报告全文见附件", "点击下载")?

Then the report's ``text`` comes from the attachment (``text_source = 'attachment'``); otherwise the
page's text stands and the attachment adds a row of its own.

Lengths are counted as the quality measure counts them (NFKC, no whitespace or punctuation). The
thresholds, from the fixtures: the demo portal's pointer page (trs-att) has 143 characters; the
shortest report body among the demo's expected texts (hanweb-004, a 2014 legacy-format report) has
2 575, and the 2019-template reports 3 199–6 962. A body under ``SHORT_MAX`` cannot hold a report
(the six section headings and one table are more); one under ``POINTER_MAX`` that says where the
report is (a pointer phrase) is a pointer page with a sentence of introduction. A full report that
says "统计表详见附件" is far over ``POINTER_MAX`` and keeps its own text.
"""
from __future__ import annotations

import re

from pipelines.quality import normalize_for_quality

SHORT_MAX = 300
POINTER_MAX = 1000
TABLE_ROWS = 3   # table rows in a body that says where its file is: the page holds a report of its own
POINTER_RE = re.compile(
    r"(?:全文|详情|详细|具体内容|具体|报告|内容)?(?:详见|请见|参见|见|查看|请查看|请点击|点击查看)(?:下方|以下)?附件"
    r"|点击(?:此处)?(?:下载|查看|阅读)|(?:附件|全文|文件)下载|下载(?:附件|全文)|请下载"
    r"|詳見附件|請見附件|見附件|點擊下載|附件下載|下載附件")


def is_pointer_page(text: str | None, title: str | None = None) -> bool:
    "True when the cleaned body ``text`` is too short to be the report, or short and points to a file."
    body = normalize_for_quality(text or "", title)
    if len(body) < SHORT_MAX:
        return True
    # a short report printed as a table, whose statistics are "详见附件", is its own text
    return (len(body) < POINTER_MAX and POINTER_RE.search(normalize_for_quality(text or "")) is not None
            and sum(" | " in line for line in (text or "").splitlines()) < TABLE_ROWS)
