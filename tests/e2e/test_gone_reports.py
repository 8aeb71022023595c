"""Gone, returned and edited reports, and every run's report (issue 19), over runs of the demo portal.

The portal is served in this process with test_archive_runs' switches (validators, edits between runs),
plus those below: a report taken off its list, a report answering 404, a list page answering 500. One
archive goes through five runs: the baseline; an edit, an unlisted and a 404'd report; the unlisted one
restored; a list page failing while another report is unlisted; that report still unlisted in a window
run and in a run whose lists were cut by XXGK_MAX_LIST_PAGES; every report of the plain site 404ing.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.conftest import ROOT
from tests.e2e.test_archive_runs import EDITED, REPORTS, SENTENCE, Portal, crawl, runs, split
from crawler.demo.portal.server import route_key

SITE = "plain-meilie"
UNLISTED, NOT_FOUND, UNLISTED_LATER = "plain-li", "plain-bom", "plain-ucap"
FAILING_LIST = "/list.jsp?catId=3&page=4"   # the list page that links UNLISTED_LATER
NOT_FOUND_PAGE = (404, [("Content-Type", "text/html; charset=utf-8")], b"<html><body><h1>404</h1></body></html>")


class SwitchedPortal(Portal):
    """Portal with a report's links removed from every page, a page answering an error, and both undone."""

    def __enter__(self) -> SwitchedPortal:
        super().__enter__()
        self.saved: dict[tuple[str, str], tuple] = {}
        return self

    def server(self, site: str):
        return next(s for s in self.servers if s.name == site)

    def _set(self, site: str, key: str, entry: tuple) -> None:
        routes = self.server(site).routes
        self.saved.setdefault((site, key), dict.__getitem__(routes, key))
        routes[key] = entry

    def unlist(self, report_id: str) -> None:
        "Every link to the report removed from the site's pages (the anchor and its text)."
        report = REPORTS[report_id]
        anchor = re.compile(rb'<a [^>]*href="' + re.escape(report["path"].encode()) + rb'"[^>]*>.*?</a>', re.S)
        routes = self.server(report["site"]).routes
        own = route_key(*split(report["path"]))
        for key in list(routes):
            status, headers, data = dict.__getitem__(routes, key)
            if key != own and isinstance(data, bytes) and anchor.search(data):
                self._set(report["site"], key, (status, headers, anchor.sub(b"", data)))

    def fail(self, site: str, path: str, entry: tuple) -> None:
        self._set(site, route_key(*split(path)), entry)

    def restore(self) -> None:
        for (site, key), entry in self.saved.items():
            self.server(site).routes[key] = entry
        self.saved.clear()


def run_ids(db: Database) -> list[str]:
    return [r["run_id"] for r in runs(db)]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    archive = tmp_path_factory.mktemp("gone") / "archive"
    out: dict = {"archive": archive, "reports": [], "stderr": []}
    with SwitchedPortal(validators=True) as portal:
        out["url"] = {rid: portal.url(r["site"], r["path"]) for rid, r in REPORTS.items()}
        out["portal"] = f"{portal.sites[SITE]['host']}:{portal.port}"   # a start URL's portal: its host
        for step in ("baseline", "changes", "restored", "list_fails", "window", "list_cut", "all_404"):
            if step == "changes":
                portal.edit(EDITED, *SENTENCE)
                portal.unlist(UNLISTED)
                portal.fail(SITE, REPORTS[NOT_FOUND]["path"], NOT_FOUND_PAGE)
            elif step == "restored":
                portal.restore()
                portal.fail(SITE, REPORTS[NOT_FOUND]["path"], NOT_FOUND_PAGE)   # still gone
            elif step == "list_fails":
                portal.unlist(UNLISTED_LATER)
                portal.fail(SITE, FAILING_LIST, (500, [("Content-Type", "text/html")], b"<h1>500</h1>"))
            elif step in ("window", "list_cut"):
                portal.restore()
                portal.fail(SITE, REPORTS[NOT_FOUND]["path"], NOT_FOUND_PAGE)
                portal.unlist(UNLISTED_LATER)   # unlisted, in runs that cannot tell
            elif step == "all_404":
                portal.restore()
                for r in REPORTS.values():
                    if r["site"] == SITE:
                        portal.fail(SITE, r["path"], NOT_FOUND_PAGE)
            done = crawl(portal, archive, *{"window": ["XXGK_MODE=window"],
                                            "list_cut": ["XXGK_MAX_LIST_PAGES=2"]}.get(step, []))
            out["stderr"].append(done.stderr)
            db = Database(archive / "reports.db")
            out["reports"].append({r["url"]: r for r in db["reports"].rows})
            db.close()
    out["db"] = Database(archive / "reports.db")
    out["runs"] = run_ids(out["db"])
    return out


def portal_verdict(history: dict, run_id: str) -> dict:
    return next(history["db"].query("select * from run_portals where run_id = ? and portal = ?",
                                    [run_id, history["portal"]]))


def test_first_run_marks_nothing_gone_and_walks_the_plain_site_completely(history):
    first = history["reports"][0]
    assert not [u for u, r in first.items() if r["gone_at"]]
    verdict = portal_verdict(history, history["runs"][0])
    assert verdict["walk"] == "complete" and verdict["gone"] == 0 and verdict["problem"] is None


def test_unlisted_and_404_reports_go_gone_with_the_run_that_missed_them(history):
    second, url = history["runs"][1], history["url"]
    after = history["reports"][1]
    assert (after[url[UNLISTED]]["gone_at"], after[url[UNLISTED]]["gone_reason"]) == (second, "unlisted")
    assert (after[url[NOT_FOUND]]["gone_at"], after[url[NOT_FOUND]]["gone_reason"]) == (second, "http_404")
    gone = {u for u, r in after.items() if r["gone_at"]}
    assert gone == {url[UNLISTED], url[NOT_FOUND]}
    assert portal_verdict(history, second)["gone"] == 2


