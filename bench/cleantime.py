"""The cleaning step alone, per page: pipelines.clean.clean_html against plain trafilatura.extract
on the same decoded report pages, in this process, several repetitions, median.

Pages are read from the generated portal (bytes as served), decoded once with our decoder, and
the title our metadata stage would hand the cleaner is computed once, outside the timed loops.
"""
from __future__ import annotations

import statistics
from collections import Counter
import time
from pathlib import Path


def report_pages(root: Path, manifest: dict, sample: int) -> list[dict]:
    """Up to `sample` report pages spread evenly over the manifest (every site, every template)."""
    from crawler.demo.portal.server import route_key

    files = {}
    for site in manifest["sites"]:
        for f in site["files"]:
            files[(site["name"], route_key(f["path"], f.get("query", "")))] = (site, f)
    reports = manifest["reports"]
    step = max(len(reports) / max(sample, 1), 1.0)
    picked = [reports[int(i * step)] for i in range(min(sample, len(reports)))]
    pages = []
    for r in picked:
        path, _, query = r["path"].partition("?")
        site, f = files[(r["site"], route_key(path, query))]
        body = (root / site["root"] / f["file"]).read_bytes()
        pages.append({"url": f"http://{site['host']}{r['path']}", "body": body,
                      "content_type": f["content_type"], "cms": site["cms"]})
    return pages


def _time_each(fn, items, reps: int) -> list[float]:
    "Median over `reps` passes of the time per item (a pass = every item once)."
    per_pass = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for it in items:
            fn(it)
        per_pass.append((time.perf_counter() - t0) / len(items))
    return per_pass


def measure(root: Path, manifest: dict, sample: int = 60, reps: int = 5) -> dict:
    import trafilatura

    from pipelines import extract
    from pipelines.clean import clean_html
    from pipelines.decode import decode
    from pipelines.metadata import extract_metadata
    from pipelines.record import Capture

    pages = report_pages(root, manifest, sample)
    for p in pages:
        p["html"] = decode(p["body"], p["content_type"]).text
        p["title"] = extract_metadata(p["html"], url=p["url"]).title

    def ours(p):
        return clean_html(p["html"], title=p["title"])

    def traf(p):
        return trafilatura.extract(p["html"], url=p["url"])

    def traf_fast(p):
        return trafilatura.extract(p["html"], url=p["url"], fast=True)

    def whole(p):  # decode → metadata → clean → classify → row: everything but fetch and store
        return extract.to_row(extract.process(Capture(url=p["url"], body=p["body"],
                                                      headers=[("Content-Type", p["content_type"])])))

    # warm-up pass: imports, lazily built regexes, OpenCC dictionaries
    containers = Counter(ours(p).container or "none" for p in pages)
    for p in pages:
        traf(p)
        whole(p)
    out = {"pages": len(pages), "reps": reps, "html_kib_mean": round(
        statistics.mean(len(p["html"]) for p in pages) / 1024, 1),
        "clean_containers": dict(containers)}
    for name, fn in (("clean_html", ours), ("trafilatura", traf), ("trafilatura_fast", traf_fast),
                     ("extract_process", whole)):
        runs = _time_each(fn, pages, reps)
        out[f"{name}_ms"] = round(statistics.median(runs) * 1000, 3)
        out[f"{name}_ms_runs"] = [round(r * 1000, 3) for r in runs]
    out["clean_vs_trafilatura"] = round(out["clean_html_ms"] / out["trafilatura_ms"], 3)
    return out
