"""`scrapy crawl` with the user's mistakes caught before the crawl: one line on stderr, exit code 2."""
from __future__ import annotations

import fcntl
import os
import sys
import tempfile
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.spidermiddlewares.windowmode import MODES
from crawler.portalfile import PortalError, resolve_portals
from crawler import cluster, stoprun


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
        try:
            resolve_portals(opts.spargs.get("start_urls"), opts.spargs.get("portals"))
        except PortalError as exc:
            fail(str(exc))
        mode = self.settings.get("XXGK_MODE")
        if mode not in MODES:
            fail(f"XXGK_MODE must be one of {', '.join(MODES)}, not {mode!r}")
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
        problem = cluster.check(self.settings)   # XXGK_FRONTIER: Redis must answer before we start
        if problem:
            fail(problem)

    def run(self, args: list[str], opts) -> None:
        super().run(args, opts)
        if stoprun.failure:
            print(f"error: ARCHIVE_DIR {self.settings.get('ARCHIVE_DIR')} stopped taking writes "
                  f"({stoprun.failure}); the run stopped, what was stored is kept", file=sys.stderr)
            self.exitcode = 1
        if cluster.failure:
            print(f"error: the shared frontier {self.settings.get('XXGK_FRONTIER')} stopped answering "
                  f"({cluster.failure}); the run stopped, what was stored is kept", file=sys.stderr)
            self.exitcode = 1
