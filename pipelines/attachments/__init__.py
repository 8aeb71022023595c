"""Report attachments (PDF, DOCX, DOC/WPS, XLSX, XLS, scans, ZIP bundles) → text and tables.

    from pipelines.attachments import extract_attachment, is_pointer_page, Limits
    result = extract_attachment(body, name="年报.pdf")        # never raises
    result.row()          # the ``attachments`` columns this file decides

Pure functions, no Scrapy: run by the extraction workers, the rebuild from WARC and
``python -m pipelines.extract FILE``.
"""
from __future__ import annotations

from pipelines.attachments.core import attachment_json, extract_attachment
from pipelines.attachments.model import DEFAULT_LIMITS, AttachmentError, AttachmentResult, Limits
from pipelines.attachments.pointer import is_pointer_page
from pipelines.attachments.sniff import sniff

__all__ = ["extract_attachment", "attachment_json", "is_pointer_page", "sniff", "AttachmentResult", "AttachmentError",
           "Limits", "DEFAULT_LIMITS"]
