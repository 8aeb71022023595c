"""Discovery: find every annual report on a portal (issue 3). Pure functions on decoded HTML + URLs;
the spider (crawler/spiders/portals.py) does the fetching, and the page classifier
(pipelines.extract) shares the report rules (reports.py). See contract.md "Canonical URLs", "Discovery"."""
from __future__ import annotations

from .classify import classify_link, section_score, subcolumn_context, subcolumn_title
from .files import attachment_links, attachment_type, report_attachments
from .links import Link, extract_links
from .paging import DEFAULT_MAX_PAGES, article_position, page_links
from .reports import body_markers, is_report, is_report_title, reads_as_report, title_years
from .urls import canonicalize_url, is_trap

__all__ = [
    "Link", "canonicalize_url", "extract_links", "page_links", "classify_link", "section_score",
    "is_report_title", "is_report", "attachment_links", "attachment_type", "is_trap", "body_markers",
    "title_years", "DEFAULT_MAX_PAGES", "report_attachments", "reads_as_report",
    "subcolumn_context", "subcolumn_title", "article_position",
]
