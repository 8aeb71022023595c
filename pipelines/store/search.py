"""Search across both scripts and every term length: the two full-text indexes of ``reports``, how
they are written, and the queries that use them.

- ``reports_fts`` (FTS5 ``trigram``) on ``title``, ``text`` and, for a report whose ``text_hans`` differs
  from ``text`` (a Traditional one), its title and text in Simplified (column ``text_hans``): a term of
  three characters or more, in Simplified, finds reports of both scripts. Indexing the Simplified form only
  where it differs costs +23% on an archive where a third of the reports are Traditional (+74% always),
  and nothing on an all-Simplified one.
- ``reports_terms`` (FTS5 ``unicode61``, ``detail=none``): every character and pair of adjacent
  characters of the title and text in Simplified (and as written, when that differs), each a token. A
  trigram index matches nothing for a term under three characters (SQLite's rule); here 公开 or 税 is one
  token lookup, 250–1000 times faster than LIKE, in an index an eighth the size of the trigram one.
  Tokens only, no positions: longer terms go to the trigram index, so it never needs a phrase.

Both are external-content tables on ``reports`` (reading their columns reads ``reports``) whose values are
computed here, not stored. The row triggers only queue: a new or changed row's rowid in
``reports_fts_pending``, an indexed row that changes or goes, as it was, in ``reports_terms_stale``;
``index_pending`` writes a batch, deleting the stale entries by computing their values again (FTS5 needs
them), with the Simplified title they were indexed with (``reports_fts_titles``). A change to ``terms()``
therefore needs a migration that rebuilds both indexes.

``where_clause(q)`` is a reader's query as SQL: whitespace-separated terms, each folded to Simplified and
routed by length, all required. ``bench/search.py`` gives the figures above.
"""
from __future__ import annotations

import re
from operator import add

from pipelines.script import to_simplified

TRIGRAM, TERMS = "reports_fts", "reports_terms"
PENDING, STALE, TITLES = "reports_fts_pending", "reports_terms_stale", "reports_fts_titles"

_HAN = r"\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_CHAR = re.compile(f"[{_HAN}]")
# what FTS5 query syntax would read as an operator
_SYNTAX = re.compile(r'["*^():{}+\-\\]')


def terms(*texts: str | None) -> str:
    """The tokens ``reports_terms`` indexes for these texts, space-separated, each once: every
    character and every pair of adjacent characters. unicode61 then drops the separators (a pair
    with a comma is the character alone), and folds case as the trigram index does.

    Every pair, not only Han ones: set() and map() run in C, where picking Han runs out in Python
    cost 2.5 times as much (bench: 5.0 → 2.0 ms per report), and a term such as 2年 is found too."""
    out: set[str] = set()
    for text in texts:
        if text:
            out.update(text)
            out.update(map(add, text, text[1:]))
    return " ".join(out)


def fold(query: str) -> str:
    "The query in Simplified (a Traditional reader's term finds Simplified reports)."
    return to_simplified(query) if _HAN_CHAR.search(query) else query


def split_terms(query: str) -> list[str]:
    "A reader's query as the terms every one of which a report must contain (operators dropped)."
    return [t for t in _SYNTAX.sub(" ", fold(query)).split() if any(c.isalnum() for c in t)]


def fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def where_clause(query: str, rowid: str = "reports.rowid") -> tuple[str, dict[str, str]]:
    """SQL (and its parameters) true for the ``reports`` rows that contain every term of ``query``,
    in either script: terms of three characters or more through the trigram index, shorter ones
    through ``reports_terms``. ``rowid`` names the reports rowid in the caller's FROM. An empty
    query: ('1', {})."""
    long = [t for t in split_terms(query) if len(t) >= 3]
    short = [t for t in split_terms(query) if len(t) < 3]
    clauses, params = [], {}
    for name, table, found in (("xxgk_trigram", TRIGRAM, long), ("xxgk_terms", TERMS, short)):
        if found:
            params[name] = " ".join(fts_quote(t) for t in found)
            clauses.append(f"{rowid} IN (SELECT rowid FROM {table} WHERE {table} MATCH :{name})")
    return (" AND ".join(clauses) or "1"), params


def match_expression(query: str) -> str:
    """One FTS5 expression for either index, for a single word or phrase (the canned search query):
    the trigram index finds it when it has three characters or more, ``reports_terms`` when fewer."""
    return " ".join(fts_quote(t) for t in split_terms(query)) or '""'


# --- the indexes ------------------------------------------------------------------------------------

