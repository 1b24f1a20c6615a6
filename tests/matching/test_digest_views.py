"""Following a need's or programme's new matches from its match page, and the unsubscribe page
that works without signing in (docs/digest.md)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching import selectors, services
from matching.models import DigestSubscription
from tests.factories import add_member, admin_of, make_need, make_programme, make_user

pytestmark = pytest.mark.django_db
FOLLOW = reverse("matching:follow")


@pytest.fixture
def need(employer_a, platform_matcher):
    """The match pages rank live: the session's mini matcher keeps them fast."""
    return make_need(employer_a, title="Undersköterskor till hemtjänsten")


@pytest.fixture
def programme(provider_a):
    return make_programme(provider_a, name="Undersköterska, vård och omsorg")


def test_a_member_follows_a_need_from_its_match_page_and_stops_again(client, need):
    user = add_member(need.organisation)
    client.force_login(user)
    page = reverse("matching:need", args=[need.pk])
    assert "Mejla mig nya matchningar varje vecka" in client.get(page).content.decode()
    response = client.post(FOLLOW, {"need": need.pk, "follow": "yes", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert DigestSubscription.objects.filter(user=user, need=need).exists()
    html = client.get(page).content.decode()
    assert "Stoppa veckobrevet" in html and "Nu bevakar du dess nya matchningar." in html
    assert "Du får dess nya matchningar med e-post en gång i veckan" in html
    client.post(FOLLOW, {"need": need.pk, "follow": "no", "next": page})
    assert not DigestSubscription.objects.exists()


def test_a_provider_member_follows_a_programme_from_its_match_page(client, programme):
    user = admin_of(programme.provider)
    client.force_login(user)
    page = reverse("matching:programme", args=[programme.pk])
    assert "Mejla mig nya matchningar varje vecka" in client.get(page).content.decode()
    client.post(FOLLOW, {"programme": programme.pk, "follow": "yes", "next": page})
    assert DigestSubscription.objects.filter(user=user, programme=programme).exists()


def test_outsiders_see_no_follow_button_and_cannot_follow_by_post(client, need, programme, employer_b, coordinator):
    for user in (admin_of(employer_b), coordinator):
        client.force_login(user)
        assert "Mejla mig" not in client.get(reverse("matching:need", args=[need.pk])).content.decode()
        assert "Mejla mig" not in client.get(reverse("matching:programme", args=[programme.pk])).content.decode()
        assert client.post(FOLLOW, {"need": need.pk, "follow": "yes"}).status_code == 403
        assert client.post(FOLLOW, {"programme": programme.pk, "follow": "yes"}).status_code == 403
    client.logout()
    assert "Mejla mig" not in client.get(reverse("matching:need", args=[need.pk])).content.decode()
    response = client.post(FOLLOW, {"need": need.pk, "follow": "yes"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not DigestSubscription.objects.exists()


def test_a_need_one_may_not_read_answers_as_if_it_did_not_exist(client, employer_a, employer_b):
    hidden = make_need(employer_a, visibility="aggregated")
    client.force_login(admin_of(employer_b))
    assert client.post(FOLLOW, {"need": hidden.pk, "follow": "yes"}).status_code == 404
    assert client.post(FOLLOW, {"need": 999999, "follow": "yes"}).status_code == 404


def test_following_is_a_post_with_a_clear_choice_and_a_get_changes_nothing(client, need):
    client.force_login(admin_of(need.organisation))
    assert client.get(FOLLOW, {"need": need.pk, "follow": "yes"}).status_code == 405
    assert client.post(FOLLOW, {"need": need.pk, "follow": "maybe"}).status_code == 400
    assert not DigestSubscription.objects.exists()


def test_next_never_leads_to_another_site(client, need):
    client.force_login(admin_of(need.organisation))
    response = client.post(FOLLOW, {"need": need.pk, "follow": "yes", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_unsubscribe_link_works_without_signing_in_and_a_get_only_asks(client, need, employer_a):
    user = admin_of(need.organisation)
    services.digest_subscribe(user=user, need=need)
    other = make_need(employer_a, title="Sjuksköterskor")
    services.digest_subscribe(user=user, need=other)
    url = reverse("matching:unsubscribe", args=[selectors.digest_token(user=user, need=need)])
    html = client.get(url).content.decode()
    assert "Stoppa veckobrevet till" in html and "Undersköterskor till hemtjänsten" in html
    assert DigestSubscription.objects.count() == 2
    html = client.post(url).content.decode()
    assert "Klart." in html
    assert list(DigestSubscription.objects.values_list("need", flat=True)) == [other.pk]
    assert "redan stoppade" in client.get(url).content.decode()


def test_the_stop_everything_link_stops_all_of_that_persons_subscriptions_only(client, need, programme):
    user = admin_of(need.organisation)
    colleague = add_member(need.organisation)
    services.digest_subscribe(user=user, need=need)
    services.digest_subscribe(user=colleague, need=need)
    url = reverse("matching:unsubscribe", args=[selectors.digest_token(user=user)])
    assert "Du bevakar nu" in client.get(url).content.decode()
    client.post(url)
    assert list(DigestSubscription.objects.values_list("user", flat=True)) == [colleague.pk]


def test_a_forged_unsubscribe_link_is_refused_and_stops_nothing(client, need):
    user = admin_of(need.organisation)
    services.digest_subscribe(user=user, need=need)
    token = selectors.digest_token(user=make_user(), need=need)
    payload, rest = token.split(":", 1)
    forged = selectors.digest_token(user=user, need=need).split(":", 1)[0] + ":" + rest
    for bad in (forged, "nonsense"):
        url = reverse("matching:unsubscribe", args=[bad])
        assert client.get(url).status_code == 400
        response = client.post(url)
        assert response.status_code == 400 and "Länken för att avsluta är inte giltig" in response.content.decode()
    assert DigestSubscription.objects.count() == 1
