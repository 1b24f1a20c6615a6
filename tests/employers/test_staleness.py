"""Demand that stays true: the "gäller till" date, confirming, flags and reminders (docs/demand.md)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from employers import rules
from employers.models import Need, NeedEvent
from employers.services import need_confirm, need_create, need_remind_stale, need_set_status, need_update
from matchplats.taxonomy.models import Kommun, SsykGroup
from tests.factories import add_member, admin_of, make_need, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def _create(organisation, *, today=TODAY, **overrides):
    fields = dict(actor=admin_of(organisation), organisation=organisation, ssyk4=SsykGroup.objects.get(code="5321"),
                  title="Undersköterskor", headcount=12, horizon="1y", kommun=Kommun.objects.get(code="1780"),
                  today=today)
    fields.update(overrides)
    return need_create(**fields)


def _in_demand(today):
    return set(Need.objects.filter(rules.needs_in_demand_q(today)).values_list("pk", flat=True))


def _remind(today):
    return need_remind_stale(today=today, link_for=lambda need: f"https://matchplats.example/behov/{need.pk}/")


def _set_valid_until(need, day):
    Need.objects.filter(pk=need.pk).update(valid_until=day)
    need.refresh_from_db()
    return need


# --- the date -----------------------------------------------------------------------------------


def test_a_new_need_is_valid_for_six_months_from_the_day_it_is_registered(employer_a):
    need = _create(employer_a)
    assert need.valid_until == dt.date(2027, 5, 23) and need.confirmed_at is None


def test_six_months_from_the_31st_of_august_end_on_the_last_day_of_february():
    assert rules.valid_until_from(dt.date(2026, 8, 31)) == dt.date(2027, 2, 28)
    assert rules.valid_until_from(dt.date(2027, 8, 31)) == dt.date(2028, 2, 29)


def test_an_edit_by_the_employer_moves_valid_until_and_clears_the_reminder(employer_a):
    need = _create(employer_a)
    Need.objects.filter(pk=need.pk).update(reminded_at=timezone.now())
    need = need_update(need=need, actor=admin_of(employer_a), headcount=15, today=dt.date(2027, 6, 1))
    need.refresh_from_db()
    assert need.valid_until == dt.date(2027, 12, 1) and need.reminded_at is None


def test_an_edit_that_changes_nothing_does_not_move_valid_until(employer_a):
    need = _create(employer_a)
    need_update(need=need, actor=admin_of(employer_a), headcount=12, today=dt.date(2027, 6, 1))
    need.refresh_from_db()
    assert need.valid_until == dt.date(2027, 5, 23)


def test_making_a_need_active_again_restates_it(employer_a):
    need = _create(employer_a)
    need_set_status(need=need, actor=admin_of(employer_a), status="filled", today=dt.date(2027, 1, 10))
    need = need_set_status(need=need, actor=admin_of(employer_a), status="active", today=dt.date(2027, 9, 1))
    assert need.valid_until == dt.date(2028, 3, 1)


def test_confirming_moves_valid_until_and_records_who_and_when(employer_a):
    need = _create(employer_a)
    member = add_member(employer_a)
    need = need_confirm(need=need, actor=member, today=dt.date(2027, 6, 10))
    need.refresh_from_db()
    assert need.valid_until == dt.date(2027, 12, 10) and need.confirmed_at is not None
    event = need.events.get(type=NeedEvent.Type.CONFIRMED)
    assert event.actor == member and event.data["changes"]["valid_until"] == ["2027-05-23", "2027-12-10"]


# --- the rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2027, 5, 22), "current"),
    (dt.date(2027, 5, 23), "current"),   # valid_until itself
    (dt.date(2027, 5, 24), "stale"),     # the day after
    (dt.date(2027, 6, 22), "stale"),     # valid_until + 30 days
    (dt.date(2027, 6, 23), "lapsed"),    # valid_until + 31 days
    (dt.date(2028, 1, 1), "lapsed"),
])
def test_a_need_turns_stale_after_valid_until_and_lapses_thirty_days_later(employer_a, day, expected):
    need = _create(employer_a)
    assert rules.need_staleness(need, day) == expected
    assert (need.pk in _in_demand(day)) == (expected != "lapsed")


def test_a_lapsed_need_leaves_demand_and_comes_back_when_confirmed(employer_a):
    need = _create(employer_a)
    lapsed_day = dt.date(2027, 7, 1)
    assert need.pk not in _in_demand(lapsed_day)
    need_confirm(need=need, actor=admin_of(employer_a), today=lapsed_day)
    assert need.pk in _in_demand(lapsed_day)
    assert rules.need_staleness(Need.objects.get(pk=need.pk), lapsed_day) == "current"


@pytest.mark.parametrize("status", ["filled", "withdrawn"])
def test_filled_and_withdrawn_needs_are_not_demand_and_cannot_be_confirmed(employer_a, status):
    need = _create(employer_a)
    need_set_status(need=need, actor=admin_of(employer_a), status=status, today=TODAY)
    assert need.pk not in _in_demand(TODAY)
    with pytest.raises(ValidationError):
        need_confirm(need=need, actor=admin_of(employer_a), today=TODAY)


def test_another_organisation_cannot_confirm_a_need_and_nothing_is_written(employer_a, employer_b):
    need = _create(employer_a)
    with pytest.raises(PermissionDenied):
        need_confirm(need=need, actor=admin_of(employer_b), today=dt.date(2027, 7, 1))
    need.refresh_from_db()
    assert need.valid_until == dt.date(2027, 5, 23) and need.confirmed_at is None
    assert not need.events.filter(type=NeedEvent.Type.CONFIRMED).exists()


# --- pages --------------------------------------------------------------------------------------


@pytest.fixture
def stale_need(employer_a):
    return _set_valid_until(make_need(employer_a), timezone.localdate() - dt.timedelta(days=3))


@pytest.fixture
def lapsed_need(employer_a):
    return _set_valid_until(make_need(employer_a), timezone.localdate() - dt.timedelta(days=40))


def test_the_owner_confirms_a_stale_need_from_its_page(client, stale_need, employer_a):
    member = add_member(employer_a)
    client.force_login(member)
    page = client.get(reverse("employers:detail", args=[stale_need.pk])).content.decode()
    assert reverse("employers:confirm", args=[stale_need.pk]) in page
    assert "Behöver bekräftas" in page
    response = client.post(reverse("employers:confirm", args=[stale_need.pk]))
    assert response.status_code == 302
    stale_need.refresh_from_db()
    assert stale_need.valid_until == rules.valid_until_from(timezone.localdate())
    assert stale_need.events.get(type=NeedEvent.Type.CONFIRMED).actor == member
    assert "Behöver bekräftas" not in client.get(reverse("employers:detail", args=[stale_need.pk])).content.decode()


def test_a_lapsed_need_says_since_when_it_is_not_counted(client, lapsed_need):
    page = client.get(reverse("employers:detail", args=[lapsed_need.pk])).content.decode()
    assert "Räknas inte i efterfrågan sedan" in page and lapsed_need.lapses_on.isoformat() in page
    listed = client.get(reverse("employers:list")).content.decode()
    assert "Räknas inte i efterfrågan sedan" in listed


def test_confirming_is_a_post_and_a_get_changes_nothing(client, stale_need, employer_a):
    client.force_login(admin_of(employer_a))
    assert client.get(reverse("employers:confirm", args=[stale_need.pk])).status_code == 405
    assert Need.objects.get(pk=stale_need.pk).valid_until == stale_need.valid_until


def test_the_confirm_button_is_shown_only_to_those_who_may_edit(client, stale_need, employer_b):
    client.force_login(admin_of(employer_b))
    page = client.get(reverse("employers:detail", args=[stale_need.pk])).content.decode()
    assert "Behöver bekräftas" in page
    assert reverse("employers:confirm", args=[stale_need.pk]) not in page


def test_outsiders_cannot_confirm_a_need_by_id(client, employer_a, employer_b, provider_a, region_a):
    public = _set_valid_until(make_need(employer_a, visibility="public"), dt.date(2020, 1, 1))
    hidden = _set_valid_until(make_need(employer_a, visibility="aggregated"), dt.date(2020, 1, 1))
    for user in (admin_of(employer_b), admin_of(provider_a), admin_of(region_a), make_user(staff=True)):
        client.force_login(user)
        assert client.post(reverse("employers:confirm", args=[public.pk])).status_code == 403
        assert client.post(reverse("employers:confirm", args=[hidden.pk])).status_code == 404
    client.logout()
    response = client.post(reverse("employers:confirm", args=[public.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert set(Need.objects.values_list("valid_until", flat=True)) == {dt.date(2020, 1, 1)}
    assert not NeedEvent.objects.filter(type=NeedEvent.Type.CONFIRMED).exists()


def test_an_employer_member_sees_how_many_needs_to_confirm_and_a_link_that_lists_just_them(
        client, stale_need, lapsed_need, employer_a, employer_b):
    make_need(employer_a, title="Aktuellt behov")
    _set_valid_until(make_need(employer_b, title="Annans gamla behov"), dt.date(2020, 1, 1))
    client.force_login(add_member(employer_a))
    response = client.get(reverse("employers:list"))
    assert response.context["to_confirm"] == 2
    page = response.content.decode()
    assert "2 behov hos dina organisationer behöver bekräftas" in page
    listed = client.get(reverse("employers:list"), {"att_bekrafta": "on", "status": "active"})
    assert {n.pk for n in listed.context["page"].object_list} == {stale_need.pk, lapsed_need.pk}


def test_people_without_stale_needs_of_their_own_see_no_banner(client, stale_need, employer_b, provider_a):
    response = client.get(reverse("employers:list"), {"att_bekrafta": "on"})
    assert response.context["to_confirm"] == 0 and "att_bekrafta" not in response.context["form"].fields
    assert stale_need in response.context["page"].object_list
    client.force_login(admin_of(provider_a))
    assert "att_bekrafta" not in client.get(reverse("employers:list")).context["form"].fields
    client.force_login(admin_of(employer_b))
    assert client.get(reverse("employers:list")).context["to_confirm"] == 0
    listed = client.get(reverse("employers:list"), {"att_bekrafta": "on"})
    assert list(listed.context["page"].object_list) == []


# --- reminders ----------------------------------------------------------------------------------


def test_reminders_go_once_to_each_member_listing_only_their_own_organisations_needs(employer_a, employer_b,
                                                                                     provider_a):
    member = add_member(employer_a)
    due = _create(employer_a, title="Snart gammalt", today=dt.date(2026, 5, 1))        # valid until 2026-11-01
    _create(employer_a, title="Aktuellt")                                                   # valid until 2027-05-23
    _create(employer_b, title="Annans behov", today=dt.date(2026, 5, 1),
            actor=admin_of(employer_b))
    mail.outbox.clear()
    sent = _remind(dt.date(2026, 11, 10))
    assert sent["organisations"] == 2
    to_a = [m for m in mail.outbox if "Arbetsgivare A" in m.subject]
    assert sorted(m.to[0] for m in to_a) == sorted([admin_of(employer_a).email, member.email])
    for message in to_a:
        assert message.subject == "[Matchplats] Gäller behoven hos Arbetsgivare A fortfarande?"
        assert "Bekräfta att behovet gäller" in message.body and "Behöver bekräftas: gällde till 2026-11-01" in message.body
        assert "Snart gammalt" in message.body and f"https://matchplats.example/behov/{due.pk}/" in message.body
        assert "Aktuellt" not in message.body and "Annans behov" not in message.body
        assert "\n" not in message.subject
    assert admin_of(provider_a).email not in {m.to[0] for m in mail.outbox}
    mail.outbox.clear()
    assert _remind(dt.date(2026, 11, 11)) == {"organisations": 0, "needs": 0, "emails": 0}
    assert mail.outbox == []
    assert due.events.filter(type=NeedEvent.Type.REMINDED).count() == 1


def test_a_need_is_reminded_about_from_fourteen_days_before_its_date(employer_a):
    _create(employer_a, today=dt.date(2026, 5, 23))   # valid until 2026-11-23
    assert _remind(dt.date(2026, 11, 8))["needs"] == 0
    assert _remind(dt.date(2026, 11, 9))["needs"] == 1


@pytest.mark.parametrize("status", ["filled", "withdrawn"])
def test_filled_and_withdrawn_needs_are_not_reminded_about(employer_a, status):
    need = _create(employer_a, today=dt.date(2025, 1, 1))
    need_set_status(need=need, actor=admin_of(employer_a), status=status, today=dt.date(2025, 1, 2))
    Need.objects.filter(pk=need.pk).update(valid_until=dt.date(2025, 7, 1))
    mail.outbox.clear()
    assert _remind(TODAY)["needs"] == 0 and mail.outbox == []


def test_a_confirmed_need_is_reminded_about_again_when_its_new_period_ends(employer_a):
    need = _create(employer_a, today=dt.date(2026, 5, 23))
    assert _remind(dt.date(2026, 11, 20))["needs"] == 1
    need_confirm(need=need, actor=admin_of(employer_a), today=dt.date(2026, 11, 25))   # valid until 2027-05-25
    assert _remind(dt.date(2026, 12, 1))["needs"] == 0
    assert _remind(dt.date(2027, 5, 12))["needs"] == 1


def test_the_reminder_command_mails_with_links_to_the_given_address(employer_a):
    need = _set_valid_until(make_need(employer_a), timezone.localdate() - dt.timedelta(days=1))
    mail.outbox.clear()
    call_command("remind_stale_needs", "--base-url", "https://matchplats.region.se/")
    assert len(mail.outbox) == 1
    assert f"https://matchplats.region.se/behov/{need.pk}/" in mail.outbox[0].body
    assert Need.objects.get(pk=need.pk).reminded_at is not None


def test_an_import_sets_valid_until_and_a_changing_reimport_moves_it_but_an_unchanged_one_does_not(employer_a):
    from employers.importing import need_import_file

    header = "organisation,reference,title,ssyk4,headcount,horizon,kommun\n"

    def run(headcount, today):
        row = f"Arbetsgivare A,R1,Undersköterskor,5321,{headcount},1y,1780\n"
        need_import_file(actor=None, data=(header + row).encode(), file_name="behov.csv", today=today)
        return Need.objects.get(organisation=employer_a, external_id="R1")

    assert run(12, dt.date(2026, 3, 2)).valid_until == dt.date(2026, 9, 2)
    assert run(12, dt.date(2026, 8, 1)).valid_until == dt.date(2026, 9, 2)
    Need.objects.filter(external_id="R1").update(reminded_at=timezone.now())
    need = run(14, dt.date(2026, 8, 1))
    assert need.valid_until == dt.date(2027, 2, 1) and need.reminded_at is None


def test_the_migration_dates_existing_needs_six_months_from_their_last_update(employer_a):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("employers.migrations.0004_demand_stays_true")
    need = _create(employer_a)
    Need.objects.filter(pk=need.pk).update(updated_at=dt.datetime(2026, 2, 10, 12, tzinfo=dt.UTC),
                                           valid_until=dt.date(2000, 1, 1))
    migration.valid_until_from_last_update(apps, None)
    assert Need.objects.get(pk=need.pk).valid_until == dt.date(2026, 8, 10)
