"""API keys: created, listed (prefix only) and revoked by the organisation's admins; a key acts as
a member and never as an admin; a revoked key is refused at once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient, APIRequestFactory

from matchplats.api.authentication import ApiKeyAuthentication
from matchplats.api.models import ApiKey
from matchplats.api.services import api_key_create, api_key_hash, api_key_revoke
from matchplats.organisations.models import OrganisationEvent
from tests.api.conftest import client_with_key, key_for
from tests.factories import add_member, admin_of, make_need

pytestmark = pytest.mark.django_db


def test_the_secret_is_stored_only_as_a_hash_and_the_creation_is_in_the_history(employer_a):
    api_key, secret = api_key_create(organisation=employer_a, actor=admin_of(employer_a), name="Lönesystemet")
    assert secret.startswith(f"mp_{api_key.prefix}_")
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert stored.secret_hash == api_key_hash(secret) and secret not in str(vars(stored))
    event = employer_a.events.get(type=OrganisationEvent.Type.API_KEY_CREATED)
    assert event.data == {"name": "Lönesystemet", "prefix": api_key.prefix}
    assert event.actor == admin_of(employer_a)


def test_a_member_who_is_not_admin_cannot_create_or_revoke_keys_and_nothing_is_written(employer_a):
    member = add_member(employer_a)
    with pytest.raises(PermissionDenied):
        api_key_create(organisation=employer_a, actor=member, name="Egen nyckel")
    api_key, _secret = api_key_create(organisation=employer_a, actor=admin_of(employer_a), name="Nyckel")
    with pytest.raises(PermissionDenied):
        api_key_revoke(api_key=api_key, actor=member)
    assert ApiKey.objects.count() == 1 and ApiKey.objects.get().revoked_at is None


def test_an_admin_of_another_organisation_cannot_manage_this_ones_keys(employer_a, employer_b):
    with pytest.raises(PermissionDenied):
        api_key_create(organisation=employer_a, actor=admin_of(employer_b), name="Intrång")
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "rad\nbrytning", "x" * 101])
def test_a_key_needs_a_single_line_name_of_sensible_length(employer_a, name):
    with pytest.raises(ValidationError) as error:
        api_key_create(organisation=employer_a, actor=admin_of(employer_a), name=name)
    assert "name" in error.value.message_dict
    assert not ApiKey.objects.exists()


def test_a_key_cannot_manage_keys_even_of_its_own_organisation(employer_a):
    api_key, secret = api_key_create(organisation=employer_a, actor=admin_of(employer_a), name="Nyckel")
    request = APIRequestFactory().get("/api/v1/needs/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    acting, _auth = ApiKeyAuthentication().authenticate(request)
    # Acting as the key (as every API request does) is acting as a member, never as an admin:
    with pytest.raises(PermissionDenied):
        api_key_create(organisation=employer_a, actor=acting, name="Ännu en")
    with pytest.raises(PermissionDenied):
        api_key_revoke(api_key=api_key, actor=acting)
    # and the key's header does not open the keys page, which is for signed-in admins only.
    response = client_with_key(secret).get(reverse("api_keys:list", args=[employer_a.pk]))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert ApiKey.objects.count() == 1 and ApiKey.objects.get().revoked_at is None


def test_a_revoked_key_is_refused_at_once(employer_a):
    make_need(employer_a, visibility="aggregated", title="Internt behov")
    api_key, secret = api_key_create(organisation=employer_a, actor=admin_of(employer_a), name="Nyckel")
    client = client_with_key(secret)
    assert client.get("/api/v1/needs/").json()["count"] == 1
    api_key_revoke(api_key=api_key, actor=admin_of(employer_a))
    response = client.get("/api/v1/needs/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The API key was revoked."
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer mp_00000000_fel", "Bearer nonsens", "Bearer "])
def test_an_unknown_or_malformed_key_is_refused_and_never_falls_back_to_a_visitor(employer_a, header):
    make_need(employer_a, title="Publikt behov")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/needs/")
    assert response.status_code == 401
    assert response.json()["type"] == "urn:matchplats:problem:not-authenticated"


def test_a_forged_secret_with_a_real_prefix_is_refused(employer_a):
    api_key, secret = api_key_create(organisation=employer_a, actor=admin_of(employer_a), name="Nyckel")
    forged = f"mp_{api_key.prefix}_{'A' * 43}"
    assert forged != secret
    assert client_with_key(forged).get("/api/v1/needs/").status_code == 401


def test_the_admin_creates_a_key_on_the_page_sees_the_secret_once_and_the_list_shows_only_the_prefix(
        client, employer_a):
    client.force_login(admin_of(employer_a))
    url = reverse("api_keys:list", args=[employer_a.pk])
    response = client.post(url, {"name": "Ekonomisystemet"})
    assert response.status_code == 201
    secret = response.context["secret"]
    assert f'class="secret-key" rows="2" readonly spellcheck="false">{secret}</textarea>' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    page = client.get(url)
    api_key = ApiKey.objects.get()
    assert f"mp_{api_key.prefix}".encode() in page.content
    assert secret.encode() not in page.content and b"Ekonomisystemet" in page.content
    assert client_with_key(secret).get("/api/v1/needs/").status_code == 200


def test_the_page_shows_when_a_key_was_last_used(client, employer_a):
    secret = key_for(employer_a)
    client.force_login(admin_of(employer_a))
    url = reverse("api_keys:list", args=[employer_a.pk])
    assert client.get(url).context["keys"][0].last_used is None
    client_with_key(secret).get("/api/v1/needs/")
    assert client.get(url).context["keys"][0].last_used is not None


def test_a_get_of_the_revoke_page_only_asks_and_the_post_revokes(client, employer_a):
    api_key, secret = api_key_create(organisation=employer_a, actor=admin_of(employer_a), name="Nyckel")
    client.force_login(admin_of(employer_a))
    url = reverse("api_keys:revoke", args=[employer_a.pk, api_key.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"<form method=\"post\">" in page.content
    api_key.refresh_from_db()
    assert api_key.revoked_at is None
    response = client.post(url)
    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None and api_key.revoked_by == admin_of(employer_a)
    assert employer_a.events.filter(type=OrganisationEvent.Type.API_KEY_REVOKED).exists()
    assert client_with_key(secret).get("/api/v1/needs/").status_code == 401


def test_members_and_outsiders_cannot_open_the_keys_pages(client, employer_a, employer_b):
    api_key, _secret = api_key_create(organisation=employer_a, actor=admin_of(employer_a), name="Nyckel")
    for user in (add_member(employer_a), admin_of(employer_b)):
        client.force_login(user)
        assert client.get(reverse("api_keys:list", args=[employer_a.pk])).status_code == 403
        assert client.post(reverse("api_keys:list", args=[employer_a.pk]), {"name": "X"}).status_code == 403
        assert client.post(reverse("api_keys:revoke", args=[employer_a.pk, api_key.pk])).status_code == 403
    api_key.refresh_from_db()
    assert api_key.revoked_at is None and ApiKey.objects.count() == 1


def test_a_key_of_another_organisation_cannot_be_revoked_through_this_ones_page(client, employer_a, employer_b):
    other, _secret = api_key_create(organisation=employer_b, actor=admin_of(employer_b), name="Deras")
    client.force_login(admin_of(employer_a))
    assert client.post(reverse("api_keys:revoke", args=[employer_a.pk, other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_only_admins_see_the_link_to_the_keys_page(client, employer_a):
    url = reverse("organisations:detail", args=[employer_a.pk])
    keys_url = reverse("api_keys:list", args=[employer_a.pk]).encode()
    client.force_login(admin_of(employer_a))
    assert keys_url in client.get(url).content
    client.force_login(add_member(employer_a))
    assert keys_url not in client.get(url).content
