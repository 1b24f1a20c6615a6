"""The permission matrix of the REST API: every operation of the OpenAPI schema tried by every role
of ``world.ROLES`` against ``api.md``, and every method the schema does not list tried on every path
(405 for everyone). Writes carry the schema's example body, so a refusal is the rule's."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator

from tests.matchplats.permission_matrix.matrix import read_table
from tests.matchplats.permission_matrix.test_pages import NOT_DATA, clients
from tests.matchplats.permission_matrix.world import ROLES, World, build_world
from tests.rows import row_counts
from tests.tally import TALLY

pytestmark = pytest.mark.django_db

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
REFUSED = {"401", "403", "404", "405"}


def unlisted(role: str, path: str, found) -> str:
    """A method the schema does not list: 405 — but on a path that takes writes, a caller without
    credentials is told 401 first (DRF checks permissions before it looks for the method)."""
    writes = any(method != "GET" for p, method in found if p == path)
    return "401" if writes and role in ("anon", "guest") else "405"


def operations() -> dict[tuple[str, str], dict | None]:
    """(path, method) of every operation in the schema, with its example request body."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = {}
    for path, items in schema["paths"].items():
        for method, operation in items.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            examples = list(content.get("examples", {}).values())
            found[path, method.upper()] = examples[0]["value"] if examples else None
    return found


QUERIES = {"/api/v1/dimensioning/": "?lan=17"}


def url_of(path: str, world: World) -> str:
    if "{id}" not in path:
        return path + QUERIES.get(path, "")
    prefix = max((p for p in world.values["pk"] if p.startswith("api/") and path.lstrip("/").startswith(p)), key=len)
    return path.replace("{id}", str(world.values["pk"][prefix]))


def outcome(response) -> str:
    return "ok" if 200 <= response.status_code < 300 else str(response.status_code)


def test_every_api_operation_answers_every_role_as_the_table_says(taxonomy, platform_matcher):
    world = build_world()
    table = read_table("api.md")
    found = operations()
    missing = sorted(set(found) - set(table))
    assert not missing, f"operations without a row in api.md: {missing}"
    stale = sorted(set(table) - set(found))
    assert not stale, f"rows in api.md for operations the schema no longer has: {stale}"
    paths = sorted({path for path, _method in found})
    cases = [(path, method) for path in paths for method in METHODS]

    made = clients(world)
    wrong, tried = [], 0
    for role in ROLES:
        client = made[role]
        for path, method in cases:
            expected = table[path, method].expected[role] if (path, method) in table else unlisted(role, path, found)
            body = found.get((path, method))
            with transaction.atomic():
                before = row_counts() if method != "GET" else {}
                response = client.generic(method, url_of(path, world), json.dumps(body or {}),
                                          content_type="application/json")
                after = row_counts() if method != "GET" else {}
                transaction.set_rollback(True)
            cache.clear()  # the rate limit counts per caller; each case starts afresh
            got = outcome(response)
            tried += 1
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t] and t not in NOT_DATA}
            if got != expected:
                wrong.append(f"{role:12} {method:6} {path}: expected {expected}, got {got} {response.content[:200]!r}")
            elif got in REFUSED and changed:
                wrong.append(f"{role:12} {method:6} {path}: refused ({got}) but wrote {changed}")
    TALLY.matrix_cases["api"] = tried
    assert not wrong, f"{len(wrong)} of {tried} cases differ from api.md:\n" + "\n".join(wrong)
