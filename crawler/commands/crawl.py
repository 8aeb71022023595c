"""`scrapy crawl` with the user's mistakes caught before the crawl: one line on stderr, exit code 2."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.portals import PortalError, resolve_portals


def check_archive_dir(path: Path) -> str | None:
    "Why ARCHIVE_DIR cannot hold a run, or None."
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as exc:
        return f"ARCHIVE_DIR {path} is not writable: {exc.strerror or exc}"
    return None


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts) -> None:
        if args and args[0] == "portals":
            try:
                resolve_portals(opts.spargs.get("start_urls"), opts.spargs.get("portals"))
            except PortalError as exc:
                print(f"error: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
            problem = check_archive_dir(Path(self.settings.get("ARCHIVE_DIR")))
            if problem:
                print(f"error: {problem}", file=sys.stderr)
                self.exitcode = 2
                return
        super().run(args, opts)
