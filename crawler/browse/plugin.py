"""The reading room's Datasette plugin (entry point ``xxgk_reading_room``; metadata in metadata.yml).

Only what no published plugin does. datasette-pretty-json would draw the JSON columns, but with every
Chinese character as a \\u escape; datasette-render-html draws stored HTML, and we store JSON;
datasette-json-html draws links and images, not tables. So, here:

- ``render_cell``: a report's text as paragraphs and ``tables`` as HTML tables on its row page; in a
  table view, an excerpt instead (a view of 18 reports was 8,000 px tall); the JSON columns as
  label/value lines; a catalogue title links to the report's row.
- ``filters_from_request``: the catalogue's search box (``?_search=``) finds terms of any length in
  either script (pipelines.store.search: folded to Simplified, ≥ 3 characters through the trigram
  index, 1–2 through ``reports_terms``). The ``reports`` table keeps Datasette's own box (trigram).
- ``prepare_connection``: ``xxgk_match(q)``, the FTS5 expression of a word or phrase in Simplified,
  for the canned search query.
"""
from __future__ import annotations

import contextvars

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup

from crawler.browse import render
from pipelines.store.search import match_expression, where_clause

CATALOGUE = "catalogue"
CSS_PATH = "/-/xxgk-reading-room.css"
LONG_TEXT = {"text", "text_hans"}
JSON_PAIRS = {"meta", "removed", "attachments", "errors_by_kind", "spider_args"}
# set per request: a row page shows a report whole, a table view one line of it
_row_page: contextvars.ContextVar[bool] = contextvars.ContextVar("xxgk_row_page", default=False)


def is_row_page(path: str) -> bool:
    "/DB/TABLE/PK is a row page (not its .json); /DB/TABLE a table view."
    parts = [p for p in path.split("/") if p]
    return len(parts) == 3 and "-" not in parts[:2] and not parts[2].endswith((".json", ".csv"))


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def inner(scope, receive, send):
            token = _row_page.set(scope.get("type") == "http" and is_row_page(scope.get("path", "")))
            try:
                await app(scope, receive, send)
            finally:
                _row_page.reset(token)
        return inner
    return wrap


@hookimpl(tryfirst=True)
def render_cell(row, value, column, table, database, datasette):
    if not isinstance(value, str):
        return None
    if table == CATALOGUE and column == "title" and "url" in row.keys():
        href = datasette.urls.table(database, "reports") + "/" + tilde_encode(row["url"])
        return Markup('<a href="{}">{}</a>').format(href, value)
    if table not in ("reports", "versions", "runs"):
        return None
    whole = _row_page.get()
    if column in LONG_TEXT or (column == "stats" and table == "runs"):
        return render.text_html(value) if whole and column != "stats" else render.excerpt(value)
    if column == "tables":
        return render.tables_html(value) if whole else render.tables_summary(value)
    if column in JSON_PAIRS:
        html = render.pairs_html(value)
        return html if whole or html is None or len(value) < 200 else render.excerpt(value)
    return None


@hookimpl(trylast=True)   # after Datasette's own search filter, whose supports_search=False this overrides
def filters_from_request(request, database, table, datasette):
    if table != CATALOGUE:
        return None
    query = request.args.get("_search", "")
    if not query.strip():
        return FilterArguments([], extra_context={"supports_search": True})
    where, params = where_clause(query)
    return FilterArguments(
        [f"url IN (SELECT url FROM reports WHERE {where})"], params,
        [f'search matches "{query}" (either script, any length)'],
        {"supports_search": True, "search": query})


@hookimpl
def prepare_connection(conn):
    conn.create_function("xxgk_match", 1, lambda q: match_expression(q or ""), deterministic=True)


@hookimpl
def extra_css_urls():
    return [CSS_PATH]


@hookimpl
def register_routes():
    async def css():
        return Response(render.CSS, content_type="text/css; charset=utf-8")
    return [(r"^" + CSS_PATH + "$", css)]
