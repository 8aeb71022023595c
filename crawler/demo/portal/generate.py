"""Generate the demo portal: static sites, expected texts and manifest.json.

    python -m crawler.demo.portal.generate [--out DIR] [--scale N]

Writes DIR/sites/<site>/..., DIR/expected/<report id>.txt and DIR/manifest.json (DIR defaults
to this package; those files are committed fixtures). Output is byte-deterministic. `scale`
adds N-1 extra reports per seed report (cloned bodies, new agency, URL and metadata) so the
benchmark can grow the portal without new templates.

To add a case: append an Article to a site's list in build_sites() (cases.py holds the lying
encodings and metadata layouts: an Article's `wire` and `layout`), or a File to site.extra_files
for raw bytes; the CMS renderer lists and links it, and the manifest records it.
"""
from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
from pathlib import Path

from . import agencies, cases, cms_hanweb, cms_plain, cms_trs, content, expected_stats, pageshapes, shapepages, shapes, statcases, traps
from .model import HOST_TOKEN, Article, File, Site, resolve_refs
from .reports import seed_reports
from .server import disk_name

HERE = Path(__file__).resolve().parent
RENDER = {"hanweb": cms_hanweb.render, "trs": cms_trs.render, "plain": cms_plain.render}
AGENCIES = ["教育局", "财政局", "卫生健康委员会", "交通运输局", "生态环境局", "农牧局", "民政局",
            "司法局", "统计局", "审计局", "水利局", "应急管理局"]
AGENCIES_T = ["教育局", "財政局", "衛生健康委員會", "交通運輸局", "生態環境局", "農牧局", "民政局",
              "司法局", "統計局", "審計局", "水利局", "應急管理局"]


def build_sites(scale: int = 1) -> list[Site]:
    rep = seed_reports()
    sites = [
        Site("hanweb-ejina", "hanweb", "額濟納旗人民政府", "big5", "big5", "big5hkscs", 0,
             "1529230001", "額濟納旗人民政府辦公室", "額濟納旗融媒體中心", "0483-6522301",
             "蒙ICP備05003416號", "蒙公網安備 15292302000011號",
             [rep["hanweb-004"], rep["hanweb-002"]] + content.hanweb_pages(), script="hant"),
        Site("trs-ewenki", "trs", "鄂温克族自治旗人民政府", "gb2312", "gbk", "gb18030", 1,
             "1507240004", "鄂温克族自治旗人民政府办公室", "鄂温克族自治旗政务服务与数据管理局",
             "0470-8812282", "蒙ICP备2021001176号", "蒙公网安备 15072402000013号",
             [rep["trs-000"], rep["trs-003"]] + content.trs_pages()),
        Site("plain-meilie", "plain", "三明市梅列区人民政府", "utf-8", "utf-8", "utf-8", 2,
             "3504030001", "三明市梅列区人民政府办公室", "三明市梅列区融媒体中心", "0598-8235010",
             "闽ICP备05021335号", "闽公网安备 35040302000104号",
             [rep["plain-001"]] + content.plain_pages()),
    ]
    hanweb, trs, plain = sites
    traps.add_trs(trs)
    moved = clone(rep["plain-001"], 12, plain)
    moved.id = "plain-yjglj"
    preview = clone(rep["plain-001"], 11, plain)
    preview.id, preview.kind, preview.url_prefix = "plain-preview", "robots", traps.PREVIEW
    preview.why = "a real-looking report under a path robots.txt disallows: must never be fetched"
    traps.add_plain(plain, moved, preview)
    # issue 4 (lying encodings) and issue 6 (metadata layouts): appended last, so that the
    # articles above keep their CMS ids
    hanweb.articles += cases.hanweb_cases(hanweb)
    trs.articles += cases.trs_cases(trs)
    plain.articles += cases.plain_cases(plain)
    for site in sites:      # issue 15: the 2021 template, broken sums, a table printed as paragraphs
        site.articles += statcases.stat_reports()[site.name]
    # issue 23: page shapes real portals have (a table body, spam glued into a paragraph, no heading)
    hanweb.articles += shapes.hanweb_cases(hanweb)
    trs.articles += shapes.trs_cases(trs)
    plain.articles += shapes.plain_cases(plain)
    # issue 24 (paged reports, reports in a viewer, report-titled lists): appended after the cases above
    pageshapes.add_trs(trs)
    pageshapes.add_plain(plain)
    agencies.respell(sites)    # issue 19: a few metadata blocks name their agency another way
    for site in sites:
        seeds = [a for a in site.articles if cloneable(a)]
        for k in range(1, scale):
            site.articles += [clone(a, k, site) for a in seeds]
        base = {"hanweb": 52340, "trs": 4123450, "plain": 101}[site.cms]
        for i, a in enumerate(site.articles):
            a.serial = base + i
    return sites


