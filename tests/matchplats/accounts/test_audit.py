"""The audit log (matchplats/accounts/audit.py): sign-ins, permission changes and downloads are
recorded with pseudonyms, never an e-mail address, and only platform staff read it in the admin."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from dialogues import services as dialogue_services
from matchplats.accounts.models import AuditEvent
from matchplats.accounts.pseudonyms import pseudonym
from matchplats.organisations.models import Membership, Organisation
from matchplats.organisations.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_set_role,
)
from tests.dialogues.conftest import world  # noqa: F401 (a fixture)
from tests.factories import PASSWORD, add_member, admin_of, make_need, make_organisation, make_region, make_user

pytestmark = pytest.mark.django_db
A = AuditEvent.Action


def _events(action: str):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def _no_address_in(event: AuditEvent, *emails: str) -> bool:
    text = json.dumps([event.details, event.actor_pseudonym, event.subject_pseudonym, event.object_id])
    return not any(email.lower() in text.lower() for email in emails)


def test_a_sign_in_is_recorded_under_the_persons_pseudonym_with_the_method(client):
    user = make_user("inloggad@example.se")
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    [event] = _events(A.SIGN_IN)
    assert event.actor == user and event.subject == user
    assert event.actor_pseudonym == pseudonym(user.email) and event.details == {"method": "password"}
    assert event.ip_hash and "10.1.2.3" not in event.ip_hash and _no_address_in(event, user.email)


def test_failed_sign_ins_and_the_lockout_are_recorded_without_the_typed_address(client):
    user = make_user("gissad@example.se")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "fel-lösenord"})
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    failed, locked = _events(A.SIGN_IN_FAILED), _events(A.SIGN_IN_LOCKED)
    assert len(failed) == 5 and len(locked) >= 1
    assert all(event.subject == user and event.actor is None for event in failed + locked)
    assert all(event.subject_pseudonym == pseudonym(user.email) for event in failed + locked)
    assert all(_no_address_in(event, user.email) for event in failed + locked)
    assert not _events(A.SIGN_IN)


def test_a_failed_sign_in_for_an_unknown_address_keeps_only_its_pseudonym(client):
    client.post(reverse("account_login"), {"login": "finns-inte@example.se", "password": "x"})
    [event] = _events(A.SIGN_IN_FAILED)
    assert event.subject is None and event.subject_pseudonym == pseudonym("finns-inte@example.se")


def test_founding_joining_role_changes_and_removal_are_recorded_for_the_organisation(taxonomy):
    founder = make_user()
    organisation = make_organisation(Organisation.Kind.EMPLOYER, admin=founder)
    invitation = invitation_create(organisation=organisation, inviter=founder, email="ny@example.se",
                                   role=Membership.Role.MEMBER, accept_url_for=lambda invitation: "https://x/")
    newcomer = make_user("ny@example.se")
    membership = invitation_accept(invitation=invitation, user=newcomer)
    membership_set_role(membership=membership, actor=founder, role=Membership.Role.ADMIN)
    membership_remove(membership=Membership.objects.get(pk=membership.pk), actor=founder)

    actions = list(AuditEvent.objects.filter(organisation=organisation).order_by("pk").values_list("action", flat=True))
    assert actions == [A.MEMBER_ADDED, A.MEMBER_INVITED, A.MEMBER_ADDED, A.ROLE_CHANGED, A.MEMBER_REMOVED]
    added, invited, joined, changed, removed = AuditEvent.objects.filter(organisation=organisation).order_by("pk")
    assert added.details == {"role": "admin", "how": "created"} and added.subject == founder
    assert invited.subject is None and invited.subject_pseudonym == pseudonym("ny@example.se")
    assert joined.actor == newcomer and joined.details == {"role": "member", "how": "invitation"}
    assert changed.actor == founder and changed.subject == newcomer
    assert changed.details == {"old_role": "member", "new_role": "admin"}
    assert removed.subject == newcomer and removed.details == {"role": "admin"}
    assert all(_no_address_in(event, "ny@example.se", founder.email)
               for event in AuditEvent.objects.filter(organisation=organisation))


def test_a_revoked_invitation_is_recorded(taxonomy):
    organisation = make_organisation(Organisation.Kind.PROVIDER)
    admin = admin_of(organisation)
    invitation = invitation_create(organisation=organisation, inviter=admin, email="aterkallad@example.se",
                                   accept_url_for=lambda invitation: "https://x/")
    invitation_revoke(invitation=invitation, actor=admin)
    [event] = _events(A.INVITATION_REVOKED)
    assert event.actor == admin and event.organisation == organisation
    assert event.subject_pseudonym == pseudonym("aterkallad@example.se")


def test_a_refused_role_change_records_nothing(taxonomy):
    organisation = make_organisation(Organisation.Kind.EMPLOYER)
    member = add_member(organisation)
    membership = Membership.objects.get(user=member, organisation=organisation)
    before = AuditEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 (PermissionDenied; the point is that nothing is written)
        membership_set_role(membership=membership, actor=member, role=Membership.Role.ADMIN)
    assert AuditEvent.objects.count() == before


def test_arena_membership_and_hosting_are_recorded(world):  # noqa: F811
    before = AuditEvent.objects.filter(action=A.ARENA_ACCESS_CHANGED).count()
    dialogue_services.arena_host_set(actor=world.coordinator, arena=world.arena, user=world.person, host=True)
    dialogue_services.arena_host_set(actor=world.coordinator, arena=world.arena, user=world.person, host=False)
    member = world.arena.members.get(user=world.person)
    dialogue_services.arena_member_remove(actor=world.coordinator, member=member)
    events = list(AuditEvent.objects.filter(action=A.ARENA_ACCESS_CHANGED).order_by("pk"))[before:]
    assert [event.details["change"] for event in events] == ["host_given", "host_taken", "member_removed"]
    assert all(event.subject == world.person and event.object_id == str(world.arena.pk) for event in events)


def _superuser():
    superuser = make_user("chef@matchplats.example", staff=True)
    superuser.is_superuser = True
    superuser.save()
    return superuser


def test_staff_rights_given_in_the_admin_are_recorded(client):
    superuser = _superuser()
    person = make_user("blir-personal@example.se")
    client.force_login(superuser)
    response = client.post(reverse("admin:accounts_user_change", args=[person.pk]), {
        "email": person.email, "full_name": "", "is_active": "on", "is_staff": "on",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    [event] = _events(A.STAFF_CHANGED)
    assert event.actor == superuser and event.subject == person
    assert event.details == {"changes": {"is_staff": [False, True]}}


def _region_admin_form(region: Organisation, rows: list[dict]) -> dict:
    """The admin's change form of a region with its member rows (``id`` empty for a new one)."""
    data = {"name": region.name, "kind": region.kind, "provider_type": "", "organisation_number": "",
            "kommun": "", "lan": region.lan_id, "website": "", "accepted_terms_at_0": "", "accepted_terms_at_1": "",
            "accepted_terms_version": "", "memberships-TOTAL_FORMS": len(rows),
            "memberships-INITIAL_FORMS": sum(1 for row in rows if row.get("id")),
            "memberships-MIN_NUM_FORMS": 0, "memberships-MAX_NUM_FORMS": 1000}
    for n, row in enumerate(rows):
        data |= {f"memberships-{n}-{key}": value for key, value in row.items()}
        data[f"memberships-{n}-organisation"] = region.pk
    return data


