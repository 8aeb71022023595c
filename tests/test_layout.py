"""The code's layout: pipelines/ is the library under crawler/ (imports run one way), no Scrapy in the
stages, and no module grows past one job."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import ROOT

MAX_LINES = 300


def modules(package: str) -> list[Path]:
    # the demo portal's generator is a fixture (crawler/demo/portal), not the code
    return sorted(p for p in (ROOT / package).rglob("*.py") if "demo/portal" not in p.as_posix())


def imported(path: Path) -> set[str]:
    "Every module name an import statement names (absolute; relative ones resolved to the package)."
    tree = ast.parse(path.read_text("utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                names.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                names.add(node.module)
    return names


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("path", modules("pipelines"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_library_never_imports_the_crawler_the_tests_or_scrapy(path):
    upward = {n for n in imported(path) if top(n) in ("crawler", "tests", "scrapy", "twisted", "bench")}
    assert not upward, f"{path.relative_to(ROOT)} imports {sorted(upward)}"


@pytest.mark.parametrize("path", modules("crawler"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_crawler_never_imports_the_tests(path):
    assert not {n for n in imported(path) if top(n) in ("tests", "bench")}, path


@pytest.mark.parametrize("path", modules("crawler") + modules("pipelines"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_holds_more_than_one_job(path):
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)}: {lines} lines; split it by job"


def test_the_import_check_sees_an_upward_import(tmp_path):
    "The check itself: a module that imports the crawler, relatively or not, is caught."
    bad = ROOT / "pipelines" / "_layout_probe.py"
    bad.write_text("from crawler.spiders import portals\nfrom ..crawler import x\n")
    try:
        assert {"crawler.spiders", "crawler"} <= imported(bad)
    finally:
        bad.unlink()