def test_an_edit_is_a_new_version_with_the_characters_it_added(history):
    db, url = history["db"], history["url"][EDITED]
    old, new = (s.decode() for s in SENTENCE)
    versions = list(db.query("select * from versions where url = ? order by first_seen", [url]))
    assert len(versions) == 2
    assert versions[0]["chars_added"] is None and versions[0]["first_run"] == history["runs"][0]
    edit = versions[1]
    # the sentence gained 全面: what the fixture's two sentences differ by, nothing removed
    assert (edit["chars_added"], edit["chars_removed"]) == (len(new) - len(old), 0)
    assert edit["first_run"] == history["runs"][1]
    assert edit["stats_changed"] == 0 and edit["stats_sha256"] == versions[0]["stats_sha256"]


def test_a_restored_report_returns_and_a_still_missing_one_keeps_its_first_gone_run(history):
    second, third = history["runs"][1:3]
    url, after = history["url"], history["reports"][2]
    back = after[url[UNLISTED]]
    assert (back["gone_at"], back["gone_reason"], back["returned_at"]) == (None, None, third)
    assert (after[url[NOT_FOUND]]["gone_at"], after[url[NOT_FOUND]]["gone_reason"]) == (second, "http_404")
    events = [(r["run_id"], r["url"], r["event"]) for r in history["db"].query(
        "select * from report_events order by id")]
    assert events[:3] == [(second, url[NOT_FOUND], "gone"), (second, url[UNLISTED], "gone"),
                          (third, url[UNLISTED], "returned")]


def test_a_run_whose_list_page_failed_marks_nothing_unlisted(history):
    fourth, url = history["runs"][3], history["url"]
    after = history["reports"][3]
    assert after[url[UNLISTED_LATER]]["gone_at"] is None
    assert {u for u, r in after.items() if r["gone_at"]} == {url[NOT_FOUND]}
    verdict = portal_verdict(history, fourth)
    assert verdict["walk"].startswith("list:http_500") and verdict["gone"] == 0


@pytest.mark.parametrize("step, gap", [(4, "run:window"), (5, "list_page_limit")])
def test_a_window_run_or_a_cut_list_marks_nothing_unlisted(history, step, gap):
    run, url = history["runs"][step], history["url"]
    after = history["reports"][step]
    assert {u for u, r in after.items() if r["gone_at"]} == {url[NOT_FOUND]}
    verdict = portal_verdict(history, run)
    assert gap in verdict["walk"] and verdict["gone"] == 0


def test_a_portal_whose_every_report_404s_is_flagged_not_emptied(history):
    fifth = history["runs"][6]
    plain = {history["url"][rid] for rid, r in REPORTS.items() if r["site"] == SITE}
    after = history["reports"][6]
    assert {u for u, r in after.items() if r["gone_at"]} == {history["url"][NOT_FOUND]}
    verdict = portal_verdict(history, fifth)
    assert verdict["problem"] and verdict["gone"] == 0
    assert "none marked gone" in verdict["problem"]
    # the other portals of the run are not touched
    others = list(history["db"].query("select * from run_portals where run_id = ? and portal != ?",
                                      [fifth, history["portal"]]))
    assert others and all(v["problem"] is None and v["gone"] == 0 for v in others)
    assert plain <= set(after)


def test_nothing_is_lost(history):
    db = history["db"]
    first = history["reports"][0]
    assert set(history["reports"][-1]) == set(first)   # no reports row deleted
    # every capture of the gone report is still indexed, and its WARC file is there
    url = history["url"][NOT_FOUND]
    rows = list(db.query("select warc_file from captures where url = ? and status = 200", [url]))
    assert rows and all((history["archive"] / "warc" / r["warc_file"]).exists() for r in rows)


def test_runs_command_reports_each_run_against_the_previous(history):
    archive, (second, third) = history["archive"], history["runs"][1:3]
    out = runs_command(archive, second)
    assert out.returncode == 0, out.stderr
    assert f"Run {second}" in out.stdout
    assert "gone 2" in out.stdout and "changed 1" in out.stdout and "+2/-0" in out.stdout
    assert history["url"][UNLISTED] in out.stdout and "unlisted" in out.stdout
    out = runs_command(archive, third)
    assert "returned 1" in out.stdout
    last = runs_command(archive)
    assert "PORTAL PROBLEM" in last.stdout
    # the crawl's own summary says the same at the end of the run
    assert "gone 2" in history["stderr"][1] and "PORTAL PROBLEM" in history["stderr"][6]


def test_runs_command_without_an_archive_is_one_line_and_exit_2(tmp_path):
    out = runs_command(tmp_path / "nothing")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    out = runs_command(tmp_path, "no-such-run")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1


def runs_command(archive: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.runs", str(archive), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_the_reading_rooms_saved_queries_list_edited_and_gone_reports(history):
    import yaml

    from crawler.browse import METADATA

    queries = yaml.safe_load(Path(METADATA).read_text("utf-8"))["databases"]["reports"]["queries"]
    db, url = history["db"], history["url"]
    edited = list(db.query(queries["edited_reports"]["sql"]))
    old, new = (s.decode() for s in SENTENCE)
    assert [(r["url"], r["chars_added"], r["chars_removed"], r["figures_changed"]) for r in edited] == \
        [(url[EDITED], len(new) - len(old), 0, 0)]
    gone = list(db.query(queries["gone_reports"]["sql"]))
    assert [(r["url"], r["gone_reason"], r["gone_at"]) for r in gone] == [(url[NOT_FOUND], "http_404", history["runs"][1])]
