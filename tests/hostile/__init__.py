"""Hostile portal: the odd inputs of issue 22 that vanished without an error row (cases.py), served by
server.py. tests/e2e/test_hostile.py crawls it through the real `scrapy crawl` command."""


def __getattr__(name):
    # lazy, so `python -m tests.hostile.server` does not import server.py twice
    if name == "HostileServer":
        from .server import HostileServer
        return HostileServer
    raise AttributeError(name)


__all__ = ["HostileServer"]
