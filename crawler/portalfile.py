"""Where a crawl starts: `-a start_urls=URL1,URL2` or a portal file (`-a portals=FILE`, TOML).

A mistake here is the user's, so it raises ``PortalError`` with one clear line, never a traceback.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_PORTALS = Path(__file__).resolve().parent.parent / "portals.toml"
PORTAL_KEYS = {"name", "start_urls", "allowed_hosts", "verified", "notes"}


class PortalError(ValueError):
    "A bad portal file or start URL."


@dataclass(frozen=True)
class Portal:
    name: str
    start_urls: tuple[str, ...]
    hosts: frozenset[str] = field(default_factory=frozenset)   # the start URLs' hosts plus allowed_hosts
    verified: bool = False


def check_url(url: str, where: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PortalError(f"{where}: not an http(s) URL: {url!r}")
    return url


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def portals_from_urls(value: str) -> list[Portal]:
    "`-a start_urls=URL1,URL2`: one portal per URL, scoped to its own host."
    urls = [u for u in (part.strip() for part in value.split(",")) if u]
    if not urls:
        raise PortalError("start_urls is empty")
    return [Portal(name=host_of(u), start_urls=(check_url(u, "start_urls"),), hosts=frozenset({host_of(u)}))
            for u in urls]


def load_portals(path: str | Path) -> list[Portal]:
    """Read a portal file::

        [[portal]]
        name = "额济纳旗人民政府"
        start_urls = ["http://www.ejnq.gov.cn/"]
        allowed_hosts = ["xxgk.ejnq.gov.cn"]   # optional: extra hosts the portal links to
        verified = false                        # set true once a real run confirmed it
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PortalError(f"portal file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PortalError(f"cannot read portal file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PortalError(f"{path}: malformed TOML: {exc}") from None
    entries = data.get("portal")
    unknown = set(data) - {"portal"}
    if unknown:
        raise PortalError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))} (expected [[portal]] tables)")
    if not isinstance(entries, list) or not entries:
        raise PortalError(f"{path}: no [[portal]] entries")
    portals = []
    for i, entry in enumerate(entries, 1):
        where = f"{path}: portal #{i}"
        if not isinstance(entry, dict):
            raise PortalError(f"{where}: not a table")
        unknown = set(entry) - PORTAL_KEYS
        if unknown:
            raise PortalError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise PortalError(f"{where}: missing name")
        starts = entry.get("start_urls")
        if isinstance(starts, str):
            starts = [starts]
        if not isinstance(starts, list) or not starts or not all(isinstance(u, str) for u in starts):
            raise PortalError(f"{where} ({name}): start_urls must be a non-empty list of URLs")
        starts = tuple(check_url(u, f"{where} ({name})") for u in starts)
        extra = entry.get("allowed_hosts", [])
        if not isinstance(extra, list) or not all(isinstance(h, str) for h in extra):
            raise PortalError(f"{where} ({name}): allowed_hosts must be a list of host names")
        hosts = frozenset(host_of(u) for u in starts) | {h.strip().lower() for h in extra if h.strip()}
        portals.append(Portal(name=name.strip(), start_urls=starts, hosts=hosts,
                              verified=bool(entry.get("verified", False))))
    return portals


def resolve_portals(start_urls: str | None = None, portals: str | None = None) -> list[Portal]:
    "The contract's precedence: start_urls replaces the portal file; neither → the default file."
    if start_urls:
        return portals_from_urls(start_urls)
    return load_portals(portals or DEFAULT_PORTALS)
