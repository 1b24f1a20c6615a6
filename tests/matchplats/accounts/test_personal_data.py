"""A person's own data (matchplats/accounts/services.py): the JSON export has everything about them,
and deleting the account removes them everywhere while what they wrote stays, anonymous."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse

from dialogues import services as dialogue_services
from dialogues.live import state
from dialogues.live.services import Viewer, participant_for_member, question_ask
from dialogues.models import ArenaSession, Participant, Question
from employers.models import Need
from matching.models import DigestSubscription, MatchFeedback
from matchplats.accounts.models import AuditEvent
from matchplats.accounts.pseudonyms import pseudonym
from matchplats.accounts.services import person_data_export, person_delete
from matchplats.organisations.models import Membership, Organisation
from matchplats.organisations.services import invitation_accept, invitation_create, membership_set_role
from providers.models import ProgrammeBacking
from tests.dialogues.conftest import make_session, world  # noqa: F401 (a fixture)
from tests.factories import PASSWORD, add_member, make_need, make_organisation, make_programme, make_user

pytestmark = pytest.mark.django_db
EMAIL = "anna.andersson@omsorg.example"
NAME = "Anna Andersson"


@pytest.fixture
def anna(world):  # noqa: F811
    """A member of the arena world's employer who has left traces everywhere."""
    anna = make_user(EMAIL)
    anna.full_name = NAME
    anna.save()
    invitation = invitation_create(organisation=world.employer, inviter=world.employer_user, email=EMAIL,
                                   accept_url_for=lambda invitation: "https://x/")
    membership = invitation_accept(invitation=invitation, user=anna)
    membership_set_role(membership=membership, actor=world.employer_user, role=Membership.Role.ADMIN)
    EmailAddress.objects.create(user=anna, email="anna.privat@example.se", verified=True)
    need = make_need(world.employer, title="Undersköterskor till natten", actor=anna)
    MatchFeedback.objects.create(user=anna, need=need, programme=make_programme(world.provider), relevant=True)
    DigestSubscription.objects.create(user=anna, need=need)
    ProgrammeBacking.objects.create(programme=make_programme(world.provider), employer=world.employer,
                                    contact_requested=True, contact_email=EMAIL.upper())
    dialogue_services.arena_member_add(actor=world.coordinator, arena=world.arena, user=anna)
    dialogue_services.arena_host_set(actor=world.coordinator, arena=world.arena, user=anna, host=True)
    session = make_session(world)
    session = dialogue_services.session_state_set(actor=world.coordinator, session=session,
                                                  state=ArenaSession.State.LIVE)
    participant = participant_for_member(user=anna, session=session)
    question_ask(Viewer(session_id=session.pk, audience=state.MEMBER, user=anna, participant_id=participant.pk),
                 session, {"text": "Hur många platser finns i höst?"})
    return anna


def _tables_mentioning(text: str) -> list[str]:
    """Every model's text and JSON columns searched for ``text`` (case-insensitive)."""
    found = []
    for model in apps.get_models():
        fields = [field for field in model._meta.concrete_fields
                  if isinstance(field, (models.CharField, models.TextField, models.JSONField))]
        if not fields or model._meta.app_label == "taxonomy":
            continue
        query = Q()
        annotations = {}
        for field in fields:
            name = f"_t_{field.attname}"
            annotations[name] = Cast(field.attname, TextField())
            query |= Q(**{f"{name}__icontains": text})
        if model._default_manager.annotate(**annotations).filter(query).exists():
            found.append(model._meta.label)
    return found


def test_the_export_holds_the_profile_addresses_memberships_content_live_answers_and_audit_trail(anna, world):  # noqa: F811
    data = person_data_export(user=anna)
    assert data["profile"]["email"] == EMAIL and data["profile"]["name"] == NAME
    assert {row["email"] for row in data["email_addresses"]} == {EMAIL, "anna.privat@example.se"}
    assert data["memberships"] == [{"organisation": "Omsorg AB", "kind": "employer", "role": "admin",
                                    "since": data["memberships"][0]["since"]}]
    assert [row["organisation"] for row in data["invitations"]] == ["Omsorg AB"]
    assert [row["title"] for row in data["needs_created"]] == ["Undersköterskor till natten"]
    assert [row["need"] for row in data["followed"]] == [data["needs_created"][0]["id"]]
    assert [row["relevant"] for row in data["match_feedback"]] == [True]
    assert [row["employer"] for row in data["contact_address_in_programme_backings"]] == ["Omsorg AB"]
    assert data["arena_memberships"][0]["role"] == "host"
    [live] = data["live_sessions"]
    assert live["display_name"] == "anna.andersson" and live["questions"][0]["text"] == "Hur många platser finns i höst?"
    actions = {row["action"] for row in data["audit_events"]}
    assert {"member_invited", "member_added", "role_changed", "arena_access_changed"} <= actions
    assert json.dumps(data, ensure_ascii=False)  # all of it is JSON as it stands
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PERSONAL_DATA_EXPORTED, subject=anna).count() == 1


