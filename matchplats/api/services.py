"""Writes for API keys and idempotent requests. Key writes check their permission here, so no
caller can skip it (docs/api.md, docs/permissions.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchplats import permissions
from matchplats.api.models import ApiKey, IdempotentRequest
from matchplats.core.validators import validate_single_line
from matchplats.organisations import events
from matchplats.organisations.models import Organisation

SECRET_START = "mp_"
NAME_MAX = ApiKey._meta.get_field("name").max_length
IDEMPOTENCY_WINDOW = dt.timedelta(hours=24)
"""How long the answer to a write made with an Idempotency-Key is kept, so a retry within it is
answered from the stored answer (docs/api.md); ``prune_idempotent_requests`` removes older ones."""


def api_key_hash(secret: str) -> str:
    """SHA-256 of the whole secret. The secret carries 256 random bits, so a plain fast hash is
    safe to store (no password stretching needed) and lets every request be checked cheaply."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_prefix() -> str:
    while True:
        prefix = secrets.token_hex(4)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            return prefix


@transaction.atomic
def api_key_create(*, organisation: Organisation, actor, name: str) -> tuple[ApiKey, str]:
    """A new key for ``organisation`` and its secret, which is never stored and cannot be shown
    again. Only the organisation's administrators create keys."""
    if not permissions.may_manage_api_keys(actor, organisation):
        raise PermissionDenied(_("Only the organisation's administrators manage its API keys."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name, e.g. the system that will use it.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("Use at most %(max)d characters.") % {"max": NAME_MAX}})
    try:
        validate_single_line(name)
    except ValidationError as error:
        raise ValidationError({"name": error.messages}) from None
    prefix = _new_prefix()
    secret = f"{SECRET_START}{prefix}_{secrets.token_urlsafe(32)}"
    user = get_user_model().objects.create_user(
        email=f"api-key-{prefix}@api-keys.invalid", password=None, full_name=f"API: {name}"[:150], is_active=False
    )
    api_key = ApiKey.objects.create(organisation=organisation, name=name, prefix=prefix,
                                    secret_hash=api_key_hash(secret), user=user, created_by=actor)
    events.api_key_created_event(organisation=organisation, actor=actor, name=name, prefix=prefix)
    return api_key, secret


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor) -> ApiKey:
    """Revoke a key: from this moment every request with it is refused. Revoking twice is refused."""
    if not permissions.may_manage_api_keys(actor, api_key.organisation):
        raise PermissionDenied(_("Only the organisation's administrators manage its API keys."))
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is not None:
        raise ValidationError(_("The key was already revoked."))
    api_key.revoked_at = timezone.now()
    api_key.revoked_by = actor
    api_key.save(update_fields=["revoked_at", "revoked_by"])
    events.api_key_revoked_event(organisation=api_key.organisation, actor=actor, name=api_key.name,
                                 prefix=api_key.prefix)
    return api_key


def api_key_mark_used(*, api_key: ApiKey) -> None:
    """Note that the key was used for a write (reads leave no trace in the database: a GET never
    writes; ``selectors.api_key_last_used`` adds the reads from the cache)."""
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())


def idempotent_request_record(*, user, key: str, request_hash: str, status_code: int, response_body,
                              location: str = "") -> IdempotentRequest:
    """Store the answer to a write made with an Idempotency-Key, inside the write's transaction:
    a concurrent retry with the same key then fails on the unique constraint and rolls back."""
    return IdempotentRequest.objects.create(user=user, key=key, request_hash=request_hash, status_code=status_code,
                                            response_body=response_body, location=location)


def idempotent_requests_prune(*, now: dt.datetime) -> int:
    """Remove the stored answers older than ``IDEMPOTENCY_WINDOW`` before ``now``; returns how
    many. A key whose answer is gone starts a new write when it is used again."""
    removed, _ = IdempotentRequest.objects.filter(created_at__lt=now - IDEMPOTENCY_WINDOW).delete()
    return removed
