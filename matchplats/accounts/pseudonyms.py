"""Pseudonyms for people and addresses in logs and the audit trail: keyed with the secret key, so
the same person always gets the same pseudonym and nobody without the key can test a guess."""

from __future__ import annotations

import hashlib

from django.conf import settings


def pseudonym(email: str) -> str:
    """A stable pseudonym for an e-mail address in logs (keyed with the secret key)."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{email.strip().lower()}".encode()).hexdigest()
    return f"user-{digest[:12]}"


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def ip_hash(request) -> str:
    """A keyed hash of the client's address: equal addresses compare equal, the address is not kept."""
    address = client_ip(request)
    if not address:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:ip:{address}".encode()).hexdigest()[:16]
