"""The permission matrix of the pages: every URL pattern of the platform, GET and POST, tried by
every role of ``world.ROLES``, against the outcomes written down in ``pages.md``.

``pages.md`` is the expectation, written from docs/permissions.md and reviewed against it — not
derived from the views. The test fails on a route that exists but has no row, on a row for a route
that no longer exists, on any outcome other than the table's, on any server error, and on any row
written by a request that was refused. Each request runs in a savepoint that is rolled back, so
what an allowed POST changes does not leak into the next case.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.matchplats.permission_matrix.matrix import page_outcome, read_table, row_for
from tests.matchplats.permission_matrix.world import KEYS, PEOPLE, ROLES, World, build_world
from tests.matchplats.test_get_routes import _admin_urls
from tests.rows import row_counts
from tests.tally import TALLY

pytestmark = pytest.mark.django_db

REFUSED = {"login", "401", "403", "404", "405"}
REGEX_URLS = {
    "konto/^confirm-email/(?P<key>[-:\\w]+)/$": "/konto/confirm-email/ogiltig-nyckel/",
    "konto/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "/konto/password/reset/key/1-ogiltig/",
}
"""allauth's regex routes, requested with a key that is not valid."""
MINUTES = ("arenor/moten/<int:pk>/protokoll/", "arenor/moten/<int:pk>/protokoll.pdf",
           "arenor/moten/<int:pk>/protokoll.docx")
QUERIES = {"behov/yrken/valt/": "?ssyk4={ssyk4_id}", "behov/kompetenser/vald/": "?skill={skill_id}"}
"""The pickers answer for the occupation group or skill named in the query string."""
NOT_DATA = {"django_session"}
"""Tables a refused request may touch: an anonymous visitor's session is not data."""


def route_values(route: str, world: World) -> dict:
    """Values that differ from the world's defaults for one route."""
    if route == "matchningar/utbildningar/<int:pk>/underlag.<str:file_format>":
        return {"file_format": "pdf"}
    if route in MINUTES:  # minutes exist once a session is closed
        return {"pk": {"arenor/moten/": world.values["closed_session"]}}
    return {}


def routes(patterns=None, prefix: str = "") -> list[str]:
    """Every URL pattern of the platform outside the admin and the REST API's operations (those
    are tested by pattern and from the OpenAPI schema, in test_api.py)."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route not in ("admin/",):
                found += routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and not route.startswith("api/v1/"):
            found.append(route)
    return found


def url_of(route: str, world: World) -> str:
    if route in REGEX_URLS:
        return REGEX_URLS[route]
    assert "(?P<" not in route, f"{route}: add a URL for this regex route to REGEX_URLS"
    values = {**world.values, **route_values(route, world)}
    url = "/" + route
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if name == "pk":
            prefix = max((p for p in values["pk"] if route.startswith(p)), key=len, default=None)
            assert prefix is not None, f"{route}: no object for <pk> in the world"
            value = values["pk"][prefix]
        elif name == "token" and "import/" in route:
            value = values["import_token"]
        elif name == "token" and route.startswith("matchningar/"):
            value = values["digest_token"]
        else:
            value = values[name]
        url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1)
    return url + QUERIES.get(route, "").format(**values)


def clients(world: World) -> dict[str, Client]:
    made = {}
    for role in ROLES:
        if role in KEYS:
            made[role] = Client(HTTP_AUTHORIZATION=f"Bearer {world.keys[role]}")
            continue
        made[role] = Client()
        if role in PEOPLE:
            made[role].force_login(world.users[role])
        elif role == "guest":
            made[role].cookies[world.guest_cookie[0]] = world.guest_cookie[1]
    return made


def post_data(route: str, world: World) -> dict:
    """What a POST carries where the object it acts on is named in the body, not the URL."""
    v = world.values
    return {
        "matchningar/omdome/": {"need": v["need_pk"], "programme": v["pk"]["utbildningar/"], "relevant": "yes"},
        "matchningar/bevaka/": {"need": v["need_pk"], "follow": "yes"},
        "organisationer/<int:pk>/medlemmar/<int:membership_pk>/roll/": {"role": "admin"},
        "utbildningar/<int:pk>/stod/dra-tillbaka/": {"backing": v["backing"]},
    }.get(route, {})


def try_case(client: Client, method: str, url: str, data: dict) -> tuple[object, dict]:
    """One request in a savepoint that is rolled back; returns the response and the tables whose
    row count it changed."""
    with transaction.atomic():
        if method == "GET":  # that no GET writes is tests/matchplats/test_get_routes.py's
            response, before, after = client.get(url), {}, {}
        else:
            before = row_counts()
            response = client.post(url, data)
            after = row_counts()
        transaction.set_rollback(True)
    cache.clear()
    return response, {table: (before[table], after[table]) for table in before
                      if before[table] != after[table] and table not in NOT_DATA}


def test_every_route_answers_every_role_as_the_table_says(taxonomy, platform_matcher):
    world = build_world()
    table = read_table("pages.md")
    found = routes()
    missing = [(route, method) for route in found for method in ("GET", "POST") if (route, method) not in table]
    assert not missing, f"routes without a row in pages.md: {missing}"
    stale = sorted({route for route, _m in table if not route.startswith("admin/")} - set(found))
    assert not stale, f"rows in pages.md for routes that no longer exist: {stale}"

    cases = [(route, url_of(route, world)) for route in found] + [(None, url) for url in _admin_urls()]
    made = clients(world)
    wrong, tried = [], 0
    for role in ROLES:
        client = made[role]
        for route, url in cases:
            for method in ("GET", "POST"):
                row = table[route, method] if route else row_for(table, url.lstrip("/"), method, url=url)
                assert row is not None, f"no pattern row in pages.md for {method} {url}"
                response, changed = try_case(client, method, url, post_data(route, world))
                got = page_outcome(method, response)
                tried += 1
                if got != row.expected[role]:
                    wrong.append(f"{role:12} {method:4} {url}: expected {row.expected[role]}, got {got}")
                elif got in REFUSED and changed:
                    wrong.append(f"{role:12} {method:4} {url}: refused ({got}) but wrote {changed}")
                if role in PEOPLE and "_auth_user_id" not in client.session:
                    client.force_login(world.users[role])  # it signed out (konto/logout/)
    TALLY.matrix_cases["pages"] = tried
    assert not wrong, f"{len(wrong)} of {tried} cases differ from pages.md:\n" + "\n".join(wrong)
