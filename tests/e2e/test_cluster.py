"""Several machines on one frontier (crawler.cluster), end to end: a real Redis server on loopback, real
`scrapy crawl` worker processes, the demo portal served in this process.

The server knows each worker by its User-Agent, counts the requests each host has in flight, and
holds the n-th report page it is asked for, so a worker is killed with `kill -9` on a deterministic
event (that request in flight), never on a timer. Every answer takes a few milliseconds, so that
three workers would overlap on a host if nothing stopped them.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlite_utils import Database

from crawler.cluster.localredis import LocalRedis, binary, free_port
from crawler.demo import crawl_command
from crawler.demo.portal.server import HERE, Handler, bind_all, load_routes, route_key
from tests.conftest import ROOT, run_crawl

MANIFEST = json.loads((HERE / "manifest.json").read_text("utf-8"))
REPORTS = {(r["site"], route_key(*r["path"].partition("?")[::2])) for r in MANIFEST["reports"]}
PER_HOST = 2          # CONCURRENT_REQUESTS_PER_DOMAIN of the workers
LEASE_S = 3           # XXGK_LEASE_SECONDS: a killed worker's requests come back this soon
# DOWNLOAD_TIMEOUT: a killed worker frees its host slots when its downloads would have timed out (+5 s)
KILL_AT_REPORT = 6    # the report page request the server holds, and its worker is killed on
# provenance differs between any two crawls; everything else of a row must not
PROVENANCE = {"fetched_at", "run_id", "warc_file", "warc_offset", "first_seen"}

pytestmark = pytest.mark.skipif(binary() is None, reason="redis-server not installed (.ci/run installs it)")


class ClusterHandler(Handler):
    def serve(self, with_body: bool, form: str = "") -> None:
        portal, site = self.server.portal, self.server.name
        agent = self.headers.get("User-Agent", "")
        portal.begin(site)
        try:
            if portal.hold(site, self.path, agent):
                self.close_connection = True   # its worker was killed meanwhile
                return
            time.sleep(portal.latency)
            super().serve(with_body, form)
        finally:
            portal.end(site, self.path, agent)


class Portal:
    """The demo portal's routes; the log of (worker, site, path); the most requests in flight per host."""

    def __init__(self, latency: float = 0.02):
        self.latency = latency
        self.lock = threading.Lock()
        self.log: list[tuple[str, str, str]] = []
        self.inflight: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.reports_asked = 0
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.held_request: tuple[str, str, str] | None = None
        self.on_report = None   # called with the count of report page requests, in the handler thread

    def __enter__(self) -> Portal:
        self.servers = bind_all(load_routes(HERE), 0, None)
        self.port = self.servers[0].server_address[1]
        for server, (site, routes) in zip(self.servers, load_routes(HERE, self.port)):
            server.routes, server.portal, server.RequestHandlerClass = routes, self, ClusterHandler
            server.handle_error = lambda request, address: None   # resets from a killed worker
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.hosts = {site["name"]: site["host"] for site, _ in load_routes(HERE)}
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def start_urls(self) -> list[str]:
        return [f"http://{self.hosts[s['name']]}:{self.port}{s['homepage']}" for s in MANIFEST["sites"]]

    def url(self, site: str, path: str) -> str:
        return f"http://{self.hosts[site]}:{self.port}{path}"

    def begin(self, site: str) -> None:
        with self.lock:
            self.inflight[site] = self.inflight.get(site, 0) + 1
            self.peak[site] = max(self.peak.get(site, 0), self.inflight[site])

    def end(self, site: str, path: str, agent: str) -> None:
        with self.lock:
            self.inflight[site] -= 1
            self.log.append((agent.rsplit(" ", 1)[-1].rstrip(")"), site, path))

    def hold(self, site: str, path: str, agent: str) -> bool:
        "Whether this is the request to hold (and then drop): the n-th report page asked for."
        with self.lock:
            if (site, route_key(*urlsplit(path)[2:4])) not in REPORTS:
                return False
            self.reports_asked += 1
            if self.on_report is not None:
                self.on_report(self.reports_asked)
            if self.reports_asked != self.hold_at:
                return False
            self.held_request = (agent.rsplit(" ", 1)[-1].rstrip(")"), site, path)
        self.held.set()
        self.release.wait(timeout=120)
        return True

    def take_log(self) -> list[tuple[str, str, str]]:
        "The log so far, and a fresh start: log, peaks and the count of report pages asked for."
        with self.lock:
            log, self.log, self.peak, self.reports_asked = self.log, [], {}, 0
        return log


