"""The weekly digest of new matches (docs/digest.md): who may follow what, what counts as new,
what a recipient may read, once a week per person, Swedish, and ``manage.py send_match_digests``."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from employers.models import Need
from matching import selectors, services
from matching.models import DigestDelivery, DigestSubscription, MatchLink
from matchplats.organisations.models import Organisation
from tests.factories import add_member, admin_of, make_need, make_organisation, make_programme, make_user

pytestmark = pytest.mark.django_db
BASE = "https://matchplats.example.se"
MONDAY = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)


def link(need, programme, score=0.7, rank=1):
    return MatchLink.objects.create(need=need, programme=programme, score=score, rank=rank)


def send(now: dt.datetime = MONDAY) -> str:
    out = StringIO()
    call_command("send_match_digests", "--base-url", BASE, "--now", now.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def need(employer_a):
    return make_need(employer_a, title="Undersköterskor till hemtjänsten")


@pytest.fixture
def programme(provider_a):
    return make_programme(provider_a, name="Undersköterska, vård och omsorg")


# --- following ------------------------------------------------------------------------------


def test_a_member_of_the_employer_follows_its_need_and_a_member_of_the_provider_its_programme(need, programme):
    employer_member = add_member(need.organisation)
    assert services.digest_subscribe(user=employer_member, need=need).need == need
    assert services.digest_subscribe(user=admin_of(programme.provider), programme=programme).programme == programme
    assert DigestSubscription.objects.count() == 2


def test_outsiders_cannot_follow_a_need_or_programme_and_nothing_is_written(need, programme, employer_b,
                                                                             provider_b, coordinator):
    for user in (admin_of(employer_b), admin_of(provider_b), coordinator, make_user()):
        with pytest.raises(PermissionDenied):
            services.digest_subscribe(user=user, need=need)
        with pytest.raises(PermissionDenied):
            services.digest_subscribe(user=user, programme=programme)
    assert not DigestSubscription.objects.exists()


def test_following_names_exactly_one_need_or_programme(need, programme):
    user = admin_of(need.organisation)
    for kwargs in ({}, {"need": need, "programme": programme}):
        with pytest.raises(ValidationError):
            services.digest_subscribe(user=user, **kwargs)
    assert not DigestSubscription.objects.exists()


def test_following_twice_keeps_one_subscription(need):
    user = admin_of(need.organisation)
    first = services.digest_subscribe(user=user, need=need)
    assert services.digest_subscribe(user=user, need=need) == first
    assert DigestSubscription.objects.count() == 1


def test_matches_there_when_one_starts_following_are_not_news(need, programme, provider_b):
    link(need, programme)
    services.digest_subscribe(user=admin_of(need.organisation), need=need)
    assert "Sent 0 digests" in send()
    link(need, make_programme(provider_b, name="Vård i hemmet"), rank=2)
    assert "Sent 1 digests with 1 new matches" in send()
    body = mail.outbox[0].body
    assert "Vård i hemmet" in body and "Undersköterska, vård och omsorg" not in body


# --- what the digest says ---------------------------------------------------------------------


def test_the_digest_is_swedish_with_the_match_page_and_unsubscribe_links(need, programme):
    user = admin_of(need.organisation)
    services.digest_subscribe(user=user, need=need)
    link(need, programme, score=0.82)
    send()
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "[Matchplats] Nya matchningar den här veckan"
    assert "Hej!" in message.body and "Kompetensbehov: Undersköterskor till hemtjänsten" in message.body
    assert "Undersköterska, vård och omsorg (Anordnare A): Mycket god (82 %)" in message.body
    assert f"{BASE}/matchningar/behov/{need.pk}/" in message.body
    tokens = re.findall(rf"{BASE}/matchningar/avsluta/([^/\s]+)/", message.body)
    assert len(tokens) == 2  # this need, and everything
    assert selectors.digest_unsubscribe_of(tokens[0]).need == need
    assert selectors.digest_unsubscribe_of(tokens[1]).everything
    assert message.extra_headers["List-Unsubscribe"] == f"<{BASE}/matchningar/avsluta/{tokens[1]}/>"


def test_a_programme_digest_lists_only_new_needs_the_recipient_may_read(programme, employer_a, employer_b,
                                                                        region_a):
    provider_user = admin_of(programme.provider)
    services.digest_subscribe(user=provider_user, programme=programme)
    readable = make_need(employer_a, title="Synligt behov")
    hidden = make_need(employer_b, title="Dolt behov", visibility="aggregated")
    for_coordinators = make_need(employer_a, title="Behov för samordnare", visibility="coordinators")
    link(readable, programme, rank=1)
    link(hidden, programme, score=0.95, rank=1)
    link(for_coordinators, programme, score=0.9, rank=1)
    assert "with 1 new matches" in send()
    body = mail.outbox[0].body
    assert "Synligt behov (Arbetsgivare A, Karlstad, 3 personer)" in body
    assert "Dolt" not in body and "samordnare" not in body
    assert "1 ny matchning" in body


def test_a_need_that_later_becomes_readable_is_news_then(programme, employer_b):
    services.digest_subscribe(user=admin_of(programme.provider), programme=programme)
    hidden = make_need(employer_b, title="Först dolt", visibility="aggregated")
    link(hidden, programme)
    assert "Sent 0 digests" in send()
    Need.objects.filter(pk=hidden.pk).update(visibility="public")
    assert "Sent 1 digests" in send(MONDAY + dt.timedelta(days=7))
    assert "Först dolt" in mail.outbox[0].body


def test_filled_needs_and_needs_of_a_filled_subscription_bring_no_news(need, programme, employer_a, provider_b):
    services.digest_subscribe(user=admin_of(need.organisation), need=need)
    services.digest_subscribe(user=admin_of(programme.provider), programme=programme)
    Need.objects.filter(pk=need.pk).update(status=Need.Status.FILLED)
    link(need, programme)
    assert "Sent 0 digests" in send()


def test_a_long_list_shows_the_best_ten_and_counts_the_rest(need, provider_a):
    services.digest_subscribe(user=admin_of(need.organisation), need=need)
    for rank in range(1, 13):
        link(need, make_programme(provider_a, name=f"Program {rank:02d}"), score=1 - rank / 100, rank=rank)
    assert "with 12 new matches" in send()
    body = mail.outbox[0].body
    assert "Program 01" in body and "Program 10" in body and "Program 11" not in body
    assert "… och 2 nya matchningar till." in body


def test_one_email_per_person_covers_all_they_follow(need, programme, employer_a, provider_b):
    user = admin_of(need.organisation)
    other = make_need(employer_a, title="Sjuksköterskor")
    services.digest_subscribe(user=user, need=need)
    services.digest_subscribe(user=user, need=other)
    link(need, programme)
    link(other, make_programme(provider_b, name="Specialistsjuksköterska"))
    assert "Sent 1 digests with 2 new matches" in send()
    assert "Undersköterskor till hemtjänsten" in mail.outbox[0].body and "Sjuksköterskor" in mail.outbox[0].body


# --- once a week, only what is new --------------------------------------------------------------


def test_a_person_gets_at_most_one_digest_per_calendar_week_and_only_news(need, programme, provider_b):
    services.digest_subscribe(user=admin_of(need.organisation), need=need)
    link(need, programme)
    assert "Sent 1 digests" in send(MONDAY)
    link(need, make_programme(provider_b, name="Ny vecka"), rank=2)
    assert "Sent 0 digests" in send(MONDAY + dt.timedelta(days=3))  # Thursday, same week
    assert "Sent 0 digests" in send(MONDAY + dt.timedelta(days=6, hours=14))  # Sunday evening, 22:00 in Sweden
    assert "Sent 1 digests with 1 new matches" in send(MONDAY + dt.timedelta(days=7))
    assert "Ny vecka" in mail.outbox[1].body and "Undersköterska, vård och omsorg" not in mail.outbox[1].body
    assert "Sent 0 digests" in send(MONDAY + dt.timedelta(days=14))  # nothing new: nothing sent
    assert len(mail.outbox) == 2 and DigestDelivery.objects.count() == 2


def test_a_refresh_of_the_links_does_not_make_old_matches_new(need, programme):
    services.digest_subscribe(user=admin_of(need.organisation), need=need)
    link(need, programme)
    send()
    MatchLink.objects.all().delete()
    link(need, programme, score=0.75)  # what match_links_refresh does: the same pair, stored anew
    assert "Sent 0 digests" in send(MONDAY + dt.timedelta(days=7))


def test_someone_who_left_the_organisation_gets_nothing_and_stops_following(need, programme):
    member = add_member(need.organisation)
    services.digest_subscribe(user=member, need=need)
    need.organisation.memberships.filter(user=member).delete()
    member = type(member).objects.get(pk=member.pk)  # forget cached memberships
    link(need, programme)
    assert "Sent 0 digests" in send()
    assert not DigestSubscription.objects.exists()


def test_inactive_accounts_get_no_digest(need, programme):
    user = admin_of(need.organisation)
    services.digest_subscribe(user=user, need=need)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    link(need, programme)
    assert "Sent 0 digests" in send()


def test_digest_week_is_the_monday_of_the_local_calendar_week():
    assert services.digest_week(dt.date(2026, 12, 7)) == dt.date(2026, 12, 7)
    assert services.digest_week(dt.date(2026, 12, 13)) == dt.date(2026, 12, 7)
    assert services.digest_week(dt.date(2026, 12, 14)) == dt.date(2026, 12, 14)


def test_the_command_needs_an_http_base_url(need):
    with pytest.raises(CommandError, match="must start with https://"):
        call_command("send_match_digests", "--base-url", "matchplats.example.se")


def test_the_command_uses_the_current_time_by_default(need, programme):
    services.digest_subscribe(user=admin_of(need.organisation), need=need)
    link(need, programme)
    call_command("send_match_digests", "--base-url", BASE, stdout=StringIO())
    assert DigestDelivery.objects.get().week == services.digest_week(timezone.localdate())


# --- the unsubscribe token ------------------------------------------------------------------------


def test_a_forged_or_damaged_token_is_refused(need):
    user = admin_of(need.organisation)
    token = selectors.digest_token(user=user, need=need)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "nonsense", token + "x"):
        with pytest.raises(ValidationError):
            selectors.digest_unsubscribe_of(bad)


def test_a_token_stops_only_its_own_need_of_its_own_person(need, programme, employer_a):
    user = admin_of(need.organisation)
    colleague = add_member(need.organisation)
    other = make_need(employer_a)
    for person in (user, colleague):
        services.digest_subscribe(user=person, need=need)
    services.digest_subscribe(user=user, need=other)
    unsubscribe = selectors.digest_unsubscribe_of(selectors.digest_token(user=user, need=need))
    assert [(s.user, s.need) for s in unsubscribe.subscriptions] == [(user, need)]
    assert not unsubscribe.everything
    everything = selectors.digest_unsubscribe_of(selectors.digest_token(user=user))
    assert {s.need for s in everything.subscriptions} == {need, other}
    assert all(s.user == user for s in everything.subscriptions)


def test_a_token_for_a_deleted_need_stops_nothing_else(need, employer_a):
    user = admin_of(need.organisation)
    other = make_need(employer_a)
    services.digest_subscribe(user=user, need=other)
    token = selectors.digest_token(user=user, need=need)
    Need.objects.filter(pk=need.pk).delete()
    unsubscribe = selectors.digest_unsubscribe_of(token)
    assert unsubscribe.subscriptions == [] and not unsubscribe.everything


def test_an_employer_member_cannot_follow_a_programme_of_another_organisation(programme):
    employer = make_organisation(Organisation.Kind.EMPLOYER)
    with pytest.raises(PermissionDenied):
        services.digest_subscribe(user=admin_of(employer), programme=programme)
