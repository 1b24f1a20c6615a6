"""Reads of API keys and of stored idempotent answers."""

from __future__ import annotations

import datetime as dt
import hmac

from django.core.cache import cache

from matchplats.api.models import ApiKey, IdempotentRequest
from matchplats.api.services import SECRET_START, api_key_hash
from matchplats.organisations.models import Organisation


def _used_cache_key(api_key_id: int) -> str:
    return f"api-key-used:{api_key_id}"


def api_key_note_read(*, api_key: ApiKey, at: dt.datetime) -> None:
    """Remember in the cache (not the database) when a key last read, for the key list."""
    cache.set(_used_cache_key(api_key.pk), at, timeout=None)


def api_keys_of(*, organisation: Organisation) -> list[ApiKey]:
    """The organisation's keys, newest first, each with ``last_used`` from its last write (database)
    or read (cache), whichever is later."""
    keys = list(organisation.api_keys.select_related("created_by", "revoked_by"))
    reads = cache.get_many([_used_cache_key(key.pk) for key in keys])
    for key in keys:
        times = [t for t in (key.last_used_at, reads.get(_used_cache_key(key.pk))) if t is not None]
        key.last_used = max(times) if times else None
    return keys


def api_key_for_secret(secret: str) -> ApiKey | None:
    """The active or revoked key whose secret this is, or None (a malformed or unknown secret)."""
    if not secret.startswith(SECRET_START):
        return None
    prefix, _sep, rest = secret[len(SECRET_START):].partition("_")
    if not prefix or not rest:
        return None
    key = (ApiKey.objects.select_related("user", "organisation", "organisation__lan")
           .filter(prefix=prefix).first())
    if key is None:
        return None
    return key if hmac.compare_digest(key.secret_hash, api_key_hash(secret)) else None


def idempotent_request_of(*, user, key: str) -> IdempotentRequest | None:
    return IdempotentRequest.objects.filter(user=user, key=key).first()

