"""Cleaner quality on the labelled set: our clean_html against plain trafilatura, side by side.

    python -m tests.clean_quality [-v] [--portal] [--extra HTML EXPECTED ENCODING ...]

Per page: character-bigram F1 (pipelines.quality, the contract's measure), spam tokens leaked
(tokens of the injected run found in the output), chrome strings leaked, and time; then means.
The set is tests/data/clean/manifest.json; other pages join it as (html_path, expected_path,
encoding) triples through ``cases_from``; ``--portal`` adds the demo portal's report pages
(crawler/demo/portal/manifest.json), whose expected text is the final ``text`` (pinyin stripped).
Pages of a family of real-page shapes (the manifest's ``family``: table-body, glued-spam,
site-title; crawler/demo/portal/shapes.py) are also summed up per family, with how many of their
titles each extractor reads right (ours: the metadata stage; trafilatura: its own metadata).
"""
from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from pipelines.clean import clean_html
from pipelines.quality import bigram_f1
from crawler.demo.portal import PORTAL_DIR

DATA = Path(__file__).resolve().parent / "data" / "clean"
MANIFEST = DATA / "manifest.json"
PORTAL = PORTAL_DIR


@dataclass(frozen=True)
class Case:
    "One labelled page: the HTML bytes and their encoding, the expected text, what must not leak."
    name: str
    html_path: Path
    expected_path: Path
    encoding: str = "utf-8"
    title: str | None = None
    chrome: tuple[str, ...] = ()
    spam: tuple[str, ...] = ()
    final_text: bool = False      # expected is the stored `text`: pinyin annotations stripped
    family: str | None = None     # a family of real-page shapes (demo portal manifest)

    def html(self) -> str:
        return self.html_path.read_bytes().decode(self.encoding, errors="replace")

    def expected(self) -> str:
        return self.expected_path.read_text(encoding="utf-8")


def cases_from(entries: Iterable[tuple[str | Path, str | Path, str] | Case]) -> list[Case]:
    "Cases from (html_path, expected_path, encoding) triples (no leak lists) or ready Cases."
    out = []
    for entry in entries:
        if isinstance(entry, Case):
            out.append(entry)
            continue
        html_path, expected_path, encoding = entry
        out.append(Case(Path(html_path).stem, Path(html_path), Path(expected_path), encoding))
    return out


def labelled_cases(extra: Iterable[tuple[str | Path, str | Path, str] | Case] = ()) -> list[Case]:
    "The built set from the manifest, plus any extra pages."
    entries = json.loads(MANIFEST.read_text(encoding="utf-8"))
    cases = [Case(e["name"], DATA / e["html"], DATA / e["expected"], e["encoding"], e.get("title"),
                  tuple(e.get("chrome", ())), tuple(e.get("spam", ()))) for e in entries]
    return cases + cases_from(extra)


def portal_cases(root: Path = PORTAL) -> list[Case]:
    "The demo portal's report pages (empty when the portal is absent)."
    manifest = root / "manifest.json"
    if not manifest.exists():
        return []
    data = json.loads(manifest.read_text(encoding="utf-8"))
    sites = {s["name"]: s for s in data["sites"]}
    cases = []
    for rep in data.get("reports", []):
        if rep.get("text_source", "html") != "html":
            continue   # the page shows the report in a viewer: its text is the file's
        site = sites[rep["site"]]
        pages = rep.get("pages") or [rep["path"]]   # a paged report: each page and its part of the text
        texts = rep.get("page_texts") or [rep.get("expected_text")]
        for n, (page, expected) in enumerate(zip(pages, texts), 1):
            path, _, query = page.partition("?")
            files = [f for f in site["files"] if f["path"] == path and (f.get("query") or "") == query]
            if not files or not expected:
                continue
            cases.append(Case(f"portal:{rep['id']}" + (f":page{n}" if len(pages) > 1 else ""),
                              root / site["root"] / files[0]["file"], root / expected,
                              rep.get("encoding") or site["encoding"], rep.get("title"),
                              spam=tuple((rep.get("spam_text") or "").split()), final_text=True,
                              family=rep.get("family")))
    return cases


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def leaked(text: str, needles: Sequence[str]) -> list[str]:
    "The needles present in ``text`` (whitespace-insensitive)."
    hay = _squash(text)
    return [n for n in needles if _squash(n) and _squash(n) in hay]


def _final(case: Case, text: str) -> str:
    "The stored form when the expected text is the stored form (the script stage strips pinyin)."
    if not case.final_text:
        return text
    from pipelines.script import strip_pinyin

    return strip_pinyin(text)[0]


def ours(case: Case, html: str) -> str:
    return _final(case, clean_html(html, title=case.title).text)


