"""Search indexes compared on an archive: size, build time and query time of the candidates for
finding short terms and both scripts (issue 18), against LIKE.

    python -m bench.search ARCHIVE/reports.db [--reps 7]

Copies title, text, text_hans and script of every report into a scratch database, builds each
candidate index there, and times each query (median of --reps, warm cache). Prints one table.
Candidates:
  trigram            FTS5 trigram on title, text (the index before this issue)
  trigram+hans       trigram on title, text, and the Simplified title + text_hans where text_hans differs (the archive's)
  trigram+hans full  trigram on title, text, text_hans (always)
  terms none         unicode61 detail=none over every character and adjacent pair (pipelines.store.search.terms)
  unigram full       unicode61 detail=full over the Han characters one by one (phrases for any length)
  LIKE               no index: text_hans LIKE '%q%' OR title LIKE '%q%'
"""
from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from pipelines.script import to_simplified
from pipelines.store.search import _HAN, fts_quote, terms

QUERIES = ["税", "公开", "预算", "复议", "依申请", "政务公开", "行政复议", "政務公開"]


_HAN_RUN = re.compile(f"[{_HAN}]+")


def unigrams(text: str) -> str:
    return _HAN_RUN.sub(lambda m: " " + " ".join(m.group()) + " ", text or "")


def copy_reports(src: Path, dst: sqlite3.Connection) -> None:
    dst.execute("CREATE TABLE reports (title TEXT, text TEXT, text_hans TEXT, script TEXT, title_hans TEXT)")
    with sqlite3.connect(src) as s:
        rows = s.execute("SELECT title, text, text_hans, script FROM reports ORDER BY rowid").fetchall()
    dst.executemany("INSERT INTO reports VALUES (?, ?, ?, ?, ?)",
                    [(t, x, h, sc, to_simplified(t) if h != x else t) for t, x, h, sc in rows])
    dst.commit()


def size(db: sqlite3.Connection, name: str) -> int:
    return db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE ? || '\\_%' ESCAPE '\\'", [name]).fetchone()[0]


BUILDS = {
    "trigram": ("CREATE VIRTUAL TABLE t0 USING fts5(title, text, tokenize='trigram', content='reports')",
                "INSERT INTO t0 (rowid, title, text) SELECT rowid, title, text FROM reports", None),
    "trigram+hans": ("CREATE VIRTUAL TABLE t1 USING fts5(title, text, text_hans, tokenize='trigram', content='reports')",
                     "INSERT INTO t1 (rowid, title, text, text_hans) SELECT rowid, title, text, "
                     "CASE WHEN text_hans IS NOT text THEN title_hans || char(10) || text_hans END FROM reports", None),
    "trigram+hans full": ("CREATE VIRTUAL TABLE t2 USING fts5(title, text, text_hans, tokenize='trigram', content='reports')",
                          "INSERT INTO t2 (rowid, title, text, text_hans) SELECT rowid, title, text, text_hans FROM reports",
                          None),
    "terms none": ("CREATE VIRTUAL TABLE t3 USING fts5(title, text, content='reports', detail=none)",
                   "INSERT INTO t3 (rowid, title, text) VALUES (?, '', ?)",
                   lambda r: (r[0], terms(r[4], r[2], *((r[1], r[3]) if r[2] != r[3] else ())))),   # the archive's
    "unigram full": ("CREATE VIRTUAL TABLE t4 USING fts5(title, text, content='reports')",
                     "INSERT INTO t4 (rowid, title, text) VALUES (?, ?, ?)",
                     lambda r: (r[0], unigrams(r[4]), unigrams(r[2]))),
}
TABLE = {"trigram": "t0", "trigram+hans": "t1", "trigram+hans full": "t2", "terms none": "t3", "unigram full": "t4"}


def build(db: sqlite3.Connection, name: str) -> float:
    create, insert, values = BUILDS[name]
    t0 = time.perf_counter()
    db.execute(create)
    if values is None:
        db.execute(insert)
    else:
        rows = db.execute("SELECT rowid, title, text_hans, text, title_hans FROM reports").fetchall()
        db.executemany(insert, [values(r) for r in rows])
    db.commit()
    return time.perf_counter() - t0


def query_sql(name: str, q: str) -> tuple[str, list] | None:
    if name == "LIKE":
        return ("SELECT count(*) FROM reports WHERE text_hans LIKE ? OR title_hans LIKE ?", [f"%{q}%"] * 2)
    table = TABLE[name]
    if name.startswith("trigram"):
        if len(q) < 3:
            return None
        expr = fts_quote(q)
    elif name == "terms none":
        if len(q) > 2:
            return None
        expr = fts_quote(q)
    else:
        expr = fts_quote(" ".join(q))
    return f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", [expr]


def timed(db: sqlite3.Connection, sql: str, args: list, reps: int) -> tuple[int, float]:
    times, n = [], 0
    for _ in range(reps):
        t0 = time.perf_counter()
        n = db.execute(sql, args).fetchone()[0]
        times.append(time.perf_counter() - t0)
    return n, statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--reps", type=int, default=7)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "search.db")
        copy_reports(a.db, db)
        n, chars, utf8 = db.execute("SELECT count(*), sum(length(text)), sum(length(CAST(text AS BLOB))) "
                                    "FROM reports").fetchone()
        hant = db.execute("SELECT count(*) FROM reports WHERE text_hans IS NOT text").fetchone()[0]
        print(f"{n} reports ({hant} with text_hans != text), text {chars:,} characters, {utf8 / 1e6:.1f} MB UTF-8\n")
        built = {name: build(db, name) for name in BUILDS}
        q0 = "".join(q.rjust(12 - len(q)) for q in QUERIES)
        print(f"{'index':<19}{'MB':>7}{'build s':>9}   ms per query (rows found)\n{'':<35}{q0}")
        for name in [*BUILDS, "LIKE"]:
            mb = f"{size(db, TABLE[name]) / 1e6:.1f}" if name in TABLE else "-"
            bs = f"{built[name]:.2f}" if name in built else "-"
            cells = []
            for q in QUERIES:
                sql = query_sql(name, to_simplified(q) if name != "trigram" else q)
                if sql is None:
                    cells.append(f"{'-':>12}")
                    continue
                rows, ms = timed(db, *sql, a.reps)
                cells.append(f"{ms:.2f} ({rows})".rjust(12))
            print(f"{name:<19}{mb:>7}{bs:>9}   " + "".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
