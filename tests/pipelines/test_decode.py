"""Decode stage: real bytes in real encodings (tests/data/decode, written by make_cases.py)."""
from __future__ import annotations

import importlib.util
import json
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import pipelines.decode as dec
import pipelines.decode.mojibake as moji
import pipelines.decode.plausible as prof
from tests.timing import best_of
from pipelines.decode import (COMMON, Decoded, decode, declared_encodings, find_mojibake, header_charset,
                              meta_charset, normalise_label, profile)
from tests import paths

DATA = paths.DATA / "decode"
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_decode_case(case):
    got = decode((DATA / case["file"]).read_bytes(), case["content_type"])
    assert isinstance(got, Decoded)
    assert (got.encoding, got.encoding_source) == (case["encoding"], case["encoding_source"]), case["note"]
    for snippet in case["snippets"]:
        assert snippet in got.text
    if case["decode_errors"] == "positive":
        assert got.decode_errors > 0
    else:
        assert got.decode_errors == case["decode_errors"]
    assert got.mojibake is case["mojibake"]


def test_fixtures_match_their_generator(tmp_path, monkeypatch):
    # the committed bytes must be exactly what the source strings produce
    spec = importlib.util.spec_from_file_location("make_cases", DATA / "make_cases.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    monkeypatch.setattr(gen, "HERE", tmp_path)
    gen.build()
    for case in CASES:
        assert (tmp_path / case["file"]).read_bytes() == (DATA / case["file"]).read_bytes(), case["file"]
    assert json.loads((tmp_path / "cases.json").read_text(encoding="utf-8")) == CASES


def test_encoding_declared_reports_both_as_seen():
    body = '<meta charset="GB2312"><p>公开</p>'.encode("gb18030")
    got = decode(body, "text/html; charset=UTF-8")
    assert got.encoding_declared == "header=UTF-8; meta=GB2312"
    assert decode(b"<p>x</p>").encoding_declared is None


@pytest.mark.parametrize("label, codec", [
    ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("GB_2312-80", "gb18030"),
    ("cp936", "gb18030"), ("gb18030", "gb18030"), ("big5", "big5hkscs"), ("Big5-HKSCS", "big5hkscs"),
    ("utf8", "utf-8"), ("UTF-8", "utf-8"), ("iso-8859-1", "cp1252"), ("latin-1", "cp1252"),
    ("us-ascii", "cp1252"), ("windows-1252", "cp1252"), ("shift_jis", "shift_jis"),
    ("nonsense", None), ("base64", None), ("rot13", None), ("undefined", None), ("utf-7", None), ("", None),
])
def test_normalise_label(label, codec):
    assert normalise_label(label) == codec


@pytest.mark.parametrize("content_type, label", [
    ("text/html; charset=gb2312", "gb2312"), ("text/html;charset=\"UTF-8\"", "UTF-8"),
    ("text/html; Charset = 'gbk'", "gbk"), ("text/html", None), (None, None), ("", None),
])
def test_header_charset(content_type, label):
    assert header_charset(content_type) == label


@pytest.mark.parametrize("head, label", [
    (b'<meta charset="gbk">', "gbk"),
    (b"<META CHARSET=gb2312>", "gb2312"),
    (b'<meta content="text/html; charset=gb2312" http-equiv="Content-Type">', "gb2312"),
    (b'<meta httpequiv="ContentType" content="text/html; charset=gbk" />', "gbk"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset==gbk">', "gbk"),
    (b'<?xml version="1.0" encoding="GB2312"?><html>', "GB2312"),
    (b'<meta name="description" content="charset=gbk">', None),  # not a declaration
    (b"<!-- <meta charset=utf-8> --><meta charset=big5>", "big5"),
    (b"<head></head><body><meta charset=gbk>", None),  # outside <head>
    (b"<html>" + b" " * 20_000 + b"<meta charset=gbk>", None),  # beyond the scan window
])
def test_meta_charset(head, label):
    assert meta_charset(head) == label


def test_declared_encodings_keeps_unknown_labels_as_seen():
    decls = declared_encodings(b"<meta charset=klingon>", "text/html; charset=gb2312")
    assert [(d.source, d.label, d.codec) for d in decls] == [("header", "gb2312", "gb18030"),
                                                              ("meta", "klingon", None)]


SEED002_LINE = "2.加快政务移动端建设?!罢粕衔寄稀盇PP已上线运行,并已接入陜西省政务服务APP"
REPORT = "2020年度政府信息公开工作年度报告。本机关全年主动公开政府信息214条，“掌上渭南”APP已上线运行。"


@pytest.mark.parametrize("text", [
    SEED002_LINE,                                               # GBK read one byte late (seed 002)
    REPORT.encode("utf-8").decode("gbk", "replace"),            # UTF-8 read as GBK: 銆傗, 鍗
    REPORT.encode("gb18030").decode("latin-1"),                 # GBK read as Latin-1
    REPORT.encode("utf-8").decode("latin-1"),                   # UTF-8 read as Latin-1: æ”¿
    REPORT.encode("utf-8").decode("latin-1").encode("utf-8").decode("latin-1"),  # twice: Ã¦Â
    "首页锟斤拷锟斤拷政务公开",
    "政府信息\ufffd\ufffd公开",
])
def test_find_mojibake_positive(text):
    assert find_mojibake(text)


@pytest.mark.parametrize("name", ["seed000_hans.txt", "seed004_hant.txt"])
def test_find_mojibake_negative_on_seed_text(name):
    text = (paths.DATA / "script" / name).read_text(encoding="utf-8")
    assert find_mojibake(text) == []


@pytest.mark.parametrize("text", [REPORT, "Straße, Größe – “Zitat” über Öffentlichkeit", "朱镕基、张喆、王堃",
                                  "是否公开?是。网站(APP)", "额濟納旗 Produced By 大汉网络"])
def test_find_mojibake_negative(text):
    assert find_mojibake(text) == []


def test_seed002_mojibake_survives_decoding_and_is_flagged():
    page = f"<html><head><meta charset=utf-8></head><body><p>{SEED002_LINE}</p></body></html>".encode("utf-8")
    got = decode(page, "text/html")
    assert (got.encoding, got.mojibake) == ("utf-8", True)
    assert "罢粕衔寄稀" in got.text  # flagged, never "repaired"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=3000),
       content_type=st.one_of(st.none(), st.text(max_size=60),
                              st.sampled_from(["text/html; charset=utf-8", "text/html; charset=gb2312",
                                               "text/html; charset=iso-8859-1", "text/html; charset=big5",
                                               "text/html; charset=utf-16", "text/html; charset=rot13",
                                               "text/html; charset=utf-7", "text/html; charset=\x00"])),
       prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"<meta charset=gbk>", b"<meta charset=utf-16>",
                               b'<?xml version="1.0" encoding="base64"?>', b"<meta charset=big5>"]))