def plain_trafilatura(case: Case, html: str) -> str:
    import trafilatura

    return _final(case, trafilatura.extract(html, include_tables=True) or "")


EXTRACTORS: dict[str, Callable[[Case, str], str]] = {"ours": ours, "trafilatura": plain_trafilatura}



def our_title(html: str) -> str | None:
    from pipelines.metadata import extract_metadata

    return extract_metadata(html).title


def trafilatura_title(html: str) -> str | None:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True)
    return getattr(doc, "title", None) if doc is not None else None


# the title each extractor reads, checked on the pages of a family (the site-title family is about it)
TITLERS: dict[str, Callable[[str], str | None]] = {"ours": our_title, "trafilatura": trafilatura_title}


@dataclass
class Score:
    case: str
    extractor: str
    f1: float
    spam: list[str]
    chrome: list[str]
    seconds: float
    family: str | None = None
    title_ok: bool | None = None    # on a family's page: the title read is the expected one


def score(cases: Iterable[Case], extractors: dict[str, Callable[[Case, str], str]] = EXTRACTORS) -> list[Score]:
    rows = []
    cases = list(cases)
    # warm up (imports, trafilatura's and pypinyin's lazy setup) outside the timing
    for first in {c.final_text: c for c in reversed(cases)}.values():
        for extract in extractors.values():
            extract(first, first.html())
    for case in cases:
        html, expected = case.html(), case.expected()
        for name, extract in extractors.items():
            start = time.perf_counter()
            text = extract(case, html)
            seconds = time.perf_counter() - start
            title_ok = None
            if case.family and case.title and name in TITLERS:
                title_ok = TITLERS[name](html) == case.title
            rows.append(Score(case.name, name, bigram_f1(text, expected, case.title),
                              leaked(text, case.spam), leaked(text, case.chrome), seconds, case.family, title_ok))
    return rows


def report(rows: list[Score], verbose: bool = False) -> str:
    names = list(dict.fromkeys(r.extractor for r in rows))
    cases = list(dict.fromkeys(r.case for r in rows))
    by = {(r.case, r.extractor): r for r in rows}
    head = f"{'page':<20}" + "".join(f"| {n[:11]:>11} F1  spam chrome    ms " for n in names)
    out = [head, "-" * len(head)]
    for case in cases:
        cells = []
        for n in names:
            r = by[(case, n)]
            cells.append(f"| {r.f1:15.3f} {len(r.spam):5d} {len(r.chrome):6d} {r.seconds * 1000:5.0f} ")
        out.append(f"{case[:20]:<20}" + "".join(cells))
        if verbose:
            for n in names:
                r = by[(case, n)]
                if r.spam or r.chrome:
                    out.append(f"    {n}: spam={r.spam} chrome={r.chrome}")
    out.append("-" * len(head))
    out.append(f"{'mean (leaks: sum)':<20}" + _means(rows, names))
    families = sorted({r.family for r in rows if r.family})
    if families:
        head = f"{'family (pages)':<20}" + "".join(f"| {n[:11]:>11} mean F1  lowest F1 spam chrome titles " for n in names)
        out += ["", head, "-" * len(head)]
        for family in families:
            rs = [r for r in rows if r.family == family]
            cells = []
            for n in names:
                own = [r for r in rs if r.extractor == n]
                cells.append(f"| {sum(r.f1 for r in own) / len(own):19.3f} {min(r.f1 for r in own):10.3f} "
                             f"{sum(len(r.spam) for r in own):4d} {sum(len(r.chrome) for r in own):6d} "
                             f"{sum(bool(r.title_ok) for r in own):3d}/{len(own):<2d} ")
            out.append(f"{family + f' ({len(rs) // len(names)})':<20}" + "".join(cells))
    return "\n".join(out)


def _means(rows: list[Score], names: list[str]) -> str:
    "Mean F1, leaks summed, mean ms, per extractor."
    cells = []
    for n in names:
        rs = [r for r in rows if r.extractor == n]
        cells.append(f"| {sum(r.f1 for r in rs) / len(rs):15.3f} {sum(len(r.spam) for r in rs):5d} "
                     f"{sum(len(r.chrome) for r in rs):6d} {sum(r.seconds for r in rs) * 1000 / len(rs):5.0f} ")
    return "".join(cells)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list the leaked strings")
    parser.add_argument("--portal", action="store_true", help="add the demo portal's report pages")
    parser.add_argument("--extra", nargs=3, action="append", default=[],
                        metavar=("HTML", "EXPECTED", "ENCODING"), help="add a page to the set")
    args = parser.parse_args(argv)
    cases = labelled_cases([tuple(e) for e in args.extra]) + (portal_cases() if args.portal else [])
    print(report(score(cases), args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