def cloneable(a: Article) -> bool:
    """A report a scaled run copies. Not one whose text is its attachment (the copies would all link
    the one file), nor one listed only on a 汇总 or archive page (its copies would be linked nowhere)."""
    shape = pageshapes.shape_of(a)
    return a.kind == "report" and not a.file_text and not (shape is not None and shape.kind == "listed")


def clone(a: Article, k: int, site: Site) -> Article:
    """A further report for scaled runs: same body shape, another agency signing it."""
    names = AGENCIES_T if a.script == "hant" else AGENCIES
    county = {"hanweb": "額濟納旗", "trs": "鄂温克旗", "plain": "梅列区"}[site.cms]
    agency = county + names[(k - 1) % len(names)] + (str((k - 1) // len(names) + 1) if k > len(names) else "")
    b = copy.deepcopy(a)
    b.id = f"{a.id}-x{k:04d}"
    b.title = agency + re.sub(r"^.*?(?=\d{4}年)", "", a.title)
    b.lead = []
    b.blocks.append(("sig", agency))
    b.source = agency
    pub_key = next((x for x in b.meta if x in ("发布机构", "發布機構")), None)
    if pub_key:
        b.meta[pub_key] = agency
    idx_key = next((x for x in b.meta if x in ("索引号", "索引號")), None)
    if idx_key:
        b.meta[idx_key] = re.sub(r"\d+$", lambda m: str(int(m.group()) + k).zfill(len(m.group())),
                                 b.meta[idx_key])
        b.expect["index_no"] = b.meta[idx_key]
    b.expect["publisher"] = agency
    b.expect["agency"] = f"{agencies.CLONE_PLACES[site.cms]}/{AGENCIES[(k - 1) % len(AGENCIES)]}" + agency[len(
        county + names[(k - 1) % len(names)]):]
    b.expect["title"] = b.title
    return b


def manifest_entry(f: File) -> dict:
    e = {"path": f.path, "query": f.query, "file": disk_name(f.path, f.query),
         "content_type": f.content_type, "status": f.status}
    if f.headers:
        e["headers"] = f.headers
    if f.note:
        e["note"] = f.note
    if f.endpoint:  # answered from the request's parameters (endpoints.py), for this method only
        e["endpoint"], e["method"] = f.endpoint, f.method
    if f.wire:  # a page whose bytes or declarations are not its site's
        e["codec"], e["meta_charset"] = f.wire.codec, f.wire.meta
        if f.wire.bom:
            e["bom"] = True
    if HOST_TOKEN.encode("ascii") in f.data():
        e["host_token"] = HOST_TOKEN  # the server writes its host:port there
    return e


def resolve_files(site: Site) -> None:
    "{url:ID} in the extra files' headers and bodies, once the renderer has given articles their URLs."
    for f in site.extra_files:
        f.headers = [[k, resolve_refs(site, v)] for k, v in f.headers]
        if isinstance(f.body, str):
            f.body = resolve_refs(site, f.body)


def rewire(site: Site, files: list[File]) -> None:
    "Serve the pages of articles with a Wire (lying header, other codec, no meta, BOM) as it says."
    by_key = {(f.path, f.query): f for f in files}
    for a in site.articles:
        if a.wire:
            by_key[(a.url_path, a.url_query)].rewire(a.wire, site.charset)


def generate(out_dir: Path | str = HERE, scale: int = 1, sites: list[Site] | None = None,
             render: dict | None = None) -> dict:
    "``sites`` and ``render`` (cms → renderer): another portal of the same format (scriptsites.py)."
    out = Path(out_dir)
    render = {**RENDER, **(render or {})}
    for sub in ("sites", "expected"):  # only our own output dirs: stale files must not linger
        if (out / sub).is_dir():
            shutil.rmtree(out / sub)
    manifest: dict = {"version": 1, "scale": scale, "sites": [], "reports": [], "not_reports": [], "links": []}
    if sites is None:
        manifest["coverage_gaps"] = agencies.GAPS
    for site in build_sites(scale) if sites is None else sites:
        shapepages.prepare(site)
        files = shapepages.finish(site, render[site.cms](site))
        shapes.restyle(site, files)
        rewire(site, files)
        resolve_files(site)
        files += site.extra_files
        files.sort(key=lambda f: (f.path, f.query))
        seen: set[str] = set()
        for f in files:
            name = disk_name(f.path, f.query)
            assert name not in seen, f"two files map to {name}"
            seen.add(name)
            dest = out / "sites" / site.name / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(f.data())
        manifest["sites"].append({
            "name": site.name, "cms": site.cms, "title": site.title, "charset": site.charset,
            "encoding": site.expect_codec, "host_index": site.index, "host": site.host,
            "homepage": "/", "root": f"sites/{site.name}",
            "files": [manifest_entry(f) for f in files]})
        for a in site.articles:
            path = a.url_path + (f"?{a.url_query}" if a.url_query else "")
            if a.kind != "report":
                manifest["not_reports"].append({"site": site.name, "path": path, "kind": a.kind,
                                                "title": a.title, "why": a.why})
                continue
            text, n_pinyin = a.expected_text()
            exp = out / "expected" / f"{a.id}.txt"
            exp.parent.mkdir(parents=True, exist_ok=True)
            exp.write_bytes(text.encode("utf-8"))
            stats_file = out / "expected" / f"{a.id}.stats.json"
            stats_file.write_bytes((json.dumps(expected_stats.expected(a), ensure_ascii=False)
                                    .replace('], [', '],\n [') + "\n").encode("utf-8"))
            e = a.expect
            manifest["reports"].append({
                "id": a.id, "site": site.name, "path": path, "title": e.get("title", a.title),
                **{k: e.get(k) for k in ("index_no", "publisher", "published", "written",
                                         "doc_no", "category", "report_year")},
                "encoding": a.wire.expect if a.wire else site.expect_codec,
                "encoding_case": a.wire.case if a.wire else None, "meta_layout": a.layout,
                "meta_block": a.meta, "script": a.script, "seed": a.seed,
                "expected_text": f"expected/{a.id}.txt", "expected_stats": f"expected/{a.id}.stats.json",
                "pinyin_annotations": n_pinyin,
                "spam": a.spam_mode if a.spam else None,
                "spam_text": a.spam,
                "tables": sum(1 for kind, _ in a.blocks if kind == "table"),
                "family": a.shape["family"] if a.shape else None,
                "attachments": a.attachments, **pageshapes.manifest_fields(a, out),
                **({"text_source": "attachment"} if a.file_text else {})})
            agency = e.get("agency") or agencies.expected_key(a.id)
            if agency:   # the other demo portals (scriptsites.py) name none
                manifest["reports"][-1]["agency"] = agency
        manifest["not_reports"] += pageshapes.not_reports(site)
        ids = {a.id for a in site.articles}
        manifest["links"] += [{"site": site.name, "page": x.page, "href": resolve_refs(site, x.href),
                               "text": x.text, "kind": x.kind, "target": x.target,
                               "target_path": resolve_refs(site, "{url:%s}" % x.target) if x.target in ids
                               else x.target, "why": x.why}
                              for x in site.links]
    (out / "manifest.json").write_bytes(
        (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="generate the demo portal fixtures")
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--scale", type=int, default=1, help="reports per seed report (benchmark)")
    a = ap.parse_args(argv)
    m = generate(a.out, a.scale)
    files = sum(len(s["files"]) for s in m["sites"])
    print(f"{len(m['sites'])} sites, {files} files, {len(m['reports'])} reports -> {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