def test_decode_never_raises(body, content_type, prefix):
    got = decode(prefix + body, content_type)
    assert isinstance(got.text, str)
    assert got.decode_errors >= 0
    assert got.encoding_source in {"bom", "header", "meta", "sniffed"}


# GB2312 characters only, so every header/meta combination below is "GBK bytes, possibly mislabelled"
_COMMON_HAN = sorted(c for c in COMMON if "\u4e00" <= c <= "\u9fff" and len(c.encode("gb2312", "ignore")) == 2)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(_COMMON_HAN), min_size=20, max_size=200),
       header=st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1",
                               "text/html; charset=gb2312"]),
       meta=st.sampled_from(["", "<meta charset=gb2312>", "<meta charset=utf-8>"]))
def test_gbk_body_recovered_whatever_is_declared(text, header, meta):
    body = f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>".encode("gb18030")
    got = decode(body, header)
    assert text in got.text
    assert (got.encoding, got.decode_errors, got.mojibake) == ("gb18030", 0, False)


def test_large_body_is_fast():
    # ~2 MB of GBK: one strict decode and a bounded scan, not repeated passes
    body = "<html><head><meta charset=gb2312></head><body>\n".encode("gb18030") + \
        ("<p>" + "政府信息公开工作年度报告" * 20 + "</p>\n").encode("gb18030") * 4000
    got = decode(body, "text/html; charset=gb2312")
    assert got.encoding == "gb18030" and not got.mojibake
    # against one plain decode of the same bytes in this run (~12x here): repeated passes would be far more
    assert best_of(lambda: decode(body, "text/html; charset=gb2312")) < \
        100 * best_of(lambda: body.decode("gb18030"))


_BIG5_HAN = sorted(c for c in COMMON if "\u4e00" <= c <= "\u9fff" and len(c.encode("big5", "ignore")) == 2
                   and not c.encode("gb2312", "ignore"))  # Traditional-only forms: 這 們 國 …


