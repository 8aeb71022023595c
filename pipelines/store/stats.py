"""``report_stats`` and ``stats_checks`` rows of a report, from the stats stage's output (``row['stats']``,
pipelines.tables.stats.Stats.to_json). Written inside the report's own transaction (Store.save_report), so
a report and its numbers are never seen apart."""
from __future__ import annotations

from sqlite_utils import Database

STAT_FIELDS = ("url", "report_year", "template", "section", "row_key", "col_key", "value", "unit", "raw", "source")
CHECK_FIELDS = ("url", "check", "expected", "found", "ok", "detail")
_INSERT_STAT = "INSERT OR REPLACE INTO report_stats ({}) VALUES ({})".format(
    ", ".join(STAT_FIELDS), ", ".join("?" for _ in STAT_FIELDS))
_INSERT_CHECK = "INSERT OR REPLACE INTO stats_checks ({}) VALUES ({})".format(
    ", ".join(f'"{c}"' for c in CHECK_FIELDS), ", ".join("?" for _ in CHECK_FIELDS))


def replace_stats(db: Database, row: dict, unchanged: bool = False) -> None:
    """The report's rows as ``row`` has them now: last capture's numbers replace the previous ones. An
    ``unchanged`` text keeps the rows it has (a nightly re-fetch rewrote ~240 rows a report for nothing;
    a rebuild is what brings a new parser's figures in), only its year follows the report's."""
    url, stats = row["url"], row.get("stats")
    if unchanged and db.execute("SELECT 1 FROM stats_checks WHERE url = ? LIMIT 1", [url]).fetchone():
        db.execute("UPDATE report_stats SET report_year = ? WHERE url = ? AND report_year IS NOT ?",
                   [row.get("report_year"), url, row.get("report_year")])
        return
    db.execute("DELETE FROM report_stats WHERE url = ?", [url])
    db.execute("DELETE FROM stats_checks WHERE url = ?", [url])
    if not stats:
        return
    common = {"url": url, "report_year": row.get("report_year"), "template": stats.get("template")}
    db.conn.executemany(_INSERT_STAT, [[{**common, **v}.get(f) for f in STAT_FIELDS]
                                       for v in stats.get("values", ())])
    db.conn.executemany(_INSERT_CHECK, [[url, c["check"], c.get("expected"), c.get("found"),
                                         None if c.get("ok") is None else int(c["ok"]), c.get("detail")]
                                        for c in stats.get("checks", ())])
