"""A large synthetic portal set built from the demo portal's own templates (crawler/demo/portal).

The demo generator has three fixed sites and scales only reports per seed report, and its
clones get a numeric agency suffix past 12 clones ("教育局2" + "2020年…" reads as year 22020,
so discovery rightly skips them). The benchmark needs neither limit, so it feeds the generator
its own site list: N copies of the three CMS templates (Hanweb/Big5, TRS/GBK, plain/UTF-8) on
127.0.0.2, 127.0.0.3, …, each with R reports (the templates' seed reports cloned with distinct
agency names: 教育局, …, 教育局第二分局, …), plus the templates' look-alikes, guides and news
pages, which are not scaled. Everything else (rendering, manifest, expected texts) is the
generator's own code, so the benchmark crawls what the tests crawl.
"""
from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    "1..9999 in Chinese numerals (二十一, 一百零五), enough for agency names."
    if n < 10:
        return DIGITS[n]
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
            out += ("" if (value == 10 and d == 1 and not out) else DIGITS[d]) + unit
            zero = False
        elif out:
            zero = True
    return out


def agency_names(base: list[str], count: int) -> list[str]:
    "count distinct agency names from base: 教育局 … then 教育局第二分局 …"
    names = []
    for j in range(count):
        n = j // len(base)
        names.append(base[j % len(base)] + (f"第{chinese_number(n + 1)}分局" if n else ""))
    return names


def build_sites(n_sites: int, reports_per_site: int, page_size: int | None = None):
    from crawler.demo.portal import generate as g

    templates = g.build_sites(1)
    sites = []
    for i in range(n_sites):
        t = templates[i % len(templates)]
        s = copy.deepcopy(t)
        s.index = i                      # served on 127.0.0.{i+2}
        s.name = f"{t.name}-{i:02d}"
        s.site_id = f"{int(t.site_id) + 100 * i:010d}"
        if page_size:
            s.page_size = page_size
        # article ids stay: the renderers look pages up by id; copies of one template share
        # their expected texts, so expected/<id>.txt is the same file for every copy
        seeds = [a for a in s.articles if g.cloneable(a)]
        want = max(reports_per_site - len(seeds), 0)
        k = 0
        while want > 0:
            k += 1
            for a in seeds:
                if want == 0:
                    break
                s.articles.append(g.clone(a, k, s))
                want -= 1
        base = {"hanweb": 52340, "trs": 4123450, "plain": 101}[s.cms]
        for n, a in enumerate(s.articles):
            a.serial = base + n
        sites.append(s)
    return sites


@contextlib.contextmanager
def _patched_generator(sites, clones_per_seed: int):
    from crawler.demo.portal import generate as g

    saved = g.build_sites, g.AGENCIES, g.AGENCIES_T
    base, base_t = list(g.AGENCIES), list(g.AGENCIES_T)
    g.AGENCIES = agency_names(base, max(clones_per_seed, len(base)))
    g.AGENCIES_T = agency_names(base_t, max(clones_per_seed, len(base_t)))
    try:
        built = sites()
        g.build_sites = lambda scale=1: built
        yield g
    finally:
        g.build_sites, g.AGENCIES, g.AGENCIES_T = saved


def generate(out_dir: Path, n_sites: int, reports_per_site: int, page_size: int | None = None) -> dict:
    """Write DIR/sites/…, DIR/expected/…, DIR/manifest.json (the demo portal's format)."""
    if n_sites > 250:
        raise ValueError("at most 250 sites (127.0.0.2 … 127.0.0.251)")
    with _patched_generator(lambda: build_sites(n_sites, reports_per_site, page_size),
                            clones_per_seed=reports_per_site) as g:
        manifest = g.generate(out_dir, scale=1)
    manifest["bench"] = {"sites": n_sites, "reports_per_site": reports_per_site, "page_size": page_size}
    (Path(out_dir) / "bench.json").write_text(json.dumps(manifest["bench"]) + "\n")
    return manifest


def summary(manifest: dict) -> dict:
    files = [f for s in manifest["sites"] for f in s["files"]]
    return {"sites": len(manifest["sites"]), "files": len(files), "reports": len(manifest["reports"]),
            "not_reports": len(manifest["not_reports"])}


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m bench.portal", description="generate a benchmark portal set")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sites", type=int, default=20)
    ap.add_argument("--reports", type=int, default=50, help="report pages per site")
    ap.add_argument("--page-size", type=int, default=None, help="entries per list page (default: the templates')")
    a = ap.parse_args(argv)
    print(json.dumps(summary(generate(a.out, a.sites, a.reports, a.page_size))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
