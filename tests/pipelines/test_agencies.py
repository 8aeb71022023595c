"""Agency keys (pipelines.agencies): expected keys written by hand in tests/data/agencies/keys.json."""
from __future__ import annotations

import json

import pytest

from pipelines.agencies import agency_key, candidates
from tests.paths import DATA

CASES = json.loads((DATA / "agencies" / "keys.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["same"], ids=lambda c: c["key"])
def test_every_spelling_of_one_agency_has_its_key(case):
    assert {n: agency_key(n, case["region"]) for n in case["names"]} == {n: case["key"] for n in case["names"]}


@pytest.mark.parametrize("case", CASES["different"], ids=lambda c: c["region"])
def test_different_agencies_never_share_a_key(case):
    keys = {}
    for name in case["names"]:
        key = agency_key(name, case["region"])
        assert key not in keys, f"{name} and {keys.get(key)} share {key}"
        keys[key] = name


def test_one_body_on_different_portals_is_different_agencies():
    keys = [agency_key(name, region) for name, region in CASES["different_portals"]]
    assert len(set(keys)) == len(keys)


def test_the_same_groups_are_different_from_each_other():
    keys = {case["key"] for case in CASES["same"]}
    assert len(keys) == len(CASES["same"])


def test_unsure_merges_are_listed_not_made():
    region = CASES["different"][0]["region"]
    keys = [agency_key(n, region) for n in CASES["different"][0]["names"]]
    found = candidates(keys)
    for a, b in CASES["candidates"]:
        assert (a, b) in found or (b, a) in found
    # nothing is a candidate of itself, and a body of another place is never one
    assert all(a != b for a, b in found)
    assert not any("腾冲" in a or "腾冲" in b for a, b in found)


def test_no_publisher_no_key():
    assert agency_key(None, "三明市梅列区人民政府") is None
    assert agency_key("  ", "三明市梅列区人民政府") is None
