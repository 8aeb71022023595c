"""Discovery: find every annual report on a portal (issue 3). Pure functions on decoded HTML + URLs;
the spider (crawler/spiders/portals.py) does the fetching. See contract.md "Canonical URLs", "Discovery"."""
from __future__ import annotations

from .classify import body_markers, classify_link, is_report, is_report_title, section_score, title_years
from .links import Link, attachment_links, attachment_type, extract_links, may_link_attachments, report_attachments
from .paging import DEFAULT_MAX_PAGES, page_links
from .urls import canonicalize_url, is_trap

__all__ = [
    "Link", "canonicalize_url", "extract_links", "page_links", "classify_link", "section_score",
    "is_report_title", "is_report", "attachment_links", "attachment_type", "is_trap", "body_markers",
    "title_years", "DEFAULT_MAX_PAGES", "report_attachments", "may_link_attachments",
]
