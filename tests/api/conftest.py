"""Callers of the API as fixtures: a person by session, or an organisation's API key."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from matchplats.api.services import api_key_create
from tests.factories import admin_of


def key_for(organisation, *, name: str = "Integration") -> str:
    """A new API key of ``organisation`` (created by its admin); returns the secret."""
    _api_key, secret = api_key_create(organisation=organisation, actor=admin_of(organisation), name=name)
    return secret


def client_with_key(secret: str, *, language: str = "en") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE=language)
    return client


def client_as(user=None, *, language: str = "en", csrf: bool = True) -> APIClient:
    """A browser-like caller: signed in by session, or anonymous. CSRF is enforced as in a
    browser; with ``csrf`` the client sends the token from the cookie a page set, as the browser's
    script would."""
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    if csrf:
        client.get("/")
        client.credentials(HTTP_ACCEPT_LANGUAGE=language, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    return client


@pytest.fixture
def employer_key(employer_a):
    return key_for(employer_a)


@pytest.fixture
def api(employer_key):
    return client_with_key(employer_key)
