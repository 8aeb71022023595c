"""Fault portal: a loopback site with every failure issue 8 lists (cases.py), served by server.py.

tests/e2e/test_faults.py crawls it end to end through the real `scrapy crawl` command.
"""


def __getattr__(name):
    # lazy, so `python -m tests.faults.server` does not import server.py twice
    if name == "FaultServer":
        from .server import FaultServer
        return FaultServer
    raise AttributeError(name)


__all__ = ["FaultServer"]
