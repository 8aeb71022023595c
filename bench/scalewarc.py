"""A large archive's WARC files, written fast from the demo portal's report pages (bench.scale).

Every single-page report of the demo portal (crawler/demo/portal: Hanweb/Big5-HKSCS in Traditional,
TRS/GB18030 and plain/UTF-8 in Simplified, each CMS's own page layout) is a template. Report ``i`` is a
copy of template ``i % n`` with its own agency (a generated place and department, in the template's
script), its own year (every year in the page shifted alike, 2008…2024), a sentence of its own figures
inside the report's text, and, one report in 997, a rare term. The records are those a crawl writes
(pipelines.warc: a ``response`` and its ``request``, the XXGK-Role/-Context/-Link-Text fields), in files
of one run, so the rebuild (crawler.reprocess) reads them as it reads a crawl's.

    python -m bench.scalewarc OUT_DIR --reports N     # OUT_DIR/warc/xxgk-scale-00001.warc.gz, …
"""
from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from crawler.demo.portal import PORTAL_DIR
from pipelines.warc import Exchange, RollingWarcWriter, write_exchange

RUN_ID = "scale"
RARE = "量子纠缠"          # one report in RARE_EVERY
RARE_T = "量子糾纏"
RARE_EVERY = 997
PLACES = "东西南北中安平宁和兴华清新永长乐丰阳泰德昌武明通江山河湖海云林石城金玉龙凤"
KINDS = ["县", "市", "区", "旗"]
DEPARTMENTS = ["人民政府办公室", "教育局", "财政局", "民政局", "卫生健康委员会", "交通运输局", "生态环境局",
               "农业农村局", "自然资源局", "住房和城乡建设局", "市场监督管理局", "应急管理局", "统计局",
               "人力资源和社会保障局", "水利局", "审计局", "司法局", "文化和旅游局", "退役军人事务局", "医疗保障局"]
TOPICS = ["营商环境", "乡村振兴", "养老服务", "义务教育", "防汛抗旱", "食品安全", "政务服务", "基层治理",
          "就业创业", "生态保护", "安全生产", "医疗救助", "住房保障", "公共法律服务", "减税降费"]
YEAR = re.compile(r"(?<!\d)(20[0-2]\d)(?!\d)")


@dataclass
class Template:
    id: str
    html: str
    codec: str
    content_type: str
    script: str
    year: int
    publisher: str
    anchor: str | None     # a line of the report's text, verbatim in the page: the new sentence goes after it
    title: str
    column: str | None


def templates() -> list[Template]:
    manifest = json.loads((PORTAL_DIR / "manifest.json").read_text(encoding="utf-8"))
    sites = {s["name"]: s for s in manifest["sites"]}
    out = []
    for r in manifest["reports"]:
        if r["pages"] or r["attachments"] or r["error"] or r.get("text_source") != "html":
            continue
        site = sites[r["site"]]
        path, _, query = r["path"].partition("?")
        files = [f for f in site["files"] if f["path"] == path and f["query"] == query and f["status"] == 200]
        if not files:
            continue
        f = files[0]
        codec = f.get("codec") or site["encoding"]
        html = (PORTAL_DIR / "sites" / site["name"] / f["file"]).read_bytes().decode(codec, "replace")
        expected = (PORTAL_DIR / r["expected_text"]).read_text(encoding="utf-8").splitlines()
        anchor = next((line for line in expected if len(line) >= 12 and line in html and "<" not in line), None)
        out.append(Template(r["id"], html, codec, f["content_type"], r["script"], r["report_year"] or 2019,
                            r["publisher"] or "", anchor, r["title"], r.get("category")))
    return out


def _s2t():
    import opencc
    return opencc.OpenCC("s2t")


def agency(rng: random.Random) -> str:
    return rng.choice(PLACES) + rng.choice(PLACES) + rng.choice(KINDS) + rng.choice(DEPARTMENTS)


def page(t: Template, i: int, s2t) -> tuple[str, str, int]:
    """Report ``i`` from template ``t``: (html, agency, report year)."""
    rng = random.Random(i)
    year = 2008 + i % 17
    shift = year - t.year
    name = agency(rng)
    a, b = rng.randrange(10, 5000), rng.randrange(1, 900)
    sentence = (f"{name}{year}年共受理政府信息公开申请{a}件，办结{a - a // 17}件，"
                f"围绕{rng.choice(TOPICS)}和{rng.choice(TOPICS)}主动公开信息{b}条，编号{i}。")
    if i % RARE_EVERY == 0:
        sentence += f"本年度还公开了{RARE}相关科研项目信息。"
    html = YEAR.sub(lambda m: str(int(m.group(1)) + shift), t.html)
    if t.script == "hant":
        name, sentence = s2t.convert(name), s2t.convert(sentence)
    if t.publisher:
        html = html.replace(t.publisher, name)
    if t.anchor:
        anchor = YEAR.sub(lambda m: str(int(m.group(1)) + shift), t.anchor).replace(t.publisher or "\0", name)
        html = html.replace(anchor, anchor + sentence, 1)
    return html, name, year


def write(out: Path, reports: int, per_site: int = 250) -> dict:
    "OUT/warc/*.warc.gz with ``reports`` report captures; returns a summary (templates, bytes)."
    ts, s2t = templates(), _s2t()
    writer = RollingWarcWriter(out / "warc", RUN_ID)
    hant = 0
    try:
        for i in range(reports):
            t = ts[i % len(ts)]
            html, name, year = page(t, i, s2t)
            body = html.encode(t.codec, "xmlcharrefreplace")
            host = f"www.xxgk{i // per_site:05d}.gov.cn"
            url = f"http://{host}/art/{year + 1}/3/{1 + i % 28}/art_{1000 + i % 7}_{i}.html"
            headers = [("Content-Type", t.content_type), ("Content-Length", str(len(body))),
                       ("Last-Modified", f"Mon, 0{1 + i % 9} Mar {year + 1} 08:00:00 GMT"), ("ETag", f'"{i:x}-{len(body):x}"')]
            fields = {"XXGK-Role": "report", "XXGK-Link-Text": quote(f"{year}年{name}政府信息公开工作年度报告", safe="")}
            if t.column:
                fields["XXGK-Context"] = quote(t.column, safe="")
            write_exchange(writer, Exchange(url=url, status=200, headers=headers, body=body, ip="127.0.0.2",
                                            request_headers=[("Host", host), ("User-Agent", "xxgk-archive")],
                                            fields=fields))
            hant += t.script == "hant"
    finally:
        writer.close()
    return {"reports": reports, "templates": len(ts), "traditional": hant,
            "warc_bytes": sum(p.stat().st_size for p in (out / "warc").glob("*.warc.gz"))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.scalewarc", description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--reports", type=int, required=True)
    a = ap.parse_args(argv)
    print(json.dumps(write(a.out, a.reports)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
