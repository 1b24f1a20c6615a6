"""Strict environment parsing.

Every helper names the variable it reads, so a malformed value stops start-up with an
``ImproperlyConfigured`` that says which variable is wrong and why. A default is used only
when the variable is absent; an empty or malformed value is an error, never a silent default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    return (os.environ if environ is None else environ).get(name)


def env_str(name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set.")
        return default
    if not value.strip():
        raise ImproperlyConfigured(f"{name} is set but empty.")
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of {sorted(_TRUE | _FALSE)}."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum {maximum}.")
    return number


def env_float(
    name: str,
    default: float,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> float:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = float(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number.") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ImproperlyConfigured(f"{name}={number} is outside {minimum}–{maximum}.")
    return number


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if not value.strip() or any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={value!r} must be a comma-separated list without empty items.")
    return items


_RATE_PERIODS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


def env_rate(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """A request rate as ``<number>/<period>``: a whole number above zero per ``s``, ``m``, ``h``
    or ``d`` (``120/m``), the form Django REST framework's throttles read."""
    value = _raw(name, environ)
    if value is None:
        return default
    count, _slash, period = value.strip().partition("/")
    if not (count.isascii() and count.isdigit()) or int(count) < 1 or period not in _RATE_PERIODS:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate; write a whole number above zero per s, m, h or d, e.g. 120/m."
        )
    return f"{int(count)}/{period}"


def env_path(name: str, default: Path, *, must_exist: bool = False, environ: Mapping[str, str] | None = None) -> Path:
    value = _raw(name, environ)
    path = default if value is None else Path(env_str(name, environ=environ)).expanduser()
    if must_exist and value is not None and not path.exists():
        raise ImproperlyConfigured(f"{name}={value!r} points to a path that does not exist.")
    return path


@dataclass(frozen=True)
class _Url:
    scheme: str
    username: str
    password: str
    host: str
    port: int | None
    path: str
    query: dict[str, str]


def _parse_url(name: str, value: str, schemes: set[str]) -> _Url:
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name}={value!r} has scheme {parts.scheme!r}; expected one of {sorted(schemes)}."
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} has an invalid port.") from None
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return _Url(
        scheme=parts.scheme,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        host=unquote(parts.hostname or ""),
        port=port,
        path=unquote(parts.path),
        query=query,
    )


def env_database(name: str, default_sqlite: Path, *, environ: Mapping[str, str] | None = None) -> dict:
    """A Django DATABASES entry from ``postgres://user:pass@host:port/db`` or ``sqlite:///path``."""
    value = _raw(name, environ)
    if value is None:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    url = _parse_url(name, env_str(name, environ=environ), {"postgres", "postgresql", "sqlite"})
    if url.scheme == "sqlite":
        path = url.path[1:] if url.path.startswith("//") else url.path
        if not path or path == "/":
            raise ImproperlyConfigured(f"{name}={value!r} names no SQLite file (sqlite:///path/to/db.sqlite3).")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    database = url.path.lstrip("/")
    if not database:
        raise ImproperlyConfigured(f"{name}={value!r} names no database (postgres://user@host:5432/name).")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": url.username,
        "PASSWORD": url.password,
        "HOST": url.host or "",
        "PORT": str(url.port or ""),
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0, environ=environ),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(url.query),
    }


def env_redis_url(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    """A validated ``redis://`` / ``rediss://`` URL, or None when the variable is absent."""
    value = _raw(name, environ)
    if value is None:
        return None
    url = _parse_url(name, env_str(name, environ=environ), {"redis", "rediss", "unix"})
    if url.scheme != "unix" and not url.host:
        raise ImproperlyConfigured(f"{name}={value!r} names no host (redis://127.0.0.1:6379/0).")
    return value