def test_the_export_says_whether_two_step_sign_in_is_on_but_holds_no_key_nor_recovery_code(anna):
    totp = TOTP.activate(anna, "JBSWY3DPEHPK3PXP").instance
    codes = RecoveryCodes.activate(anna)
    data = person_data_export(user=anna)
    assert [row["kind"] for row in data["two_step_sign_in"]] == ["totp", "recovery_codes"]
    assert data["two_step_sign_in"][0]["since"] == totp.created_at.isoformat()
    text = json.dumps(data, ensure_ascii=False)
    assert "JBSWY3DPEHPK3PXP" not in text and totp.data["secret"] not in text
    assert not any(code in text for code in codes.get_unused_codes())


def test_the_export_holds_nothing_of_another_person(anna, world):  # noqa: F811
    text = json.dumps(person_data_export(user=world.person), ensure_ascii=False)
    assert EMAIL not in text and NAME not in text and "Undersköterskor till natten" not in text


def test_a_wrong_password_refuses_the_deletion_and_changes_nothing(anna, world):  # noqa: F811
    add_member(world.employer, role=Membership.Role.ADMIN)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="password"):
        person_delete(user=anna, password="fel-lösenord")
    assert get_user_model().objects.filter(email=EMAIL).exists() and AuditEvent.objects.count() == before


def test_the_last_administrator_of_an_organisation_is_told_to_hand_it_over_first(taxonomy):
    founder = make_user("ensam@example.se")
    make_organisation(Organisation.Kind.EMPLOYER, admin=founder, name="Ensam AB")
    with pytest.raises(ValidationError) as refused:
        person_delete(user=founder, password=PASSWORD)
    assert "Ensam AB" in refused.value.messages[0] and "administrator" in refused.value.messages[0]
    assert get_user_model().objects.filter(pk=founder.pk).exists()


def test_after_deletion_the_address_and_name_appear_nowhere_and_the_content_stays_anonymous(anna, world):  # noqa: F811
    need = Need.objects.get(title="Undersköterskor till natten")
    question = Question.objects.get()
    assert "organisations.OrganisationEvent" in _tables_mentioning(EMAIL)  # the trails did name her
    assert "dialogues.LiveEvent" in _tables_mentioning('"anna.andersson"')  # as the question's author
    name = pseudonym(EMAIL)

    assert person_delete(user=anna, password=PASSWORD) == name

    assert _tables_mentioning(EMAIL) == [] and _tables_mentioning("anna.privat@example.se") == []
    assert _tables_mentioning(NAME) == []
    assert "dialogues.LiveEvent" not in _tables_mentioning('"anna.andersson"')  # her name in the live session
    need.refresh_from_db()
    assert need.created_by is None and need.organisation == world.employer  # the need stays with the employer
    question.refresh_from_db()
    participant = Participant.objects.get(pk=question.participant_id)
    assert participant.user is None and participant.anonymous and participant.display_name == ""
    assert not Membership.objects.filter(organisation=world.employer, user__email=EMAIL).exists()
    assert not DigestSubscription.objects.exists() and not MatchFeedback.objects.exists()
    backing = ProgrammeBacking.objects.get()
    assert backing.employer == world.employer and backing.contact_requested and backing.contact_email == ""
    # The audit trail keeps the pseudonym, and says the account was deleted.
    trail = AuditEvent.objects.filter(Q(actor_pseudonym=name) | Q(subject_pseudonym=name))
    assert trail.filter(action=AuditEvent.Action.ROLE_CHANGED, subject__isnull=True).exists()
    assert trail.filter(action=AuditEvent.Action.ACCOUNT_DELETED, actor__isnull=True).count() == 1
    assert world.employer.events.filter(data__email=name).exists()


def test_the_page_needs_a_sign_in_and_the_download_is_a_post(client, taxonomy):
    assert client.get(reverse("accounts:personal_data")).status_code == 302
    user = make_user()
    client.force_login(user)
    page = client.get(reverse("accounts:personal_data"))
    assert page.status_code == 200 and reverse("accounts:delete") in page.content.decode()
    assert client.get(reverse("accounts:personal_data_download")).status_code == 405
    response = client.post(reverse("accounts:personal_data_download"))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="matchplats-mina-uppgifter-')
    assert json.loads(response.content)["profile"]["email"] == user.email
    # Recorded once, as the person's own data, not again as an export.
    assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.PERSONAL_DATA_EXPORTED).count() == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_deleting_through_the_page_signs_out_and_a_wrong_password_says_so(client, taxonomy):
    user = make_user("lamnar@example.se")
    client.force_login(user)
    wrong = client.post(reverse("accounts:delete"), {"password": "fel"})
    assert wrong.status_code == 400 and "Lösenordet är inte rätt" in wrong.content.decode()
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="lamnar@example.se").exists()


def test_another_person_cannot_delete_an_account_through_the_page(client, taxonomy):
    """The page deletes the signed-in person only; there is no id to change."""
    victim, attacker = make_user("offer@example.se"), make_user("angripare@example.se")
    client.force_login(attacker)
    client.post(reverse("accounts:delete"), {"password": PASSWORD, "user": victim.pk, "email": victim.email})
    assert get_user_model().objects.filter(pk=victim.pk).exists()
    assert not get_user_model().objects.filter(pk=attacker.pk).exists()
