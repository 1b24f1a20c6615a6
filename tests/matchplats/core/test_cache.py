"""The Redis cache fails soft (matchplats/core/cache.py): unreachable, each process answers from a
cache of its own in memory, and pages that use it (allauth's sign-in) keep working."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import Client, override_settings

from matchplats.core import cache as fail_soft
from matchplats.core.cache import FailSoftRedisCache
from tests.factories import PASSWORD, make_user

REDIS_URL = os.environ.get("REDIS_URL")


def _unreachable_url() -> str:
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def _cache(location: str, **params) -> FailSoftRedisCache:
    return FailSoftRedisCache(location, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}, **params})


@pytest.fixture(autouse=True)
def _forget_outages():
    fail_soft._down_until.clear()
    yield
    fail_soft._down_until.clear()


def test_an_unreachable_redis_is_stood_in_for_by_a_cache_in_the_process(caplog):
    cache = _cache(_unreachable_url(), KEY_PREFIX=f"test-failsoft-{secrets.token_hex(4)}")
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is True
    assert cache.add("k", 2) is False  # a lock taken with add holds, as allauth's rate limits need
    assert cache.get("k") == 1
    assert cache.incr("k", 2) == 3
    cache.set_many({"l": "x", "m": "y"})
    assert cache.get_many(["k", "l", "missing"]) == {"k": 3, "l": "x"}
    assert cache.has_key("m") is True
    assert cache.touch("m", 60) is True
    assert cache.delete("m") is True
    cache.delete_many(["l"])
    assert cache.get_or_set("n", 5) == 5
    with pytest.raises(ValueError):
        cache.incr("never-set")
    logged = [record.getMessage() for record in caplog.records if record.name == "matchplats.core.cache"]
    assert len(logged) == 1 and "Redis unreachable" in logged[0]  # once per outage, not once per call


def test_the_stand_in_is_shared_by_the_threads_of_a_process():
    location = _unreachable_url()
    prefix = f"test-failsoft-{secrets.token_hex(4)}"
    _cache(location, KEY_PREFIX=prefix).set("attempts", 4)
    assert _cache(location, KEY_PREFIX=prefix).get("attempts") == 4  # Django makes one cache object per thread


def test_after_a_failure_the_cache_leaves_redis_alone_for_a_moment():
    cache = _cache(_unreachable_url())
    started = time.monotonic()
    cache.get("k")
    assert cache._down()
    for _ in range(100):
        cache.get("k")
    assert time.monotonic() - started < cache.RETRY_AFTER


def test_the_cache_answers_from_redis_again_once_the_pause_is_over():
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set; CI sets it and forbids skips")
    cache = _cache(REDIS_URL, KEY_PREFIX=f"test-failsoft-{secrets.token_hex(4)}")
    cache.set("k", "stored", 30)
    fail_soft._down_until[tuple(cache._servers)] = time.monotonic() + 60
    assert cache.get("k") is None  # marked down: not even asked, and the stand-in has not got it
    cache.set("written-meanwhile", "local", 30)
    assert cache.get("written-meanwhile") == "local"
    fail_soft._down_until[tuple(cache._servers)] = time.monotonic() - 1
    assert cache.get("k") == "stored"
    assert tuple(cache._servers) not in fail_soft._down_until
    assert cache.local.get("written-meanwhile") is None  # the stand-in is emptied once Redis is back
    assert cache.get("written-meanwhile") is None
    cache.delete("k")


@pytest.mark.django_db
def test_a_person_signs_in_while_the_cache_is_unreachable(taxonomy):
    person = make_user("paverkad@example.se")
    unreachable = {"default": {"BACKEND": "matchplats.core.cache.FailSoftRedisCache", "LOCATION": _unreachable_url(),
                               "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    with override_settings(CACHES=unreachable):
        response = Client().post("/konto/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_password_guessing_is_still_limited_while_the_cache_is_unreachable(taxonomy):
    person = make_user("gissad@example.se")
    unreachable = {"default": {"BACKEND": "matchplats.core.cache.FailSoftRedisCache", "LOCATION": _unreachable_url(),
                               "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    client = Client()
    with override_settings(CACHES=unreachable):
        for attempt in range(5):  # allauth's login_failed limit: 5 per 5 minutes for one address
            guessed = client.post("/konto/login/", {"login": person.email, "password": f"fel-{attempt}"})
            assert guessed.status_code == 200 and "För många" not in guessed.text
        response = client.post("/konto/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 200  # even the right password waits out the limit
    assert "För många misslyckade inloggningsförsök" in response.text


def _settings_in_subprocess(**env) -> subprocess.CompletedProcess:
    code = "import json, matchplats.settings as s; print(json.dumps(s.CACHES['default']))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR,
                          env={**{k: v for k, v in os.environ.items() if k != "REDIS_CACHE_TIMEOUT"}, "DEBUG": "true",
                               **env},
                          timeout=60)


def test_the_settings_put_the_cache_on_redis_with_short_timeouts():
    result = _settings_in_subprocess(REDIS_URL="redis://127.0.0.1:6379/3", REDIS_CACHE_TIMEOUT="0.3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '{"BACKEND": "matchplats.core.cache.FailSoftRedisCache", "LOCATION": "redis://127.0.0.1:6379/3", '
        '"OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}}')


def test_a_malformed_cache_timeout_stops_start_up_naming_the_variable():
    result = _settings_in_subprocess(REDIS_URL="redis://127.0.0.1:6379/3", REDIS_CACHE_TIMEOUT="en sekund")
    assert result.returncode != 0
    assert "REDIS_CACHE_TIMEOUT='en sekund' is not a number" in result.stderr
