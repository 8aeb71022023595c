"""What a list's script asks for: ``ListQuery`` (where, how, which page or window) and the requests it
makes (``Endpoint``), plus the readers of config values the recognizers share (issue 17)."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.discovery.jsobject import Expr


@dataclass(frozen=True)
class Endpoint:
    """One request a list's script would make: method, URL and body exactly as it would send them."""

    url: str                  # absolute; the query the script puts there included
    method: str = "POST"
    body: str = ""            # application/x-www-form-urlencoded (UTF-8, as jQuery sends it) or JSON
    content_type: str | None = "application/x-www-form-urlencoded; charset=UTF-8"
    kind: str = "list-api"    # 'hanweb-group' or 'list-api'
    probe: bool = False       # the total is not known yet: its answer plans the rest

    @property
    def key(self) -> str:
        "What makes two requests the same (the URL alone does not: every POST goes to one URL)."
        return f"{self.method} {self.url}\n{self.body}"


@dataclass(frozen=True)
class ListQuery:
    """How a script asks for the entries of one list: where, how, and which window or page."""

    kind: str                                 # 'hanweb-group' or 'list-api'
    url: str                                  # absolute endpoint, without the paging parameters
    method: str = "POST"
    params: tuple[tuple[str, str], ...] = ()  # the fixed parameters, in the script's order
    size: int = 15                            # entries per request (a Hanweb group: perPage × groupSize)
    per_page: int = 15                        # Hanweb: records per page (the perpage parameter)
    total: int | None = None                  # declared number of entries, if printed
    skip: int = 0                             # entries the page itself holds (Hanweb's first group)
    page_param: str = "page"
    size_param: str | None = None
    json_body: bool = False
    why: str = field(default="", compare=False)



def _scalar(value) -> str | None:
    if value is None or isinstance(value, (dict, Expr)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _ci(obj: dict, *names: str):
    "obj's value for the first of ``names`` it has, keys compared case-insensitively."
    lowered = {str(k).lower(): v for k, v in obj.items()}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def _int(value) -> int | None:
    s = _scalar(value)
    return int(s) if s is not None and s.strip().isdigit() else None
