"""Golden check: every output field of the stages over a fixed set of pages, to prove a refactor or a
speed-up changed nothing.

    python -m bench.golden write OUT.jsonl [--bench-sites 20 --bench-reports 50]
    python -m bench.golden compare A.jsonl B.jsonl
    python -m bench.golden db A/reports.db B/reports.db

``db`` compares two crawls' ``reports`` rows, every column but those a run necessarily changes
(``fetched_at``, ``run_id``, ``first_seen``, the WARC file names, which carry the run id).

The pages: the demo portal's files, every HTML fixture under tests/data, a generated benchmark portal
(the bench's default size) and, when ../shared/realpages exists, the real pages; each under three
Content-Types (none, the charset it was written in when known, a lying ``charset=utf-8``). For each:
the one-page row (``pipelines.extract.extract_page``) and the links discovery finds.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_SUFFIXES = (".py", ".json", ".txt", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".md", ".png", ".jpg")
CONTENT_TYPES = (None, "text/html; charset=utf-8", "text/html; charset=gbk")


def _api():
    "The stage functions, wherever this version of the code keeps them."
    extract = importlib.import_module("pipelines.extract")
    for name in ("pipelines.discovery", "pipelines.discovery"):
        try:
            discovery = importlib.import_module(name)
            break
        except ImportError:
            continue
    decode = importlib.import_module("pipelines.decode").decode
    return extract.extract_page, discovery, decode


def pages(bench_dir: Path | None) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    roots = [ROOT / "tests" / "portal" / "sites", ROOT / "crawler" / "demo" / "portal" / "sites",
             ROOT / "tests" / "data"]
    if bench_dir is not None:
        roots.append(bench_dir / "sites")
    shared = ROOT.parent / "shared" / "realpages"
    if shared.is_dir():
        roots.append(shared)
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() not in SKIP_SUFFIXES:
                rel = path.relative_to(root).as_posix()
                # a site file's URL: its host directory then the path (served so by the demo server)
                found.append((f"{root.name}/{rel}", path))
    return found


def outputs(label: str, body: bytes, extract_page, discovery, decode) -> list[dict]:
    out = []
    url = "http://golden.test/" + label
    for ct in CONTENT_TYPES:
        row = extract_page(body, url=url, content_type=ct)
        row = {k: v for k, v in row.items()}
        decoded = decode(body, ct)
        html, enc = decoded.text, decoded.encoding or "utf-8"
        links = [(l.url, l.text, l.source) for l in discovery.extract_links(html, url, enc)]
        paging = list(discovery.page_links(html, url, encoding=enc))
        attachments = discovery.report_attachments(html, url, enc)
        out.append({"page": label, "content_type": ct, "row": row, "links": links, "paging": paging,
                    "attachments": attachments})
    return out


def write(out: Path, bench_sites: int, bench_reports: int) -> int:
    sys.path.insert(0, str(ROOT))
    extract_page, discovery, decode = _api()
    with tempfile.TemporaryDirectory() as tmp:
        bench_dir = None
        if bench_sites:
            from bench import portal
            portal.generate(Path(tmp), bench_sites, bench_reports)
            bench_dir = Path(tmp)
        n = 0
        with open(out, "w", encoding="utf-8") as fh:
            for label, path in pages(bench_dir):
                for record in outputs(label, path.read_bytes(), extract_page, discovery, decode):
                    fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                n += 1
    print(f"{n} pages x {len(CONTENT_TYPES)} content types -> {out}")
    return 0


def compare(a: Path, b: Path) -> int:
    def load(path):
        return {(r["page"], r["content_type"]): r for r in map(json.loads, open(path, encoding="utf-8"))}
    left, right = load(a), load(b)
    differ = 0
    for key in sorted(set(left) | set(right), key=str):
        x, y = left.get(key), right.get(key)
        if x != y:
            differ += 1
            if differ <= 10:
                fields = sorted(k for k in set(x or {}) | set(y or {}) if (x or {}).get(k) != (y or {}).get(k))
                if "row" in fields and x and y:
                    fields += [f"row.{k}" for k in sorted(set(x["row"]) | set(y["row"]))
                               if x["row"].get(k) != y["row"].get(k)]
                print(f"differ: {key}: {fields}")
    digest = hashlib.sha256(open(b, "rb").read()).hexdigest()[:12]
    print(f"{len(left)} vs {len(right)} records, {differ} differ (B sha256 {digest})")
    return 1 if differ else 0


RUN_COLUMNS = ("fetched_at", "run_id", "first_seen", "warc_file", "warc_offset")


def compare_db(a: Path, b: Path) -> int:
    import sqlite3

    def rows(path):
        db = sqlite3.connect(path)
        db.row_factory = sqlite3.Row
        return {r["url"]: {k: r[k] for k in r.keys() if k not in RUN_COLUMNS}
                for r in db.execute("select * from reports")}
    left, right = rows(a), rows(b)

    def same(x, y):   # a column one side does not have yet is NULL there
        return x is not None and y is not None and all(x.get(k) == y.get(k) for k in set(x) | set(y))
    differ = [u for u in sorted(set(left) | set(right)) if not same(left.get(u), right.get(u))]
    for url in differ[:10]:
        x, y = left.get(url) or {}, right.get(url) or {}
        print(f"differ: {url}: {sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))}")
    print(f"{len(left)} vs {len(right)} rows, {len(differ)} differ")
    return 1 if differ else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.golden", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--bench-sites", type=int, default=20)
    w.add_argument("--bench-reports", type=int, default=50)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    d = sub.add_parser("db")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "db":
        return compare_db(args.a, args.b)
    if args.cmd == "write":
        return write(args.out, args.bench_sites, args.bench_reports)
    return compare(args.a, args.b)


if __name__ == "__main__":
    raise SystemExit(main())
