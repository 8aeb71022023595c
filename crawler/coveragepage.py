"""The coverage page: one self-contained HTML file (no script, no external file), agencies × years per
portal, read at a glance: a green cell is a year found, red missing, grey not due yet, amber gone.

Cells and counts carry ``data-`` attributes (agency key, year, state) so a program can read the page too.
"""
from __future__ import annotations

import json
from collections import Counter
from html import escape

from crawler.coverage import STATES, Coverage

LABEL = {"found": "found", "missing": "missing", "not_due": "not due yet", "gone": "gone"}
MARK = {"found": "", "missing": "✗", "not_due": "…", "gone": "⌫"}

CSS = """
body { font: 14px/1.4 system-ui, "Noto Sans CJK SC", sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: center; min-width: 2.2em; }
th.agency { text-align: left; font-weight: normal; white-space: nowrap; }
td.found { background: #2e9e4f; color: #fff; } td.missing { background: #d9423b; color: #fff; }
td.not_due { background: #ddd; color: #555; } td.gone { background: #e6a52e; color: #222; }
td.none { background: #fff; }
tfoot td, tfoot th { background: #f6f6f6; color: #222; font-size: .9em; }
.legend span { display: inline-block; padding: 2px 8px; margin-right: .5em; }
.muted { color: #777; font-size: .9em; }
"""


def _cell(key: str, year: int, state: str | None, n: int) -> str:
    if state is None:
        return f'<td class="none" data-agency="{escape(key)}" data-year="{year}"></td>'
    text = str(n) if state == "found" and n > 1 else ("✓" if state == "found" else MARK[state])
    return (f'<td class="{state}" data-agency="{escape(key)}" data-year="{year}" data-state="{state}" '
            f'title="{year}: {LABEL[state]}">{text}</td>')


def _counts_rows(years: list[int], per_year: dict[int, Counter], scope: str) -> str:
    rows = []
    for state in STATES:
        cells = "".join(f'<td data-scope="{escape(scope)}" data-count="{state}" data-year="{y}">'
                        f'{per_year[y][state]}</td>' for y in years)
        rows.append(f'<tr><th class="agency">{LABEL[state]}</th>{cells}</tr>')
    return "\n".join(rows)


def _most(values) -> str | None:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def _portal(cov: Coverage, site: str | None, agencies: list) -> str:
    years = cov.years
    head = "".join(f"<th>{y}</th>" for y in years)
    site_name = _most(a.site_name for a in agencies)
    site_id_code = _most(a.site_id_code for a in agencies)
    code = f" · 网站标识码 {escape(site_id_code)}" if site_id_code else ""
    body = []
    per_year = {y: Counter() for y in years}
    for a in agencies:
        names = ", ".join(f"{n} ({c})" for n, c in json.loads(a.names or "{}").items())
        cells = []
        for y in years:
            state = a.cells.get(y)
            if state:
                per_year[y][state] += 1
            cells.append(_cell(a.key, y, state, a.counts.get(y, 0)))
        body.append(f'<tr data-agency="{escape(a.key)}"><th class="agency" title="{escape(a.key)}: {escape(names)}">'
                    f'{escape(a.name or a.key)}</th>{"".join(cells)}</tr>')
    return (f'<section class="portal" data-site="{escape(site or "")}">'
            f'<h2>{escape(site_name or site or "(no site)")} <span class="muted">{escape(site or "")}{code}'
            f' · {len(agencies)} agencies</span></h2>\n'
            f'<table><thead><tr><th class="agency">agency</th>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(body) + "\n</tbody>\n<tfoot>\n" + _counts_rows(years, per_year, site or "")
            + "\n</tfoot></table></section>")


def render(cov: Coverage) -> str:
    portals: dict[str | None, list] = {}
    for a in cov.agencies:
        portals.setdefault(a.site, []).append(a)
    legend = "".join(f'<span class="{s}" style="background:{c}">{LABEL[s]}</span>' for s, c in
                     (("found", "#2e9e4f;color:#fff"), ("missing", "#d9423b;color:#fff"),
                      ("not_due", "#ddd"), ("gone", "#e6a52e")))
    head = "".join(f"<th>{y}</th>" for y in cov.years)
    unsure = "".join(f"<li>{escape(a)} ~ {escape(b)}</li>" for a, b in cov.unsure)
    totals = cov.totals()
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>Coverage: which agency published which year</title>", f"<style>{CSS}</style></head><body>",
        "<h1>Coverage: which agency published which year</h1>",
        f'<p id="summary" data-reports="{cov.reports}" data-agencies="{len(cov.agencies)}" '
        f'data-portals="{len(portals)}" data-missing="{totals["missing"]}" data-found="{totals["found"]}">'
        f"{cov.reports} reports, {len(cov.agencies)} agencies on {len(portals)} portals: "
        f"{totals['found']} agency-years found, {totals['missing']} missing, {totals['not_due']} not due yet, "
        f"{totals['gone']} gone. A year's report is due by {escape(cov.due)} of the next year; "
        f"as of {cov.today.isoformat()}.</p>",
        f'<p class="legend">{legend}</p>',
        '<h2>All portals, per year</h2>',
        f'<table id="per-year"><thead><tr><th class="agency">agencies</th>{head}</tr></thead><tbody>',
        _counts_rows(cov.years, cov.per_year(), "all"), "</tbody></table>",
        *(_portal(cov, site, agencies) for site, agencies in portals.items()),
    ]
    if cov.unassigned:
        parts.append(f'<p class="muted">{cov.unassigned} reports without a publisher or a year are in no row.</p>')
    if unsure:
        parts.append("<h2>Possibly one agency, not merged</h2><p class=\"muted\">Names that begin alike in one "
                     f"place; they are counted apart.</p><ul id=\"unsure\">{unsure}</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
