"""The scripted-list part of a list page's links stage (``pipelines.stages.links_stage``, issue 17).

Fills ``Page.list_queries`` (the endpoints its own script asks for more entries: ``scripted``),
adds the entries of a JSON list answer to ``Page.links`` (``jsonlists``), and sets
``Page.script_built`` when the list looks built by a script nobody can read without a browser
(``scriptbuilt``). A Hanweb column read through its jpage groups no longer needs the GET
``dataproxy.jsp?page=N`` pages of its ``<nextgroup>``: they are dropped from ``Page.paging``.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from pipelines.discovery.jsonlists import is_json, json_links
from pipelines.discovery.links import datastore_records, is_datastore_xml
from pipelines.discovery.scriptbuilt import script_built
from pipelines.discovery.scripted import list_queries


def read_scripted_lists(page) -> None:
    c, text = page.capture, page.decoded.text
    base, enc = c.final_url or c.url, page.decoded.encoding or "utf-8"
    if is_json(text, c.header("Content-Type")):
        page.links = (page.links or []) + json_links(text, base, enc)
        return
    if is_datastore_xml(text):
        return
    page.list_queries = list_queries(text, base, enc) or None
    if page.list_queries:
        proxies = {urlsplit(q.url).path for q in page.list_queries if q.kind == "hanweb-group"}
        if proxies and page.paging:
            page.paging = [u for u in page.paging if urlsplit(u).path not in proxies]
    page.script_built = script_built(page.parsed, text, paging=page.paging, queries=page.list_queries,
                                     records=len(datastore_records(text)))
