"""Where a crawl starts: `-a start_urls=URL1,URL2` or a portal file (`-a portals=FILE`, TOML).

A mistake here is the user's, so it raises ``PortalError`` with one clear line, never a traceback.
Every URL and host is normalised once, here, to the form the spider's links take
(pipelines.discovery.canonicalize_url: IDN host as punycode, no default port, no trailing dot), so
a portal's scope is the hosts its links will have: ``http://政府.中国:80/`` is scoped to
``xn--mxtq1m.xn--fiqs8s``, and its links match.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.discovery import canonicalize_url

DEFAULT_PORTALS = Path(__file__).resolve().parent.parent / "portals.toml"
PORTAL_KEYS = {"name", "start_urls", "allowed_hosts", "verified", "notes"}
# a host name after IDNA: letters, digits, '-', '_' (seen on real portals) and dots; or an IPv6 literal
_HOST_RE = re.compile(r"^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])$")
DEFAULT_PORTS = {"http": 80, "https": 443}


class PortalError(ValueError):
    "A bad portal file or start URL."


@dataclass(frozen=True)
class Portal:
    name: str
    start_urls: tuple[str, ...]
    hosts: frozenset[str] = field(default_factory=frozenset)   # the start URLs' hosts plus allowed_hosts
    verified: bool = False


def _netloc(hostname: str | None, port: int | None, scheme: str, what: str) -> str:
    "host[:port] as canonical URLs write it, or PortalError naming what is wrong."
    host = (hostname or "").strip().lower().rstrip(".")
    if not host:
        raise PortalError(f"{what}: no host name")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise PortalError(f"{what}: not a valid host name") from None
    if ":" in host and not host.startswith("["):   # urlsplit gives an IPv6 literal without brackets
        host = f"[{host}]"
    if not _valid_host(host):
        raise PortalError(f"{what}: not a valid host name")
    if port is not None and port != DEFAULT_PORTS[scheme]:
        if not 0 < port < 65536:
            raise PortalError(f"{what}: port out of range (1-65535)")
        host = f"{host}:{port}"
    return host


def _valid_host(host: str) -> bool:
    return bool(_HOST_RE.match(host)) and all(len(label) <= 63 for label in host.split("."))


def _port(parts, what: str) -> int | None:
    try:
        port = parts.port
    except ValueError as exc:
        problem = "out of range (1-65535)" if "range" in str(exc) else "not a number"
        raise PortalError(f"{what}: port {problem}") from None
    if port == 0:
        raise PortalError(f"{what}: port out of range (1-65535)")
    return port


def check_url(url: str, where: str) -> str:
    """The canonical form of a start URL (what the spider requests, and its host what it scopes by),
    or PortalError."""
    url = url.strip()
    parts = urlsplit(url)
    what = f"{where}: {url!r}"
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.netloc:
        raise PortalError(f"{where}: not an http(s) URL: {url!r}")
    _netloc(parts.hostname, _port(parts, what), parts.scheme.lower(), what)
    canonical = canonicalize_url(url)
    host = urlsplit(canonical).netloc.rpartition("@")[2]
    host = host.rpartition(":")[0] if host.rpartition(":")[2].isdigit() else host
    # canonicalize_url hands garbage back as it came; a big5 mirror's host maps to its original
    if not canonical.startswith(("http://", "https://")) or not _valid_host(host):
        raise PortalError(f"{what}: not a valid URL")
    return canonical


def check_host(host: str, where: str) -> str:
    "An allowed_hosts entry ('host' or 'host:port') as canonical URLs write it."
    what = f"{where}: allowed host {host!r}"
    text = host.strip()
    if not text or "/" in text or "@" in text:
        raise PortalError(f"{what}: not a host name")
    parts = urlsplit("//" + text)
    port = _port(parts, what)
    # a host listed with a default port is that host (its links drop the port)
    return _netloc(parts.hostname, None if port in DEFAULT_PORTS.values() else port, "http", what)


def host_of(url: str) -> str:
    "The netloc of a canonical URL: what the spider's scope compares."
    return urlsplit(url).netloc.lower()


def portals_from_urls(value: str) -> list[Portal]:
    "`-a start_urls=URL1,URL2`: one portal per host, scoped to that host."
    urls = [check_url(u, "start_urls") for u in (part.strip() for part in value.split(",")) if u]
    if not urls:
        raise PortalError("start_urls is empty (give at least one http(s) URL, or leave it out to read a portal file)")
    by_host: dict[str, list[str]] = {}
    for url in urls:
        starts = by_host.setdefault(host_of(url), [])
        if url not in starts:
            starts.append(url)
    return [Portal(name=host, start_urls=tuple(starts), hosts=frozenset({host})) for host, starts in by_host.items()]


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
    portals: list[Portal] = []
    seen: dict[str, int] = {}
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
        name = name.strip()
        if name in seen:
            raise PortalError(f"{where}: name {name!r} is taken by portal #{seen[name]} (names must be unique)")
        seen[name] = i
        starts = entry.get("start_urls")
        if isinstance(starts, str):
            starts = [starts]
        if not isinstance(starts, list) or not starts or not all(isinstance(u, str) for u in starts):
            raise PortalError(f"{where} ({name}): start_urls must be a non-empty list of URLs")
        starts = tuple(check_url(u, f"{where} ({name})") for u in starts)
        extra = entry.get("allowed_hosts", [])
        if not isinstance(extra, list) or not all(isinstance(h, str) for h in extra):
            raise PortalError(f"{where} ({name}): allowed_hosts must be a list of host names")
        hosts = frozenset(host_of(u) for u in starts) | {check_host(h, f"{where} ({name})") for h in extra}
        verified = entry.get("verified", False)
        if not isinstance(verified, bool):
            raise PortalError(f"{where} ({name}): verified must be true or false, not {verified!r}")
        portals.append(Portal(name=name, start_urls=starts, hosts=hosts, verified=verified))
    return portals


def resolve_portals(start_urls: str | None = None, portals: str | None = None) -> list[Portal]:
    """The contract's precedence: start_urls replaces the portal file; neither → the default file.
    An argument given empty (`-a start_urls=`, a cron line with an unset variable) is an error, never
    the default file: that one lists real portals."""
    if start_urls is not None:
        return portals_from_urls(start_urls)
    if portals is not None and not portals.strip():
        raise PortalError("portals is empty (give a portal file, or leave it out to read portals.toml)")
    return load_portals(portals or DEFAULT_PORTALS)