def test_coordinators_added_changed_and_removed_by_staff_in_the_admin_are_recorded(client, taxonomy):
    superuser = _superuser()
    region = make_region("17")
    first = region.memberships.get()
    coordinator = make_user("ny-koordinator@region.example")
    client.force_login(superuser)
    url = reverse("admin:organisations_organisation_change", args=[region.pk])
    kept = {"id": first.pk, "user": first.user_id, "role": "admin"}

    added = client.post(url, _region_admin_form(region, [kept, {"id": "", "user": coordinator.pk, "role": "member"}]))
    assert added.status_code == 302, added.content.decode()[:3000]
    new = region.memberships.get(user=coordinator)
    changed = client.post(url, _region_admin_form(region, [kept, {"id": new.pk, "user": coordinator.pk, "role": "admin"}]))
    assert changed.status_code == 302
    removed = client.post(url, _region_admin_form(
        region, [kept, {"id": new.pk, "user": coordinator.pk, "role": "admin", "DELETE": "on"}]))
    assert removed.status_code == 302

    [joined], [promoted], [gone] = _events(A.MEMBER_ADDED), _events(A.ROLE_CHANGED), _events(A.MEMBER_REMOVED)
    assert joined.actor == superuser and joined.subject == coordinator and joined.organisation == region
    assert joined.details == {"role": "member", "how": "staff"}
    assert promoted.details == {"old_role": "member", "new_role": "admin"} and promoted.actor == superuser
    assert gone.subject == coordinator and gone.details == {"role": "admin"}
    assert [e.type for e in region.events.order_by("pk")] == ["member_joined", "role_changed", "member_removed"]


