"""Issue 22: a run that fills the disk is recorded `storage_error`, counted from what it committed.

A real full disk, not RLIMIT_FSIZE (tests/e2e/test_faults.py): with RLIMIT_FSIZE one file stops growing
and the others go on, so the run's last write (its row in `runs`) still went through. On a full disk
every file stops at once, and that last write failed too: the next run found the row open and marked
it `killed`. The crawl runs in a mount namespace of its own (`unshare --user --map-root-user --mount`,
no privilege needed where user namespaces are allowed) on a 4 MiB tmpfs, over the fault portal's good
reports (one links a 3 MB attachment); the archive is copied out when it ends, and the next run, with
space back, completes it. Skipped where unshare or mounting a tmpfs is not allowed.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess

import pytest
from sqlite_utils import Database

from crawler.demo import crawl_command
from tests.conftest import ROOT, run_crawl
from tests.faults import cases
from tests.faults.server import FaultServer

SIZE = "4m"   # the 1 MiB reserve, the databases and a few reports, then the 3 MB attachment: full
SETTINGS = ("DOWNLOAD_TIMEOUT=2", "XXGK_MAX_LIST_PAGES=30", f"XXGK_PAGE_MAXSIZE={2 * 1024 * 1024}",
            "CONCURRENT_REQUESTS_PER_DOMAIN=1")
NOT_ALLOWED = 99


def crawl_on_a_small_disk(server: FaultServer, mount, out) -> subprocess.CompletedProcess:
    cmd = crawl_command(server.start_urls()[:1], mount / "archive", *[a for s in SETTINGS for a in ("-s", s)])
    script = (f"mount -t tmpfs -o size={SIZE} tmpfs {shlex.quote(str(mount))} || exit {NOT_ALLOWED}; "
              f"{shlex.join(cmd)}; rc=$?; cp -a {shlex.quote(str(mount))}/archive/. {shlex.quote(str(out))}/; exit $rc")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(shutil.which("unshare") is None, reason="no unshare(1)")
def test_a_run_that_fills_the_disk_is_recorded_storage_error_with_its_counts(tmp_path):
    mount, out = tmp_path / "mnt", tmp_path / "archive"
    mount.mkdir()
    out.mkdir()
    with FaultServer(cases="good") as server:
        done = crawl_on_a_small_disk(server, mount, out)
        if done.returncode == NOT_ALLOWED or "unshare:" in done.stderr[:500]:
            pytest.skip(f"no tmpfs in a user namespace here: {done.stderr[:300]}")
        assert done.returncode == 1, done.stderr[-3000:]
        assert done.stderr.strip().splitlines()[-1].startswith("error: ARCHIVE_DIR")
        db = Database(out / "reports.db")
        (run,) = [dict(r) for r in db.query("select * from runs")]
        assert run["finish_reason"] == "storage_error", run
        stored = db["reports"].count
        captured = db.execute("select count(*) from captures where run_id = ?", [run["run_id"]]).fetchone()[0]
        assert (run["new_reports"], run["reports_seen"], run["new_versions"], run["pages_fetched"]) == \
            (stored, stored, 0, captured)
        assert 0 < stored < len(cases.GOOD)     # the disk filled mid-run, not before it or after it
        assert not (out / ".reserve").exists()  # given back for the run's last write
        db.close()
        again = run_crawl(server.start_urls()[:1], out, *SETTINGS, timeout=120)   # space is back
    assert again.returncode == 0, again.stderr[-3000:]
    db = Database(out / "reports.db")
    assert db["reports"].count == len(cases.GOOD)
    reasons = [r["finish_reason"] for r in db.query("select finish_reason from runs order by started_at, rowid")]
    assert reasons == ["storage_error", "finished"]     # not re-marked 'killed' by the next run
    assert not (out / ".reserve").exists()              # dropped when a run ends
