"""The raw capture every stage starts from, and the page record the stages fill in.

No Scrapy import: the crawl, `python -m pipelines.extract` and the rebuild from WARC all build a
``Capture`` and run the same stages over it.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_run_id() -> str:
    "A run's id: when it started, and a few random bits (two runs may start within a second)."
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def header(pairs: list[tuple[str, str]], name: str) -> str | None:
    "The last value of a header in (name, value) pairs, case-insensitively (HTTP semantics for Content-Type)."
    name = name.lower()
    for key, value in reversed(pairs):
        if key.lower() == name:
            return value
    return None


@dataclass
class Capture:
    """One fetched response as received: what the WARC record holds."""

    url: str                                   # canonical URL (the row's primary key)
    body: bytes = field(repr=False)            # a log line about a page must not print the page
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)  # latin-1 decoded, repeats kept
    final_url: str | None = None               # where redirects landed, when not ``url``
    fetched_at: str = field(default_factory=utc_now)
    site: str | None = None
    run_id: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    role: str | None = None                    # what it was fetched as: 'report', 'list', 'section', … (None: report)
    context: str | None = None                 # name of the list/column the link came from
    link_text: str | None = None               # anchor text of the link that led here
    report_url: str | None = None              # an attachment's: the report page that links or shows it
    attachments: list[dict[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        return header(self.headers, name)


@dataclass
class Page:
    """A capture on its way through the stages (``pipelines.stages``)."""

    capture: Capture
    decoded: Any = None        # pipelines.decode.Decoded (its text dropped when it comes back from a worker)
    parsed: Any = None         # pipelines.html.ParsedPage: the stages' one parse, never sent between processes
    links: list | None = None  # pipelines.discovery.Link: every link of the raw page
    paging: list[str] | None = None            # the other pages of a list
    attachments: list[dict] | None = None      # the files it links ({url, name, type})
    reads_as_report: bool | None = None        # a list page whose text is one report (see links_stage)
    list_queries: list | None = None           # pipelines.discovery.scripted.ListQuery: lists its script fetches
    script_built: str | None = None            # why its list looks built by script (the render decision)
    fault: tuple[str, str] | None = None       # ('blocked', 'waf'), ('junk', 'empty'): no page at all
    pages: list[str] | None = None             # a paged report's page URLs, in order (pipelines.pages)
    position: tuple[int, int] | None = None    # (this page, of how many) of a paged report
    attachment: dict | None = None             # an attachment's ``attachments`` row (pipelines.attachments)
    metadata: Any = None       # pipelines.metadata.Metadata
    cleaned: Any = None        # pipelines.clean.Cleaned
    text: str | None = None    # cleaned text with verified pinyin annotations removed
    pinyin_annotations: int = 0
    script: Any = None         # pipelines.script.ScriptInfo
    text_hans: str | None = None
    verdict: tuple[bool, str] | None = None    # is it a report, and why
    stats: Any = None          # pipelines.tables.stats.Stats: the national tables' numbers and checks
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (stage, kind, message)


@dataclass
class FetchError:
    """A page that could not be fetched (HTTP error, timeout, too large…): goes to ``errors``."""

    url: str
    kind: str
    message: str
    stage: str = "fetch"