def create(db) -> None:
    """Both indexes, their triggers and queues; every report queued (``index_pending`` fills them).
    Replaces the trigram index of title and text and its triggers (schema.fts_batched)."""
    for name in ("reports_fts_queue_insert", "reports_fts_queue_update", "reports_fts_queue_delete"):
        db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    db.execute(f"DROP TABLE IF EXISTS {TRIGRAM}")
    db.execute(f"DROP TABLE IF EXISTS {TERMS}")
    # content="reports" in double quotes: how sqlite-utils and Datasette find a table's index. The terms
    # index says it in single quotes, so that `reports` keeps the trigram one as its search
    db.execute(f"""CREATE VIRTUAL TABLE {TRIGRAM} USING fts5(title, text, text_hans, tokenize='trigram',
        content="reports")""")
    db.execute(f"CREATE VIRTUAL TABLE {TERMS} USING fts5(title, text, detail=none, content='reports')")
    db.execute(f"CREATE TABLE IF NOT EXISTS {PENDING} (rowid INTEGER PRIMARY KEY)")
    db.execute(f"CREATE TABLE IF NOT EXISTS {STALE} (rowid INTEGER PRIMARY KEY, title TEXT, text TEXT, "
               "text_hans TEXT)")
    # the Simplified title each Traditional report was indexed with: deleting its entries must give the
    # same tokens even if OpenCC's dictionaries change in between
    db.execute(f"CREATE TABLE IF NOT EXISTS {TITLES} (rowid INTEGER PRIMARY KEY, title_hans TEXT)")
    unless_pending = f"NOT EXISTS (SELECT 1 FROM {PENDING} WHERE rowid = old.rowid)"
    # a queued row is not in the indexes yet: nothing of it to take out. No INSERT OR IGNORE here: the
    # upsert that fires these overrides its conflict clause
    forget = f"""INSERT INTO {STALE} (rowid, title, text, text_hans) SELECT old.rowid, old.title, old.text, old.text_hans
            WHERE {unless_pending} AND NOT EXISTS (SELECT 1 FROM {STALE} WHERE rowid = old.rowid);"""
    db.execute(f"""CREATE TRIGGER reports_fts_queue_insert AFTER INSERT ON reports BEGIN
        INSERT INTO {PENDING} (rowid) VALUES (new.rowid);
    END""")
    db.execute(f"""CREATE TRIGGER reports_fts_queue_update AFTER UPDATE OF title, text, text_hans ON reports
    WHEN old.title IS NOT new.title OR old.text IS NOT new.text OR old.text_hans IS NOT new.text_hans BEGIN
        {forget}
        INSERT INTO {PENDING} (rowid) SELECT new.rowid WHERE {unless_pending};
    END""")
    db.execute(f"""CREATE TRIGGER reports_fts_queue_delete AFTER DELETE ON reports BEGIN
        {forget}
        DELETE FROM {PENDING} WHERE rowid = old.rowid;
    END""")
    db.execute(f"INSERT INTO {PENDING} (rowid) SELECT rowid FROM reports WHERE rowid NOT IN (SELECT rowid FROM {PENDING})")


def _entries(rows, titles: dict[int, str | None]) -> tuple[list, list]:
    """(trigram values, terms values) of (rowid, title, text, text_hans) rows. A report whose text_hans
    differs from text is indexed in Simplified too: title (``titles[rowid]``, converted when absent) and text."""
    trigram, words = [], []
    for rowid, title, text, hans in rows:
        if hans == text:
            trigram.append((rowid, title, text, None))
            words.append((rowid, terms(title, text)))
            continue
        if rowid not in titles:
            titles[rowid] = to_simplified(title) if title else title
        title_hans = titles[rowid]
        trigram.append((rowid, title, text, (title_hans + "\n" if title_hans else "") + (hans or "")))
        words.append((rowid, terms(title_hans, hans, title, text)))
    return trigram, words


def index_pending(db, chunk: int = 500) -> int:
    """Take the stale rows out of both indexes and write the queued ones in, in one transaction;
    returns how many were queued. Reads ``chunk`` reports at a time: a backfill queues the whole archive."""
    insert_trigram = f"INSERT INTO {TRIGRAM} (rowid, title, text, text_hans) VALUES (?, ?, ?, ?)"
    insert_terms = f"INSERT INTO {TERMS} (rowid, title, text) VALUES (?, '', ?)"
    with db.atomic():
        titles = dict(db.execute(f"SELECT t.rowid, t.title_hans FROM {TITLES} t JOIN {STALE} s ON s.rowid = t.rowid"))
        trigram, words = _entries(db.execute(f"SELECT rowid, title, text, text_hans FROM {STALE}").fetchall(), titles)
        # FTS5 deletes an external-content entry given the values it indexed: computed again
        db.conn.executemany(f"INSERT INTO {TRIGRAM} ({TRIGRAM}, rowid, title, text, text_hans) "
                            "VALUES ('delete', ?, ?, ?, ?)", trigram)
        db.conn.executemany(f"INSERT INTO {TERMS} ({TERMS}, rowid, title, text) VALUES ('delete', ?, '', ?)", words)
        db.execute(f"DELETE FROM {TITLES} WHERE rowid IN (SELECT rowid FROM {STALE})")
        db.execute(f"DELETE FROM {STALE}")
        n, last = db.execute(f"SELECT count(*) FROM {PENDING}").fetchone()[0], -1
        while n:
            rows = db.execute(f"SELECT r.rowid, r.title, r.text, r.text_hans FROM {PENDING} p JOIN reports r "
                              f"ON r.rowid = p.rowid WHERE p.rowid > ? ORDER BY p.rowid LIMIT ?",
                              [last, chunk]).fetchall()
            if not rows:
                break
            titles = {}
            trigram, words = _entries(rows, titles)
            db.conn.executemany(f"INSERT OR REPLACE INTO {TITLES} (rowid, title_hans) VALUES (?, ?)", titles.items())
            db.conn.executemany(insert_trigram, trigram)
            db.conn.executemany(insert_terms, words)
            last = rows[-1][0]
        db.execute(f"DELETE FROM {PENDING}")
    return n