# windows of a real Traditional report: random characters can be degenerate ('丟丟丟偉偉偉…' is
# also valid GBK, and no decoder can tell which was meant), real prose is not
_BIG5_PROSE = "".join(c for c in (paths.DATA / "script" / "seed004_hant.txt").read_text("utf-8")
                      if "\u4e00" <= c <= "\u9fff" and len(c.encode("big5", "ignore")) == 2)


@settings(max_examples=100, deadline=None)
@given(text=st.integers(0, len(_BIG5_PROSE) - 200).flatmap(
           lambda i: st.integers(20, 200).map(lambda n: _BIG5_PROSE[i:i + n])),
       header=st.sampled_from([None, "text/html", "text/html; charset=big5", "text/html; charset=iso-8859-1"]),
       meta=st.sampled_from(["", "<meta charset=gb2312>", "<meta charset=big5>"]))
def test_big5_body_recovered_whatever_is_declared(text, header, meta):
    body = f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>".encode("big5hkscs")
    got = decode(body, header)
    assert text in got.text
    assert (got.encoding, got.decode_errors) == ("big5hkscs", 0)


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(_COMMON_HAN + _BIG5_HAN), min_size=2, max_size=200),
       header=st.sampled_from([None, "text/html; charset=gbk", "text/html; charset=big5",
                               "text/html; charset=iso-8859-1"]),
       meta=st.sampled_from(["", "<meta charset=gb2312>", "<meta charset=utf-8>"]))
def test_utf8_body_recovered_whatever_is_declared(text, header, meta):
    assume(not any(sig in text for sig in ("锟斤拷", "烫烫烫烫", "屯屯屯屯")))  # literal mojibake signatures
    body = f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>".encode("utf-8")
    got = decode(body, header)
    assert text in got.text
    assert (got.encoding, got.decode_errors, got.mojibake) == ("utf-8", 0, False)


# --- the fast formulations read the same as the plain ones -----------------------------------------------

def test_neutral_class_is_its_backslash_s_spelling():
    # _NEUTRAL_RE spells \s out over the BMP: no whitespace may lie beyond it
    everything = "".join(map(chr, range(0x110000)))
    plain = re.compile(r"[\x00-\x7f\u00a0-\u00ff\u2000-\u206f\s]+")
    assert prof._NEUTRAL_RE.sub("", everything) == plain.sub("", everything)


# the characters the signatures are made of, and the ASCII around them ('?' is a lost byte)
_SIGNATURE_ALPHABET = st.one_of(
    st.sampled_from(list("?? a<>\"=/\n\x00\x7f\ufffd\u3000·…€ÃÂ¤¸\u00adÄÚÈÝé\x81锟斤拷烫屯")),
    st.sampled_from(sorted(moji._UTF8_AS_GBK_LEADS)), st.sampled_from(moji._gbk_ascii_trail_chars()),
    st.sampled_from(sorted(COMMON)), st.characters(min_codepoint=0x80, max_codepoint=0x2fff))
_MOJIBAKE_SAMPLES = [
    SEED002_LINE, SEED002_LINE[:SEED002_LINE.index("盇") + 2],  # realigned by ASCII mid-text, and at its end
    "<a href=app.jsp?" + "掌上渭南已上线运行".encode("gbk")[1:-1].decode("gbk") + "</a>",  # shifted after a '?'
    REPORT.encode("utf-8").decode("gbk", "replace"),
    REPORT.encode("gb18030").decode("latin-1"), REPORT.encode("utf-8").decode("latin-1")]


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.one_of(st.text(_SIGNATURE_ALPHABET, max_size=12), st.sampled_from(_MOJIBAKE_SAMPLES)),
                      max_size=8))
def test_skeleton_keeps_every_signature(parts):
    # find_mojibake scans the text with its ASCII runs shrunk: the detectors must find what they find in full
    text = "".join(parts)
    assert find_mojibake(text) == moji._mojibake_in(text)
    assert dec._plausible_and_clean(text) == (
        profile(text).common_share >= dec.FAST_PATH_COMMON and not moji._mojibake_in(text))


def test_profile_of_a_long_page_reads_its_head_only():
    head = "<p>" + "政府信息公开" * 1000 + "</p>"
    tail = "<p>" + "".join(map(chr, range(0x3400, 0x3500))) * 16 + "</p>"  # rare (Ext. A), yet no mojibake
    text = head + "x" * (dec.PROFILE_SCAN - len(head)) + tail
    assert profile(text) == profile(head) and profile(head + tail).common_share < dec.FAST_PATH_COMMON
    assert find_mojibake(text) == [] and dec._plausible_and_clean(text)