def test_saving_a_region_in_the_admin_without_member_changes_records_nothing(client, taxonomy):
    superuser, region = _superuser(), make_region("17")
    first = region.memberships.get()
    client.force_login(superuser)
    response = client.post(reverse("admin:organisations_organisation_change", args=[region.pk]),
                           _region_admin_form(region, [{"id": first.pk, "user": first.user_id, "role": "admin"}]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(organisation=region).exists() and not region.events.exists()


def test_only_staff_with_the_admins_right_may_record_membership_changes(taxonomy):
    from django.core.exceptions import PermissionDenied

    from matchplats.organisations.services import memberships_record_staff_changes
    region = make_region("17")
    for person in (admin_of(region), make_user("personal-utan-ratt@matchplats.example", staff=True)):
        with pytest.raises(PermissionDenied):
            memberships_record_staff_changes(organisation=region, actor=person, before={})
    assert not AuditEvent.objects.filter(organisation=region).exists()


def test_every_download_is_recorded_once_with_its_view_and_query(client, taxonomy):
    employer = make_organisation(Organisation.Kind.EMPLOYER)
    make_need(employer)
    user = admin_of(employer)
    client.force_login(user)
    response = client.get(reverse("employers:export", args=["csv"]), {"organisation": employer.pk})
    assert response.status_code == 200
    [event] = _events(A.EXPORT)
    assert event.actor == user and event.organisation == employer
    assert event.object_type == "view" and event.object_id == "employers:export"
    assert event.details["file"] == "kompetensbehov.csv" and event.details["arguments"] == {"file_format": "csv"}
    assert event.details["query"] == f"organisation={employer.pk}"


def test_a_page_that_is_not_a_download_records_nothing(client, taxonomy):
    client.get(reverse("employers:list"))
    client.get(reverse("employers:export", args=["pdf"]))  # 404: not a format
    assert not AuditEvent.objects.exists()


def test_a_visitors_download_is_recorded_without_a_person(client, taxonomy):
    client.get(reverse("providers:export", args=["xlsx"]))
    [event] = _events(A.EXPORT)
    assert event.actor is None and event.actor_pseudonym == "" and event.object_id == "providers:export"


def test_only_platform_staff_read_the_audit_log_and_nobody_edits_it(client, taxonomy):
    organisation = make_organisation(Organisation.Kind.EMPLOYER)
    event = AuditEvent.objects.get(action=A.MEMBER_ADDED)
    client.force_login(admin_of(organisation))
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 302  # to the admin login
    staff = make_user(staff=True)
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    client.post(reverse("admin:accounts_auditevent_change", args=[event.pk]), {"action": "export"})
    assert client.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.action == A.MEMBER_ADDED


def test_an_organisations_admins_read_its_audit_log_and_its_members_and_outsiders_do_not(client, taxonomy):
    organisation = make_organisation(Organisation.Kind.EMPLOYER, name="Loggen AB")
    admin = admin_of(organisation)
    member = add_member(organisation)
    outsider = admin_of(make_organisation(Organisation.Kind.EMPLOYER))
    url = reverse("organisations:audit", args=[organisation.pk])
    for person in (member, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.force_login(admin)
    page = client.get(url)
    assert page.status_code == 200
    assert admin.email in page.content.decode()  # a member now: shown by address


def test_the_organisations_log_shows_its_members_downloads_but_not_an_outsiders_nor_other_organisations(
        client, taxonomy):
    organisation = make_organisation(Organisation.Kind.EMPLOYER, name="Loggen AB")
    other = make_organisation(Organisation.Kind.EMPLOYER, name="Annan AB")
    admin = admin_of(organisation)
    outsider = make_user("nyfiken@example.se")
    leaver = add_member(organisation, make_user("slutat@example.se"))
    membership_remove(membership=Membership.objects.get(user=leaver, organisation=organisation), actor=admin)
    for person in (admin, outsider):
        client.force_login(person)
        client.get(reverse("employers:export", args=["csv"]), {"organisation": organisation.pk})
    client.force_login(admin_of(other))
    client.get(reverse("employers:export", args=["xlsx"]), {"organisation": other.pk})

    client.force_login(admin)
    text = client.get(reverse("organisations:audit", args=[organisation.pk])).content.decode()
    assert "kompetensbehov.csv" in text and "kompetensbehov.xlsx" not in text
    assert "nyfiken@example.se" not in text and pseudonym("nyfiken@example.se") not in text
    assert "slutat@example.se" not in text and pseudonym("slutat@example.se") in text  # a former member
    assert text.count("kompetensbehov.csv") == 1


def test_the_prune_command_removes_only_events_older_than_the_retention(settings, taxonomy):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    settings.AUDIT_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    old = AuditEvent.objects.create(action=A.EXPORT, at=now - dt.timedelta(days=31))
    kept = AuditEvent.objects.create(action=A.EXPORT, at=now - dt.timedelta(days=29))
    out = io.StringIO()
    call_command("prune_audit_log", "--now", now.isoformat(), stdout=out)
    assert "1 audit events older than 30 days removed" in out.getvalue()
    assert not AuditEvent.objects.filter(pk=old.pk).exists() and AuditEvent.objects.filter(pk=kept.pk).exists()
