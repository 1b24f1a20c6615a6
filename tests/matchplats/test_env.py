import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from matchplats.env import env_bool, env_database, env_float, env_int, env_list, env_redis_url, env_str

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("off", False), ("0", False)])
def test_env_bool_accepts_the_usual_spellings(raw, expected):
    assert env_bool("DEBUG", False, environ={"DEBUG": raw}) is expected


@pytest.mark.parametrize("raw", ["ture", "", "2", "enabled"])
def test_env_bool_rejects_a_typo_and_names_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False, environ={"DEBUG": raw})


def test_env_bool_uses_the_default_only_when_the_variable_is_absent():
    assert env_bool("DEBUG", True, environ={}) is True


def test_env_int_rejects_words_and_values_out_of_range():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='tjugofem' is not a whole number"):
        env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "tjugofem"})
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT=70000 is above the maximum 65535"):
        env_int("EMAIL_PORT", 25, maximum=65535, environ={"EMAIL_PORT": "70000"})
    assert env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": " 587 "}) == 587


def test_env_float_rejects_words_and_values_out_of_range():
    with pytest.raises(ImproperlyConfigured, match="MATCHER_LINK_THRESHOLD='hög' is not a number"):
        env_float("MATCHER_LINK_THRESHOLD", 0.3, environ={"MATCHER_LINK_THRESHOLD": "hög"})
    with pytest.raises(ImproperlyConfigured, match="MATCHER_LINK_THRESHOLD=1.5 is outside"):
        env_float("MATCHER_LINK_THRESHOLD", 0.3, minimum=0.0, maximum=1.0, environ={"MATCHER_LINK_THRESHOLD": "1.5"})


def test_env_str_requires_a_value_when_there_is_no_default():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        env_str("SECRET_KEY", environ={})
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is set but empty"):
        env_str("SECRET_KEY", environ={"SECRET_KEY": "  "})


def test_env_list_splits_on_commas_and_rejects_empty_items():
    assert env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.se, b.se"}) == ["a.se", "b.se"]
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.se,,b.se"})


def test_database_url_defaults_to_the_sqlite_quickstart_file(tmp_path):
    config = env_database("DATABASE_URL", tmp_path / "db.sqlite3", environ={})
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}


def test_database_url_parses_postgres_with_credentials_and_options():
    config = env_database(
        "DATABASE_URL", Path("x"), environ={"DATABASE_URL": "postgres://mp:hemligt%40@db.local:6543/matchplats?sslmode=require"}
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "matchplats", "mp", "hemligt@", "db.local", "6543")
    assert config["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x@h/db", "has scheme 'mysql'"),
        ("postgres://user@host:5432/", "names no database"),
        ("postgres://user@host:port/db", "invalid port"),
        ("sqlite://", "names no SQLite file"),
    ],
)
def test_database_url_rejects_malformed_values_naming_the_variable(url, message):
    with pytest.raises(ImproperlyConfigured, match=f"DATABASE_URL.*{message}"):
        env_database("DATABASE_URL", Path("x"), environ={"DATABASE_URL": url})


def test_redis_url_is_optional_but_must_be_a_redis_url_when_set():
    assert env_redis_url("REDIS_URL", environ={}) is None
    assert env_redis_url("REDIS_URL", environ={"REDIS_URL": "redis://127.0.0.1:6379/0"}) == "redis://127.0.0.1:6379/0"
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL='http://x' has scheme 'http'"):
        env_redis_url("REDIS_URL", environ={"REDIS_URL": "http://x"})


def _start_django(**overrides: str) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(DJANGO_SETTINGS_MODULE="matchplats.settings", **overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=environ, capture_output=True, text=True
    )


def test_settings_start_with_no_configuration_at_all():
    result = _start_django()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DEBUG", "ture"), ("DATABASE_URL", "postgres://nohost"), ("REDIS_URL", "memcached://x"),
     ("EMAIL_PORT", "many"), ("MATCHER_EMBEDDING_MODEL", "/no/such/model")],
)
def test_a_malformed_variable_stops_start_up_and_is_named(variable, value):
    result = _start_django(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.splitlines()[-1]


def test_a_django_log_line_is_printed_once_in_development():
    result = subprocess.run(
        [sys.executable, "-c", "import django, logging; django.setup(); "
                               "logging.getLogger('django.request').warning('Not Found: /favicon.ico')"],
        cwd=ROOT, env={**{key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}},
                       "DJANGO_SETTINGS_MODULE": "matchplats.settings", "DEBUG": "true"},
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Not Found: /favicon.ico") == 1, result.stderr


def test_production_refuses_to_start_with_the_quickstart_secret_key():
    result = _start_django(DEBUG="false", ALLOWED_HOSTS="matchplats.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_env_rate_takes_a_number_per_period_and_refuses_anything_else():
    from matchplats.env import env_rate

    assert env_rate("API_RATE_LIMIT", "120/m", environ={}) == "120/m"
    assert env_rate("API_RATE_LIMIT", "120/m", environ={"API_RATE_LIMIT": " 30/s "}) == "30/s"
    for raw in ("120", "0/m", "-1/m", "120/minute", "tio/m", "", "12/m/x", "²/m"):
        with pytest.raises(ImproperlyConfigured, match="API_RATE_LIMIT"):
            env_rate("API_RATE_LIMIT", "120/m", environ={"API_RATE_LIMIT": raw})
