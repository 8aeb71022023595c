"""`scrapy crawl` with the user's mistakes caught before the crawl: one line on stderr, exit code 2."""
from __future__ import annotations

import fcntl
import os
import sys
import tempfile
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.dbcheck import check_database
from crawler.portalfile import PortalError, resolve_portals
from crawler.settingscheck import check_settings
from crawler import cluster, stoprun
from pipelines.store import RESERVE
from crawler.extensions import feeds


def check_archive_dir(path: Path) -> str | None:
    "Why ARCHIVE_DIR cannot hold a run, or None."
    try:
        path.mkdir(parents=True, exist_ok=True)
        # an empty file fits on a full disk: write enough for the first pages and the databases
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-") as fh:
            fh.write(b"\0" * (1 << 20))
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        return f"ARCHIVE_DIR {path} is not writable: {exc.strerror or exc}"
    return None


RESERVE_BYTES = 1 << 20


def reserve_space(path: Path) -> str | None:
    """Keep RESERVE_BYTES of ARCHIVE_DIR in a file while the run goes: a run that fills the disk
    gives it back to record how it ended (pipelines.store.Store.finish_run). Why not, or None."""
    try:
        with open(path / RESERVE, "wb") as fh:
            fh.write(b"\0" * RESERVE_BYTES)   # written, not sparse: the blocks are really taken
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        return f"ARCHIVE_DIR {path} is not writable: {exc.strerror or exc}"
    return None


def lock_archive_dir(path: Path):
    """Hold ARCHIVE_DIR/.lock for this process's lifetime; None when another run holds it.

    flock, not a pid file: the kernel drops it when a run dies, even by kill -9."""
    fh = open(path / ".lock", "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        return None
    fh.seek(0)
    fh.truncate()
    fh.write(f"{os.getpid()}\n")
    fh.flush()
    return fh


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


class Command(ScrapyCrawl):
    # process_options runs before Scrapy configures logging and prints its banner: checking here
    # keeps a user's mistake to one line
    def process_options(self, args: list[str], opts) -> None:
        super().process_options(args, opts)
        if not args or args[0] != "portals":
            return
        problem = check_settings(self.settings)
        if problem:
            fail(problem)
        try:
            resolve_portals(opts.spargs.get("start_urls"), opts.spargs.get("portals"))
        except PortalError as exc:
            fail(str(exc))
        archive_dir = Path(self.settings.get("ARCHIVE_DIR"))
        problem = check_archive_dir(archive_dir)
        if problem:
            fail(problem)
        try:
            self.lock = lock_archive_dir(archive_dir)
        except OSError as exc:
            fail(f"ARCHIVE_DIR {archive_dir} is not writable: {exc.strerror or exc}")
        if self.lock is None:
            fail(f"another run is using ARCHIVE_DIR {archive_dir} (it holds .lock); not starting")
        # under the lock: a running crawl's files are never opened from here
        problem = reserve_space(archive_dir)
        if problem:
            fail(problem)
        for name in ("reports.db", "state.db"):
            problem = check_database(archive_dir / name)
            if problem:
                fail(problem)
        problem = cluster.check(self.settings)   # XXGK_FRONTIER: Redis must answer before we start
        if problem:
            fail(problem)

    def run(self, args: list[str], opts) -> None:
        try:
            super().run(args, opts)
        finally:
            if getattr(self, "lock", None) is not None:
                (Path(self.settings.get("ARCHIVE_DIR")) / RESERVE).unlink(missing_ok=True)
        if stoprun.failure:
            print(f"error: ARCHIVE_DIR {self.settings.get('ARCHIVE_DIR')} stopped taking writes "
                  f"({stoprun.failure}); the run stopped, what was stored is kept", file=sys.stderr)
            self.exitcode = 1
        if feeds.failure:
            print(f"error: feed export failed ({feeds.failure}); the archive is kept", file=sys.stderr)
            self.exitcode = 1
        if cluster.failure:
            print(f"error: the shared frontier {self.settings.get('XXGK_FRONTIER')} stopped answering "
                  f"({cluster.failure}); the run stopped, what was stored is kept", file=sys.stderr)
            self.exitcode = 1
