"""Issue 22: a fresh install loses no text on the cleaner's fallback path.

A page with no known CMS container goes to trafilatura (pipelines/clean/locate.py), whose fallback runs
justext, which imports ``lxml.html.clean``: since lxml 6 that module is the separate project
``lxml_html_clean``, pulled in only through an extra of lxml (``lxml[html_clean]``, asked for by justext).
On a machine where that extra brought nothing, ``import trafilatura`` failed and every such page was
stored with empty text. CI builds its venv fresh from pyproject.toml, so these tests are the fresh
install's: the first drives the fallback path and wants the text; the second wants every distribution
that path imports declared by us, or required by what we declare without anyone's extras.
"""
from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import tomllib

from packaging.markers import default_environment
from packaging.requirements import Requirement

from pipelines.clean import clean_html
from pipelines.quality import bigram_f1
from tests.paths import ROOT

# the demo portal's expected text of a report (the source text), its first paragraphs on a page with
# no known container: short, so that trafilatura's own extraction is short and justext is consulted
EXPECTED = ROOT / "crawler" / "demo" / "portal" / "expected" / "plain-001.txt"
TITLE = "三明市梅列区2020年政府信息公开工作年度报告"
PARAGRAPHS = [line for line in EXPECTED.read_text("utf-8").splitlines() if line.strip()][:3]
PAGE = (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</body></html>")


class JustextConsulted(logging.Handler):
    "trafilatura logs (DEBUG) when its extraction is short or unclean enough to ask justext."

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen |= "triggering justext" in record.getMessage()


def test_the_fallback_path_keeps_the_text():
    watch = JustextConsulted()
    logger = logging.getLogger("trafilatura")
    level = logger.level
    logger.addHandler(watch)
    logger.setLevel(logging.DEBUG)
    try:
        cleaned = clean_html(PAGE, title=TITLE)
    finally:
        logger.removeHandler(watch)
        logger.setLevel(level)
    assert cleaned.container == "trafilatura", cleaned.removed
    assert watch.seen, "the page no longer reaches justext: build one that does"
    assert not [r for r in cleaned.removed if r["kind"] == "error"], cleaned.removed
    assert bigram_f1(cleaned.text, "\n".join(PARAGRAPHS), title=TITLE) >= 0.9, cleaned.text


# what the fallback imports, in a process of its own (the test runner's modules would blur it)
DRIVE = f"""
import json, sys
before = set(sys.modules)   # what the interpreter's start-up imported (site, .pth hooks)
from pipelines.clean import clean_html
cleaned = clean_html({PAGE!r}, title={TITLE!r})
assert cleaned.container == "trafilatura", cleaned.removed
print(json.dumps(sorted({{name.split(".")[0] for name in set(sys.modules) - before}})))
"""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def unconditional_closure(requirements: list[str]) -> set[str]:
    """The distributions these requirements bring in whatever extras anyone asks for: a requirement's
    own extras are not followed (``lxml[html_clean]`` counts as ``lxml``), nor are requirements that
    hold only under an extra. An extra is a promise its package may drop, as lxml 6 did."""
    from importlib.metadata import PackageNotFoundError, requires

    env = dict(default_environment(), extra="")
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        name = canonical(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            todo += [Requirement(r) for r in requires(req.name) or []]
        except PackageNotFoundError:
            pass
    return seen


def test_every_distribution_the_fallback_imports_is_declared():
    from importlib.metadata import packages_distributions

    done = subprocess.run([sys.executable, "-c", DRIVE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    imported = set(json.loads(done.stdout.strip().splitlines()[-1])) - set(sys.stdlib_module_names) \
        - {"pipelines", "crawler"}
    owners = packages_distributions()
    used = {canonical(dist) for name in imported for dist in owners.get(name, [])}
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    missing = used - unconditional_closure(declared)
    assert not missing, f"imported on the fallback path, not declared in pyproject.toml: {sorted(missing)}"
