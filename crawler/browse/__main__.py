"""``python -m crawler.browse DB``: serve an archive's reports.db in Datasette with the reading room's
metadata and plugin, on loopback. The database is brought up to date first (migrations, search indexes)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.browse import METADATA, TEMPLATES
from pipelines.store import open_database


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawler.browse", description=__doc__.split("\n")[0])
    ap.add_argument("db", type=Path, nargs="?", default=Path("archive/demo/reports.db"),
                    help="the archive's reports.db (default archive/demo/reports.db, what make demo writes)")
    ap.add_argument("--port", type=int, default=8001)
    ap.add_argument("--host", default="127.0.0.1")
    a = ap.parse_args(argv)
    if not a.db.is_file():
        print(f"error: no archive at {a.db}: run `make demo` first, or name a reports.db "
              "(make browse DB=archive/reports.db)", file=sys.stderr)
        return 2
    try:
        from datasette.cli import cli
    except ImportError:
        print("error: Datasette is not installed: .venv/bin/pip install -e '.[browse]' (make browse does it)",
              file=sys.stderr)
        return 2
    open_database(a.db).close()   # an archive from before the reading room gets its view and indexes
    print(f"reading room on http://{a.host}:{a.port}/  (Ctrl-C stops it)", flush=True)
    return cli.main(["serve", str(a.db), "--metadata", str(METADATA), "--template-dir", str(TEMPLATES),
                     "--host", a.host, "--port", str(a.port),
                     "--setting", "default_page_size", "50"], prog_name="datasette", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main())
