"""Who wrote a report: a publisher name (发布机构) reduced to one agency key.

The same body is written 乌拉特南旗住建局 and 乌拉特南旗住房和城乡建设局, in Simplified or Traditional,
with or without its county's name. A key is the body's place (the portal's region where the name names
none, or names the portal's own) and its full official name::

    agency_key("梅列区住建局", "三明市梅列区人民政府")          -> "三明/梅列/住房和城乡建设局"
    agency_key("三明市梅列區住房和城鄉建設局", "三明市梅列区")  -> "三明/梅列/住房和城乡建设局"

Only merges that are certain are made: a table of the official abbreviations, the optional 和 of
official names, 族自治 in a county's name, the level word (市/区/县/旗) after a place. A place the
portal's region does not name is kept in the key under the region's (a report of 腾冲 listed on another
portal splits from 腾冲's own: splitting is the safe side). Names that might be one body but are not
certainly one (卫生局 and 卫生健康委员会, 人民政府 and its 办公室) keep their keys and are listed by
``candidates``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from pipelines.script import to_simplified

# canonical full name -> abbreviations seen on real portals (official names with 和; the 和-less
# spelling of each is accepted too, see _lookup)
BODIES: dict[str, tuple[str, ...]] = {
    "人民政府": ("政府",),
    "人民政府办公室": ("政府办公室", "政府办", "府办", "政府办公厅"),
    "住房和城乡建设局": ("住建局", "住房城乡建设局", "住房与城乡建设局"),
    "住房和城乡建设委员会": ("住建委",),
    "人力资源和社会保障局": ("人社局", "人力社保局"),
    "发展和改革委员会": ("发改委", "发展改革委"),
    "发展和改革局": ("发改局",),
    "卫生健康委员会": ("卫健委", "卫生健康委"),
    "卫生健康局": ("卫健局",),
    "卫生和计划生育委员会": ("卫计委",),
    "卫生和计划生育局": ("卫计局",),
    "卫生局": (),
    "生态环境局": ("生态局",),
    "环境保护局": ("环保局",),
    "市场监督管理局": ("市场监管局",),
    "自然资源局": (),
    "自然资源和规划局": ("自然资源规划局", "自规局"),
    "国土资源局": ("国土局",),
    "农业农村局": (),
    "农牧局": (),
    "农业局": (),
    "退役军人事务局": ("退役军人局", "退役军人事务管理局"),
    "应急管理局": ("应急局",),
    "医疗保障局": ("医保局",),
    "交通运输局": ("交通局",),
    "教育局": (),
    "教育体育局": ("教体局",),
    "教育和科技局": ("教科局",),
    "财政局": (),
    "民政局": (),
    "司法局": (),
    "审计局": (),
    "统计局": (),
    "水利局": (),
    "水务局": (),
    "公安局": (),
    "商务局": (),
    "林业和草原局": ("林草局",),
    "林业局": (),
    "文化和旅游局": ("文旅局", "文化旅游局"),
    "文化体育和旅游局": ("文体旅游局", "文体旅局"),
    "文化旅游体育局": ("文旅体局",),
    "科学技术局": ("科技局",),
    "工业和信息化局": ("工信局",),
    "经济和信息化局": ("经信局",),
    "城市管理局": ("城管局",),
    "城市管理综合行政执法局": ("城管执法局",),
    "政务服务管理局": ("政务服务管理办公室",),
    "政务服务局": (),
    "政务服务和数据管理局": ("政数局", "政务服务数据管理局"),
    "行政审批服务局": ("审批服务局",),
    "行政审批局": ("审批局",),
    "行政审批和政务服务局": (),
    "民族宗教事务局": ("民宗局",),
    "民族事务委员会": ("民委",),
    "国有资产监督管理委员会": ("国资委",),
    "人民防空办公室": ("人防办",),
    "机构编制委员会办公室": ("编办", "编委办"),
    "网络安全和信息化委员会办公室": ("网信办",),
    "信访局": (),
    "乡村振兴局": (),
    "扶贫开发办公室": ("扶贫办",),
    "残疾人联合会": ("残联",),
    "妇女联合会": ("妇联",),
    "总工会": (),
    "税务局": (),
    "气象局": (),
    "粮食和物资储备局": ("粮储局",),
    "体育局": (),
    "融媒体中心": (),
}


def _no_he(name: str) -> str:
    # official names join two fields with 和 (住房和城乡建设局); portals drop it as often as not
    return name.replace("和", "").replace("与", "")


def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for full, shorts in BODIES.items():
        for spelling in (full, *shorts):
            for form in (spelling, _no_he(spelling)):
                other = table.setdefault(form, full)
                assert other == full, f"{form} names both {other} and {full}"
    return table


_BODY = _lookup()
_LONGEST = max(map(len, _BODY))

# a place's name and its level word; 自治X first (鄂温克族自治旗), then the plain levels. 乡/镇/街道
# are places too, but they end names of bodies (住房和城乡…) so they count only before a known body
_LEVELS = "特别行政区|自治区|自治州|自治县|自治旗|地区|新区|省|市|区|县|旗|盟|州|镇|乡|街道"
# a level word followed by another is part of the name: 广州市 is 广州 (市), 梅县区 is 梅县 (区)
_PLACE_RE = re.compile(rf"(.+?)({_LEVELS})(?![市区县旗盟省])")
_LEVEL_WORDS = set(_LEVELS.split("|"))
_REGION_TAIL = ("人民政府门户网站", "人民政府网站", "人民政府网", "政府门户网站", "门户网站", "政府信息公开网",
                "人民政府", "政府网", "政府")
_NOISE_RE = re.compile(r"[\s\u3000·•、，,。.:：;；\"'“”‘’《》<>]+")


def clean(name: str | None) -> str:
    "The name as compared: NFKC, Simplified, without spaces and punctuation, bracketed remarks dropped."
    if not name:
        return ""
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[（(][^（()）]*[)）]$", "", name.strip())  # 教育局（本级）
    return to_simplified(_NOISE_RE.sub("", name))


def places(prefix: str) -> list[tuple[str, str]]:
    """The places a name's prefix names, as (stem, level): 三明市梅列区 -> [(三明, 市), (梅列, 区)];
    鄂温克族自治旗 -> [(鄂温克, 旗)]; a bare 腾冲 -> [(腾冲, '')]; a bare level word 区 -> [('', 区)]."""
    out: list[tuple[str, str]] = []
    rest = prefix
    while rest:
        if rest in _LEVEL_WORDS:
            out.append(("", rest))
            break
        m = _PLACE_RE.match(rest)
        if not m:
            out.append((rest, ""))
            break
        stem, level = m.groups()
        if level.startswith("自治"):
            level = level[2:]
            stem = stem[:-1] if len(stem) > 2 and stem.endswith("族") else stem
        out.append((stem, "区" if level in ("地区", "新区") else level))
        rest = rest[m.end():]
    return out


def region_places(region: str | None) -> list[tuple[str, str]]:
    "The portal's places, from its site name (三明市梅列区人民政府) or a bare region name."
    name = clean(region)
    if name.startswith("中国") and len(name) > 2:   # 中国宜春, 中国·万载: a city's banner, not the country
        name = name[2:]
    for tail in _REGION_TAIL:
        if name.endswith(tail) and len(name) > len(tail):
            name = name[: -len(tail)]
            break
    else:
        prefix, body = split(name)   # an agency's own site (浙江省发展和改革委员会): its place
        if prefix and body != name:
            name = prefix
    found = places(name)
    # a site name that names no place (信息公开网) or is a host name is the region as it is
    if not name or any(not level for _, level in found):
        return [(name, "")] if name else []
    return found


def split(name: str) -> tuple[str, str]:
    "(place prefix, canonical body) of a cleaned name; the body is the longest known one it ends with."
    for size in range(min(len(name), _LONGEST), 0, -1):
        body = _BODY.get(name[-size:])
        if body:
            return name[:-size], body
    return "", name


def _place_key(found: list[tuple[str, str]], region: list[tuple[str, str]]) -> list[str]:
    stems = [s for s, _ in region]
    if not found:
        return stems
    if all(not s for s, _ in found):
        # 县人社局 on a county's portal: the level word stands for the portal's own place, when the
        # region has a place of that level; otherwise the word stays (市… on a county portal)
        level = found[-1][1]
        for i in range(len(region) - 1, -1, -1):
            if region[i][1] == level:
                return stems[: i + 1]
        return [*stems, level]
    named = [s for s, _ in found if s]
    if named[0] in stems:
        return stems[: stems.index(named[0])] + named
    return stems + named


@lru_cache(maxsize=4096)   # a crawl stores many reports of few agencies; OpenCC is most of the cost
def agency_key(publisher: str | None, region: str | None = None) -> str | None:
    """One key per agency: place stems and the canonical body name, '/'-joined. ``region``: the portal's
    site name (SiteName) or its host; names without a place are its agencies. None without a publisher."""
    name = clean(publisher)
    if not name:
        return None
    reg = region_places(region)
    prefix, body = split(name)
    if not prefix and name not in _BODY:
        # no body we know: only the portal's own place names are taken off the front
        for size in range(len(name) - 1, 0, -1):
            if region_places(name[:size]) and _is_region(name[:size], reg):
                prefix, body = name[:size], name[size:]
                break
    found = places(prefix) if prefix else []
    return "/".join([*_place_key(found, reg), body])


def _is_region(prefix: str, region: list[tuple[str, str]]) -> bool:
    found = places(prefix)
    stems = [s for s, _ in region]
    return bool(found) and all(level for _, level in found) and all(s in stems for s, _ in found if s)


def _core(body: str) -> str:
    for tail in ("委员会办公室", "办公室", "管理局", "委员会", "联合会", "中心", "局", "委", "办"):
        if body.endswith(tail) and len(body) > len(tail):
            return body[: -len(tail)]
    return body


def candidates(keys: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of keys that might be one agency but are not merged: same place, bodies whose names begin
    alike (卫生局 / 卫生健康委员会, 政务服务局 / 政务服务管理局, 人民政府 / 人民政府办公室)."""
    by_place: dict[str, list[str]] = {}
    for key in sorted(set(keys)):
        place, _, body = key.rpartition("/")
        by_place.setdefault(place, []).append(body)
    out = []
    for place, bodies in by_place.items():
        for i, a in enumerate(bodies):
            for b in bodies[i + 1:]:
                ca, cb = _core(a), _core(b)
                if ca[:2] == cb[:2] and len(ca) >= 2 and len(cb) >= 2:
                    out.append((f"{place}/{a}" if place else a, f"{place}/{b}" if place else b))
    return out