def worker(portal: Portal, redis: LocalRedis, archive: Path, name: str, log: Path, *settings: str) -> subprocess.Popen:
    extra = ["-s", f"XXGK_FRONTIER={redis.url}", "-s", f"XXGK_WORKER_ID={name}",
             "-s", f"USER_AGENT=xxgk-archive/0.1 (test worker {name})", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={PER_HOST}",
             "-s", f"XXGK_LEASE_SECONDS={LEASE_S}", "-s", "DOWNLOAD_TIMEOUT=4", "-s", "XXGK_EXTRACT_WORKERS=0"]
    for s in settings:
        extra += ["-s", s]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with open(log, "w") as fh:
        return subprocess.Popen(crawl_command(portal.start_urls(), archive, *extra), cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=fh)


def rows(archive: Path) -> dict[str, dict]:
    "The reports rows, each agency_id as its agency's key (the numbers are each archive's own)."
    db = Database(archive / "reports.db")
    keys = {a["agency_id"]: a["key"] for a in db["agencies"].rows}
    return {r["url"]: dict(r, agency_id=keys.get(r["agency_id"])) for r in db["reports"].rows}


def merge(out: Path, *shards: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "crawler.merge", str(out), *map(str, shards)], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


# three workers, one killed; a fourth after the end ----------------------------------------------

@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cluster")
    out = {"tmp": tmp}
    with LocalRedis(tmp / "redis") as redis, Portal() as portal:
        out["report_urls"] = {portal.url(s, p) for s, p in ((r["site"], r["path"]) for r in MANIFEST["reports"])}
        single = run_crawl(portal.start_urls(), tmp / "single", "XXGK_EXTRACT_WORKERS=0", timeout=180)
        assert single.returncode == 0, single.stderr[-3000:]
        portal.take_log()
        portal.hold_at = KILL_AT_REPORT
        procs = {f"w{i}": worker(portal, redis, tmp / f"w{i}", f"w{i}", tmp / f"w{i}.log") for i in (1, 2, 3)}
        assert portal.held.wait(timeout=120), "no worker asked for the report page to kill it at"
        victim = portal.held_request[0]
        procs[victim].kill()
        procs[victim].wait(timeout=30)
        portal.release.set()
        out["codes"] = {name: p.wait(timeout=240) for name, p in procs.items()}
        out["victim"], out["held"] = victim, portal.held_request
        out["peak"] = dict(portal.peak)
        out["log"] = portal.take_log()
        late = worker(portal, redis, tmp / "w4", "w4", tmp / "w4.log")
        out["late_code"] = late.wait(timeout=120)
        out["late_log"] = portal.take_log()
    out["logs"] = {n: (tmp / f"{n}.log").read_text() for n in ("w1", "w2", "w3", "w4")}
    merge(tmp / "merged", tmp / "w1", tmp / "w2", tmp / "w3")
    merge(tmp / "merged-with-late", tmp / "w1", tmp / "w2", tmp / "w3", tmp / "w4")
    out["single"], out["merged"] = rows(tmp / "single"), rows(tmp / "merged")
    out["db"] = Database(tmp / "merged" / "reports.db")
    return out


def test_the_workers_left_standing_finish_cleanly(cluster):
    survivors = {n: c for n, c in cluster["codes"].items() if n != cluster["victim"]}
    assert list(survivors.values()) == [0, 0], cluster["logs"]
    assert cluster["codes"][cluster["victim"]] == -9
    for name in survivors:
        assert "Traceback" not in cluster["logs"][name]
        assert "Spider closed (finished)" in cluster["logs"][name]


