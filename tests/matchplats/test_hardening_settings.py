"""Production settings (docs/reliability.md, *Hardening*): `check --deploy` is clean with the
production environment, HTTPS is enforced only where it can be told apart, and every response
carries an enforced content security policy without 'unsafe-inline'."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "matchplats.region.example",
    "CSRF_TRUSTED_ORIGINS": "https://matchplats.region.example",
    "BEHIND_TLS_PROXY": "true",
}
SHOWN = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_COOKIE_SECURE",
         "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "X_FRAME_OPTIONS",
         "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SECURE_PROXY_SSL_HEADER"]


def _environment(**extra: str) -> dict[str, str]:
    """The machine's environment without the test run's Django settings, plus production values.
    DJANGO_ALLOW_ASYNC_UNSAFE goes too: the browser tests set it in this process, and the deploy
    check rightly refuses it."""
    keep = {key: value for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SECRET_KEY",
                           "ALLOWED_HOSTS", "BEHIND_TLS_PROXY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                           "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"}}
    return {**keep, "DJANGO_SETTINGS_MODULE": "matchplats.settings", **extra}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True,
                          timeout=120)


def _settings_under(env: dict[str, str]) -> dict:
    script = ("import django, json; django.setup(); from django.conf import settings as s; "
              f"print(json.dumps({{name: getattr(s, name) for name in {SHOWN!r}}}))")
    done = _run(["-c", script], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_deploy_check_is_clean_with_the_production_environment():
    done = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _environment(**PRODUCTION))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_deploy_check_fails_when_hsts_is_turned_off_in_production():
    """The check is not silenced wholesale: turning a protection off is still reported."""
    done = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                _environment(**PRODUCTION, SECURE_HSTS_SECONDS="0"))
    assert done.returncode != 0
    assert "security.W004" in done.stdout + done.stderr


def test_production_redirects_to_https_and_sets_hsts_and_strict_cookies_behind_the_proxy():
    values = _settings_under(_environment(**PRODUCTION))
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"


def test_without_the_proxy_there_is_no_https_redirect_that_could_loop():
    env = _environment(**{**PRODUCTION, "BEHIND_TLS_PROXY": "false"})
    values = _settings_under(env)
    assert values["SECURE_SSL_REDIRECT"] is False and values["SECURE_PROXY_SSL_HEADER"] is None


def test_development_sends_no_hsts_so_localhost_is_not_pinned_to_https():
    values = _settings_under(_environment(DEBUG="true"))
    assert values["SECURE_HSTS_SECONDS"] == 0 and values["SECURE_SSL_REDIRECT"] is False


def test_a_malformed_hsts_duration_stops_start_up_naming_the_variable():
    done = _run(["-c", "import django; django.setup()"], _environment(**PRODUCTION, SECURE_HSTS_SECONDS="a year"))
    assert done.returncode != 0
    assert "SECURE_HSTS_SECONDS='a year' is not a whole number" in done.stderr


def test_every_page_carries_an_enforced_policy_without_inline_script_or_style(client, db):
    response = client.get("/integritet/")
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert "Content-Security-Policy-Report-Only" not in response
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:" and policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_behind_the_proxy_plain_http_is_redirected_to_https_but_the_health_check_is_not(db):
    from django.test import Client, override_settings

    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        client = Client()
        plain = client.get("/integritet/", HTTP_X_FORWARDED_PROTO="http")
        assert plain.status_code == 301 and plain["Location"] == "https://testserver/integritet/"
        assert client.get("/integritet/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
        assert client.get("/healthz", HTTP_X_FORWARDED_PROTO="http").status_code in (200, 503)
