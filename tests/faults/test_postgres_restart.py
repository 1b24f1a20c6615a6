"""PostgreSQL stops under the running server and starts again (docs/reliability.md, *Faults*):
meanwhile every page answers with the friendly 503 page and the API with a 503 problem, and
afterwards the same server process answers again without a restart."""

from __future__ import annotations

import json
import re

import pytest

from tests.faults.clients import Browser

pytestmark = pytest.mark.faults


def test_a_postgresql_restart_gives_a_friendly_503_and_the_same_server_recovers(running, say):
    app, postgres = running.app, running.postgres
    pid = app.pid
    browser = Browser(app.url)
    login = running.seed["login"]
    for path in ("/", "/behov/", "/konto/login/"):
        reply = browser.request(path)
        say(f"GET {path} -> {reply.status} in {reply.seconds * 1000:.0f} ms (PostgreSQL up)")
        assert reply.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reply.body).group(1)
    api = browser.request("/api/v1/needs/")
    say(f"GET /api/v1/needs/ -> {api.status} {api.headers.get('content-type')} (PostgreSQL up)")
    assert api.status == 200 and api.headers["content-type"] == "application/json"

    say(f"PostgreSQL stopped (fast shutdown, connections cut) in {postgres.stop():.2f} s")
    for path in ("/", "/behov/", "/utbildningar/"):
        reply = browser.request(path)
        say(f"GET {path} -> {reply.status} Retry-After {reply.headers.get('retry-after')} "
            f"in {reply.seconds * 1000:.0f} ms")
        assert reply.status == 503
        assert "Matchplats är tillfälligt otillgänglig" in reply.body
        assert "Försök igen" in reply.body and reply.headers["retry-after"] == "30"
        assert "Traceback" not in reply.body and "OperationalError" not in reply.body
    api = browser.request("/api/v1/needs/")
    say(f"GET /api/v1/needs/ -> {api.status} {api.headers.get('content-type')} "
        f"Retry-After {api.headers.get('retry-after')} in {api.seconds * 1000:.0f} ms")
    assert api.status == 503 and api.headers["content-type"] == "application/problem+json"
    assert api.headers["retry-after"] == "30"
    problem = json.loads(api.body)
    assert problem["type"] == "urn:matchplats:problem:unavailable" and problem["status"] == 503
    assert problem["title"] == "Tillfälligt otillgänglig" and "Retry-After" in problem["detail"]
    assert "Traceback" not in api.body and "OperationalError" not in api.body
    signed_in = browser.request("/konto/login/", {"csrfmiddlewaretoken": token, "login": login["email"],
                                                  "password": login["password"]})
    say(f"POST /konto/login/ -> {signed_in.status} in {signed_in.seconds * 1000:.0f} ms")
    assert signed_in.status == 503 and "Traceback" not in signed_in.body
    health = browser.request("/healthz")
    checks = json.loads(health.body)["checks"]
    say(f"GET /healthz -> {health.status}: database ok={checks['database']['ok']} "
        f"({checks['database'].get('error', '').splitlines()[0][:90]})")
    assert health.status == 503 and not checks["database"]["ok"]

    say(f"PostgreSQL started again in {postgres.start():.2f} s")
    for path in ("/", "/behov/", "/healthz", "/api/v1/needs/"):
        reply = browser.request(path)
        say(f"GET {path} -> {reply.status} in {reply.seconds * 1000:.0f} ms (first request after the restart)")
        assert reply.status == 200
    assert app.alive() and app.pid == pid
    say(f"the same server process (pid {pid}) answers again: no restart needed")
