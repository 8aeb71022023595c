"""Log lines for a crawl: a dropped page is one line (its URL and reason), never its raw bytes."""
from __future__ import annotations

from scrapy.logformatter import LogFormatter


class XxgkLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        # the default message prints the whole item: for a raw capture that is the page's bytes
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry
