"""The ``reports`` row of a processed page (contract.md): NULL where unknown, never ''."""
from __future__ import annotations

import hashlib
import json
from urllib.parse import urlsplit

from pipelines.record import Page


def _json(value) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None


def _none_if_blank(value):
    if isinstance(value, str) and not value.strip():
        return None
    return value


def to_row(page: Page) -> dict:
    "The ``reports`` row for a page (contract.md); NULL where unknown, never ''."
    c, d, m, cl, s = page.capture, page.decoded, page.metadata, page.cleaned, page.script
    text = page.text or None
    row = {
        "url": c.url,
        "pages": _json(page.pages),
        "site": c.site or urlsplit(c.url).netloc or None,
        "title": m.title if m else None,
        "index_no": m.index_no if m else None,
        "publisher": m.publisher if m else None,
        "published": m.published if m else None,
        "written": m.written if m else None,
        "doc_no": m.doc_no if m else None,
        "category": m.category if m else None,
        "report_year": m.report_year if m else None,
        "site_name": m.site_name if m else None,
        "site_id_code": m.site_id_code if m else None,
        "encoding": d.encoding if d else None,
        "encoding_declared": d.encoding_declared if d else None,
        "encoding_source": d.encoding_source if d else None,
        "decode_errors": d.decode_errors if d else None,
        "mojibake": int(d.mojibake) if d else None,
        "script": s.script if s else None,
        "text": text,
        "text_hans": page.text_hans or None,
        "tables": _json([t.to_json() for t in cl.tables]) if cl else None,
        "attachments": _json(page.attachments if page.attachments is not None else c.attachments),
        "pinyin_annotations": page.pinyin_annotations if cl else None,
        "spam_found": int(cl.spam_found) if cl else None,
        "removed": _json(cl.removed) if cl else None,
        "meta": _json(m.meta) if m else None,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None,
        "fetched_at": c.fetched_at,
        "run_id": c.run_id,
        "final_url": c.final_url or c.url,
        "http_status": c.status,
        "warc_file": c.warc_file,
        "warc_offset": c.warc_offset,
        "error": "; ".join(f"{stage}:{kind}" for stage, kind, _ in page.errors) or None,
        "stats": page.stats.to_json() if page.stats else None,   # report_stats / stats_checks rows
    }
    return {k: _none_if_blank(v) for k, v in row.items()}
