"""Who is asking: an organisation API key (``Authorization: Bearer mp_...``) or the browser session.

A key acts as a *member* of its organisation and nothing more: its service account's memberships
are set, for the request, to one member role in that organisation, so every permission helper in
``matchplats.permissions`` (which reads ``memberships_of``) judges it as such a member. A revoked
key is refused on the next request; nothing about a key is cached."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from matchplats.api import selectors, services
from matchplats.organisations.models import Membership

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        api_key = selectors.api_key_for_secret(secret.strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("The API key is not valid."))
        if api_key.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("The API key was revoked."))
        user = api_key.user
        user._matchplats_memberships = [
            Membership(user=user, organisation=api_key.organisation, role=Membership.Role.MEMBER)
        ]
        if request.method in SAFE_METHODS:
            selectors.api_key_note_read(api_key=api_key, at=timezone.now())
        else:
            services.api_key_mark_used(api_key=api_key)
        return user, api_key

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "matchplats.api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An organisation API key (mp_...), created by the organisation's administrators. "
                               "En API-nyckel för organisationen (mp_...), skapad av dess administratörer."}
