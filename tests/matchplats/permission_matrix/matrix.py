"""Reading the expectation tables of this directory and naming what a response means.

A table is Markdown: a header row naming the route (or command), the method and then one column
per role of ``world.ROLES``; rows whose first cell is in backticks are cases. A route containing
``*`` is a pattern rule (``fnmatch``), used for the admin's generated pages; the longest matching
pattern wins.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
LOGIN_PATHS = ("/konto/login/", "/admin/login/")


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    expected: dict[str, str]


def read_table(name: str) -> dict[tuple[str, str], Row]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("| ") and "| method |" in line)
    columns = [cell.strip() for cell in header.strip("|").split("|")]
    roles = columns[2:columns.index("why")] if "why" in columns else columns[2:]
    rows = {}
    for line in lines:
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        route, method = cells[0].strip("`"), cells[1]
        key = (route, method)
        assert key not in rows, f"{name}: {route} {method} appears twice"
        rows[key] = Row(route, method, dict(zip(roles, cells[2:2 + len(roles)], strict=True)))
    return rows


def row_for(rows: dict[tuple[str, str], Row], route: str, method: str, *, url: str | None = None) -> Row | None:
    """The exact row of ``route``, else the longest pattern row matching ``url``."""
    if (route, method) in rows:
        return rows[route, method]
    patterns = [row for (pattern, m), row in rows.items() if m == method and "*" in pattern
                and fnmatch.fnmatchcase(url or route, "/" + pattern)]
    return max(patterns, key=lambda row: len(row.route)) if patterns else None


def page_outcome(method: str, response) -> str:
    """What a page response means for the matrix: ``ok`` (a GET shows the page, 200; a POST is
    processed and answered with a page: 2xx, or the input refused with 400/409), ``redirect``
    (sent elsewhere, not to sign in: a POST that did its work, or a person sent to where they
    can), ``login`` (sent to sign in), or the status code itself (401, 403, 404, 405, and any
    5xx, which no row expects)."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        return "login" if response["Location"].split("?")[0].endswith(LOGIN_PATHS) else "redirect"
    if method == "GET":
        return "ok" if status == 200 else str(status)
    if 200 <= status < 300 or status in (400, 409):
        return "ok"
    return str(status)
