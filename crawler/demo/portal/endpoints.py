"""Answers of the demo portal's list endpoints, computed from the request's parameters (issue 17).

Stdlib only: the loopback server (server.py) imports it. A route whose manifest entry names an
``endpoint`` holds a JSON spec instead of a body, and each request is answered from it and the
parameters the request sends (query string, form body or JSON body), as the real services do:

- ``list-json``: a list API (the TRS intensive platform's ``/fjdzapp/search``, an app's
  ``/api/…/list``): ``require`` parameters must match (else an error answer), the page number and
  size parameters select the entries, the answer is JSON in the spec's ``shape`` (``trs``: ``{data:
  [{doctitle, chnldocurl, docreltime}], recordCount, pageCount}``; ``app``: ``{code, data: {total, list:
  [{title, url, publishDate}]}}``).
- ``hanweb-groups``: Hanweb's ``dataproxy.jsp``: ``startrecord``/``endrecord`` in the query, the
  ajaxParam form required; the answer is the records of that window as ``<datastore>`` XML.
- ``slow``: a fixed body sent after ``seconds`` (a browser test holds a page in flight with it).
"""
from __future__ import annotations

import json
import math
import time
from urllib.parse import parse_qsl

JSON_TYPE = "application/json;charset=UTF-8"


def request_params(query: str, body: bytes, content_type: str | None) -> dict[str, str]:
    "Every parameter a request sends: its query string, then its form or (flat) JSON body."
    params = dict(parse_qsl(query, keep_blank_values=True, encoding="utf-8"))
    text = body.decode("utf-8", "replace") if body else ""
    if text and "json" in (content_type or "").lower():
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        if isinstance(data, dict):
            params.update({k: str(v) for k, v in data.items() if not isinstance(v, (dict, list))})
    elif text:
        params.update(parse_qsl(text, keep_blank_values=True, encoding="utf-8"))
    return params


def _error(status: int, message: str) -> tuple[int, list, bytes]:
    body = json.dumps({"code": status, "msg": message}, ensure_ascii=False).encode("utf-8")
    return status, [("Content-Type", JSON_TYPE)], body


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else default


def _list_json(spec: dict, params: dict[str, str]) -> tuple[int, list, bytes]:
    for name, value in spec.get("require", {}).items():
        if params.get(name) != value:
            return _error(400, f"parameter {name} must be {value!r}, got {params.get(name)!r}")
    entries = spec["entries"]
    size = min(_int(params.get(spec["size"]), spec.get("default_size", 10)), spec.get("max_size", 100))
    page = _int(params.get(spec["page"]), 1)
    chunk = entries[(page - 1) * size: page * size]
    pages = max(math.ceil(len(entries) / size), 1)
    if spec.get("shape") == "trs":
        data = {"recordCount": len(entries), "pageCount": pages, "page": page,
                "data": [{"doctitle": e["title"], "chnldocurl": e["url"], "docpuburl": e["url"],
                          "docreltime": e["date"]} for e in chunk]}
    else:
        data = {"code": 200, "data": {"total": len(entries), "page": page, "size": size,
                                      "list": [{"title": e["title"], "url": e["url"], "publishDate": e["date"]}
                                               for e in chunk]}}
    return 200, [("Content-Type", JSON_TYPE)], json.dumps(data, ensure_ascii=False).encode("utf-8")


def _hanweb_groups(spec: dict, params: dict[str, str]) -> tuple[int, list, bytes]:
    for name, value in spec.get("require", {}).items():
        if params.get(name) != value:
            return 200, [("Content-Type", "text/xml;charset=UTF-8")], b"<datastore></datastore>\n"
    records = spec["records"]
    start = _int(params.get("startrecord"), 1)
    end = min(_int(params.get("endrecord"), start + 44), len(records))
    per_page = _int(params.get("perpage"), 15)
    recs = "\n".join(f"<record><![CDATA[{r}]]></record>" for r in records[start - 1:end])
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{len(records)}</totalrecord>\n'
           f"<totalpage>{math.ceil(len(records) / per_page)}</totalpage>\n<recordset>\n{recs}\n</recordset>\n"
           f"</datastore>\n")
    return 200, [("Content-Type", "text/xml;charset=UTF-8")], xml.encode("utf-8")


def answer(spec_bytes: bytes, params: dict[str, str]) -> tuple[int, list, bytes]:
    "(status, headers, body) of one request to the endpoint ``spec_bytes`` describes."
    spec = json.loads(spec_bytes.decode("utf-8"))
    kind = spec["kind"]
    if kind == "list-json":
        return _list_json(spec, params)
    if kind == "hanweb-groups":
        return _hanweb_groups(spec, params)
    if kind == "slow":
        time.sleep(spec["seconds"])
        return 200, [("Content-Type", spec["content_type"])], spec["body"].encode("utf-8")
    return _error(500, f"unknown endpoint kind {kind!r}")
