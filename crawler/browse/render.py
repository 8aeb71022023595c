"""The reading room's cells as HTML: a report's text as paragraphs, ``tables`` as HTML tables, the JSON
columns as short lists. Pure functions of a cell's value (no Datasette), so they are tested on their own.

``tables`` comes in two shapes: the one of pipelines.tables (``{"rows": [[{"text", "rowspan",
"colspan"}]], "grid": [[…]]}``, each cell once with its spans) and the older plain grid (a list of rows
of strings, spans expanded by copying); both are drawn.
"""
from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

EXCERPT = 120    # characters of a long cell shown in a table view (the row page shows it whole)


def _load(value: Any) -> Any:
    if not isinstance(value, str):
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def excerpt(value: str) -> Markup:
    "A long text cell in a table view: its start, on one line."
    flat = " ".join(value.split())
    more = len(flat) > EXCERPT
    return Markup('<span class="xxgk-excerpt" title="{} characters">{}{}</span>').format(
        len(value), flat[:EXCERPT], "…" if more else "")


def text_html(value: str) -> Markup:
    "A report's text: one paragraph per line; a table row (cells joined by ' | ') keeps its line."
    paragraphs = [line for line in value.split("\n") if line.strip()]
    return Markup('<div class="xxgk-text">{}</div>').format(
        Markup("").join(Markup("<p>{}</p>").format(p) for p in paragraphs))


def _cell(cell: Any) -> tuple[str, int, int]:
    if isinstance(cell, dict):
        return str(cell.get("text") or ""), int(cell.get("rowspan") or 1), int(cell.get("colspan") or 1)
    return ("" if cell is None else str(cell)), 1, 1


def table_html(table: Any) -> Markup:
    "One table of the ``tables`` column, either shape."
    rows = table.get("rows") if isinstance(table, dict) else table
    out = []
    for row in rows or []:
        cells = []
        for cell in row if isinstance(row, list) else []:
            text, rowspan, colspan = _cell(cell)
            spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
            cells.append(Markup("<td{}>{}</td>").format(Markup(spans), text))
        out.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
    return Markup('<table class="xxgk-table">{}</table>').format(Markup("").join(out))


def tables_html(value: str) -> Markup | None:
    tables = _load(value)
    if not isinstance(tables, list):
        return None
    return Markup("").join(Markup('<div class="xxgk-table-wrap"><p class="xxgk-caption">Table {}</p>{}</div>')
                           .format(i, table_html(t)) for i, t in enumerate(tables, 1))


def tables_summary(value: str) -> Markup | None:
    "``tables`` in a table view: how many, and their sizes."
    tables = _load(value)
    if not isinstance(tables, list):
        return None
    sizes = []
    for t in tables:
        rows = t.get("rows") if isinstance(t, dict) else t
        sizes.append(f"{len(rows or [])} rows")
    return Markup('<span class="xxgk-excerpt">{} table{}: {}</span>').format(
        len(tables), "" if len(tables) == 1 else "s", ", ".join(sizes))


def pairs_html(value: str) -> Markup | None:
    """A JSON object (``meta``, ``errors_by_kind``) as label/value lines, or a list of objects
    (``removed``, ``attachments``) as one line each; characters as written, not \\u escapes."""
    data = _load(value)
    if isinstance(data, dict):
        items = [Markup("<dt>{}</dt><dd>{}</dd>").format(k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                 for k, v in data.items()]
        return Markup('<dl class="xxgk-pairs">{}</dl>').format(Markup("").join(items))
    if isinstance(data, list) and all(isinstance(d, dict) for d in data):
        lines = []
        for d in data:
            if "url" in d:
                lines.append(Markup('<li><a href="{}">{}</a> {}</li>').format(d["url"], d.get("name") or d["url"],
                                                                            d.get("type") or ""))
            else:
                lines.append(Markup("<li>{}</li>").format(
                    " · ".join(str(v) for v in d.values() if v not in (None, ""))))
        return Markup('<ul class="xxgk-list">{}</ul>').format(Markup("").join(lines))
    return None


CSS = """
.xxgk-text { max-width: 48em; line-height: 1.75; font-size: 1.05em; }
.xxgk-text p { margin: 0 0 0.6em 0; white-space: pre-wrap; }
.xxgk-table-wrap { margin: 0.5em 0 1.5em 0; overflow-x: auto; }
.xxgk-caption { font-weight: bold; margin: 0 0 0.3em 0; }
table.xxgk-table { border-collapse: collapse; font-size: 0.95em; }
table.xxgk-table td { border: 1px solid #999; padding: 3px 8px; vertical-align: top; white-space: normal; }
.xxgk-excerpt { color: #444; }
dl.xxgk-pairs { display: grid; grid-template-columns: max-content auto; gap: 2px 1em; margin: 0; }
dl.xxgk-pairs dt { font-weight: bold; } dl.xxgk-pairs dd { margin: 0; }
ul.xxgk-list { margin: 0; padding-left: 1.2em; }
.xxgk-report h2.xxgk-title { font-size: 1.6em; margin: 0.4em 0 0.6em 0; }
.xxgk-report h3 { margin: 1.4em 0 0.5em 0; border-bottom: 1px solid #ccc; }
dl.xxgk-fields { display: grid; grid-template-columns: max-content auto; gap: 2px 1.2em; margin: 0; color: #333; }
dl.xxgk-fields dt { font-weight: bold; } dl.xxgk-fields dd { margin: 0; }
.xxgk-report details { margin: 1em 0; } .xxgk-report summary { cursor: pointer; font-weight: bold; }
"""