def test_each_report_once_none_lost(cluster):
    assert set(cluster["merged"]) == cluster["report_urls"]
    db = cluster["db"]
    assert db["versions"].count == len(cluster["report_urls"])
    assert {r["versions"] for r in cluster["merged"].values()} == {1}
    # the request the killed worker held came back to the queue, and another worker fetched it
    victim, site, path = cluster["held"]
    again = [w for w, s, p in cluster["log"] if (s, p) == (site, path) and w != victim]
    assert again, f"{path} was never fetched again after {victim} was killed"


def test_the_same_rows_as_one_process_crawling_alone(cluster):
    single, merged = cluster["single"], cluster["merged"]
    assert set(single) == set(merged)
    for url, row in single.items():
        differ = {c for c in row if c not in PROVENANCE and row[c] != merged[url][c]}
        assert not differ, f"{url}: {sorted(differ)}"


def test_per_host_concurrency_never_above_the_setting(cluster):
    assert cluster["peak"], "the server saw no request"
    assert max(cluster["peak"].values()) <= PER_HOST, cluster["peak"]
    # and the three workers did share the work
    assert len({w for w, _, _ in cluster["log"]}) >= 2


def test_a_worker_started_after_the_end_does_nothing(cluster):
    assert cluster["late_code"] == 0, cluster["logs"]["w4"]
    assert cluster["late_log"] == []
    assert "finished at" in cluster["logs"]["w4"] and "nothing to do" in cluster["logs"]["w4"]
    with_late = Database(cluster["tmp"] / "merged-with-late" / "reports.db")
    assert {u: r["sha256"] for u, r in rows(cluster["tmp"] / "merged-with-late").items()} == \
        {u: r["sha256"] for u, r in cluster["merged"].items()}
    assert with_late["runs"].count == 1 and with_late["run_workers"].count == 3


def test_one_run_with_each_workers_stats(cluster):
    db = cluster["db"]
    (run,) = db["runs"].rows
    workers = {w["worker"]: w for w in db["run_workers"].rows}
    assert set(workers) == {"w1", "w2", "w3"}
    n = len(MANIFEST["reports"])
    assert (run["finish_reason"], run["new_reports"], run["reports_seen"]) == ("finished", n, n)
    assert run["pages_fetched"] == sum(w["pages_fetched"] for w in workers.values())
    assert workers[cluster["victim"]]["finish_reason"] == "killed"
    assert {r["run_id"] for r in cluster["merged"].values()} == {run["run_id"]}
    survivors = [json.loads(w["stats"]) for n, w in workers.items() if n != cluster["victim"]]
    assert sum(s.get("xxgk/cluster/leases_expired", 0) for s in survivors) >= 1


def test_warc_files_name_the_worker_and_rebuild_the_same_archive(cluster, tmp_path):
    run_id = next(cluster["db"]["runs"].rows)["run_id"]
    for name in ("w1", "w2", "w3"):
        files = sorted(p.name for p in (cluster["tmp"] / name / "warc").glob("*.warc.gz"))
        assert files and all(f.startswith(f"xxgk-{run_id}~{name}-") for f in files), files
    from crawler.reprocess import rebuild

    rebuild(cluster["tmp"] / "merged", tmp_path / "rebuilt.db")
    rebuilt = Database(tmp_path / "rebuilt.db")
    assert {r["url"]: r["sha256"] for r in rebuilt["reports"].rows} == \
        {u: r["sha256"] for u, r in cluster["merged"].items()}
    assert {r["run_id"] for r in rebuilt["reports"].rows} == {run_id}


def test_merged_archive_is_searchable(cluster):
    db = cluster["db"]
    row = next(iter(cluster["merged"].values()))
    phrase = next(line for line in row["text"].splitlines() if len(line) > 12)[:8]
    hits = [r[0] for r in db.execute("select rowid from reports_fts where reports_fts match ?", [f'"{phrase}"'])]
    assert hits


# Redis restarts, with persistence --------------------------------------------------------------

def test_redis_lost_mid_run_stops_cleanly_and_a_restart_completes_the_run(tmp_path):
    directory = tmp_path / "redis"
    redis = LocalRedis(directory, persist=True).start()
    try:
        with Portal() as portal:
            portal.on_report = lambda n: redis.kill() if n == 4 else None   # a crash, mid-run
            first = worker(portal, redis, tmp_path / "w1", "w1", tmp_path / "first.log")
            code = first.wait(timeout=120)
            stderr = (tmp_path / "first.log").read_text()
            stored = rows(tmp_path / "w1")
            portal.take_log()
            portal.on_report = None
            redis = LocalRedis(directory, port=redis.port, persist=True).start()
            second = worker(portal, redis, tmp_path / "w1", "w1", tmp_path / "second.log")
            assert second.wait(timeout=120) == 0, (tmp_path / "second.log").read_text()[-3000:]
            report_urls = {portal.url(r["site"], r["path"]) for r in MANIFEST["reports"]}
            homepages = {s["homepage"] for s in MANIFEST["sites"]}
            log = portal.take_log()
    finally:
        redis.stop()
    assert code == 1
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "shared frontier" in errors[0] and "Traceback" not in stderr
    assert 0 < len(stored) < len(report_urls)
    merge(tmp_path / "merged", tmp_path / "w1")
    merged = rows(tmp_path / "merged")
    assert set(merged) == report_urls
    for url, row in stored.items():   # what the first process stored was kept, whole
        if row["text_source"] != "attachment" and merged[url]["text_source"] == "attachment":
            continue   # a pointer page whose file came with the second process: the file's text replaced it
        assert merged[url]["sha256"] == row["sha256"] and row["text"], \
            (url, row["text_source"], merged[url]["text_source"], row["pages"], merged[url]["pages"], row["error"])
    db = Database(tmp_path / "merged" / "reports.db")
    assert db["versions"].count == len(report_urls), list(db.query(
        "select url, run_id, first_seen, last_seen, substr(text, 1, 80) text from versions "
        "where url in (select url from versions group by url having count(*) > 1)"))
    workers = {w["worker"]: w["finish_reason"] for w in db["run_workers"].rows}
    assert workers == {"w1": "frontier_unavailable", "w1.2": "finished"}
    assert next(db["runs"].rows)["finish_reason"] == "finished"
    # the second process went on from the persisted frontier: the homepages were done before
    assert log and not [p for _, _, p in log if p in homepages]


def test_redis_unreachable_at_start_is_one_line_and_exit_2(tmp_path):
    port = free_port()
    for url, says in ((f"redis://127.0.0.1:{port}/0", "unreachable"), ("http://127.0.0.1/", "must be redis://")):
        done = run_crawl(["http://127.0.0.2:9/"], tmp_path / "archive", f"XXGK_FRONTIER={url}", timeout=60)
        assert done.returncode == 2
        assert done.stderr.strip().count("\n") == 0 and says in done.stderr, done.stderr


# the merge on its own ----------------------------------------------------------------------------

def test_merging_the_same_archives_again_adds_nothing(cluster, tmp_path):
    shards = [cluster["tmp"] / n for n in ("w1", "w2", "w3")]
    merge(tmp_path / "m", *shards)
    db = Database(tmp_path / "m" / "reports.db")
    tables = ("reports", "versions", "captures", "errors", "runs", "run_workers")
    before = {t: db[t].count for t in tables}
    run = next(db["runs"].rows)
    again = merge(tmp_path / "m", *reversed(shards))
    assert "0 new reports, 0 new versions, 0 captures, 0 errors, 0 WARC files" in again.stdout
    assert {t: db[t].count for t in tables} == before
    assert next(db["runs"].rows) == run


def test_merge_refuses_what_is_not_a_workers_archive(tmp_path):
    from pipelines.store import Store

    for name in ("a", "b"):
        (tmp_path / name / "warc").mkdir(parents=True)
        Store(tmp_path / name / "reports.db").close()
        (tmp_path / name / "warc" / "xxgk-R~w1-00001.warc.gz").write_bytes(name.encode() * 100)
    cases = [((tmp_path / "out", tmp_path / "nothing"), "holds no reports.db"),
             ((tmp_path / "out", tmp_path / "a", tmp_path / "b"), "two different WARC files")]
    for args, says in cases:
        done = subprocess.run([sys.executable, "-m", "crawler.merge", *map(str, args)], cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and says in done.stderr, done.stderr
