import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from matchplats.organisations.models import Invitation, Membership, Organisation, OrganisationEvent
from matchplats.organisations.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_remove,
    membership_set_role,
    organisation_create,
    organisation_update,
)
from matchplats.taxonomy.models import Kommun, Lan
from tests.factories import add_member, admin_of, make_user

pytestmark = pytest.mark.django_db(transaction=False)


def _invite(organisation, inviter, email, role=Membership.Role.MEMBER):
    return invitation_create(organisation=organisation, inviter=inviter, email=email, role=role,
                             accept_url_for=lambda inv: f"https://matchplats.example/inbjudan/{inv.token}/")


def test_anyone_signed_in_creates_an_employer_and_becomes_its_admin(taxonomy):
    user = make_user()
    organisation = organisation_create(accepted_terms=True, creator=user, name="  Vård AB ", kind=Organisation.Kind.EMPLOYER,
                                       kommun=Kommun.objects.get(code="1780"))
    assert organisation.name == "Vård AB"
    assert organisation.lan.code == "17"
    assert Membership.objects.get(organisation=organisation).user == user
    assert Membership.objects.get(organisation=organisation).role == Membership.Role.ADMIN
    assert organisation.events.get().type == OrganisationEvent.Type.CREATED


def test_the_service_refuses_an_organisation_whose_terms_were_not_accepted(taxonomy):
    user = make_user()
    with pytest.raises(ValidationError) as error:
        organisation_create(accepted_terms=False, creator=user, name="Vård AB", kind=Organisation.Kind.EMPLOYER)
    assert "accepted_terms" in error.value.message_dict
    assert not Organisation.objects.filter(name="Vård AB").exists() and not Membership.objects.filter(user=user).exists()


def test_only_staff_create_region_organisations(taxonomy):
    with pytest.raises(PermissionDenied):
        organisation_create(accepted_terms=True, creator=make_user(), name="Region X", kind=Organisation.Kind.REGION,
                            lan=Lan.objects.get(code="17"))
    assert not Organisation.objects.filter(kind=Organisation.Kind.REGION).exists()
    region = organisation_create(accepted_terms=True, creator=make_user(staff=True), name="Region Värmland", kind=Organisation.Kind.REGION,
                                 lan=Lan.objects.get(code="17"))
    assert region.lan.code == "17"


def test_a_region_without_a_lan_is_refused(taxonomy):
    with pytest.raises(ValidationError, match="county"):
        organisation_create(accepted_terms=True, creator=make_user(staff=True), name="Region ?", kind=Organisation.Kind.REGION)


def test_an_organisation_without_a_name_is_refused_and_nothing_is_written(taxonomy):
    with pytest.raises(ValidationError):
        organisation_create(accepted_terms=True, creator=make_user(), name="   ", kind=Organisation.Kind.EMPLOYER)
    assert not Organisation.objects.exists() and not Membership.objects.exists()


@pytest.mark.parametrize("name", ["Vård\nAB", "Vård\rBcc: x@example.se", "Vård\x01AB", "Vård\u2028AB"])
def test_a_control_character_in_an_organisation_name_is_refused_and_nothing_is_written(taxonomy, name):
    with pytest.raises(ValidationError, match="control characters"):
        organisation_create(accepted_terms=True, creator=make_user(), name=name, kind=Organisation.Kind.EMPLOYER)
    assert not Organisation.objects.exists() and not Membership.objects.exists()


def test_an_invitation_from_an_organisation_whose_stored_name_has_a_line_break_is_still_mailed(
        employer_a, django_capture_on_commit_callbacks):
    Organisation.objects.filter(pk=employer_a.pk).update(name="Vård\nAB")
    employer_a.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _invite(employer_a, admin_of(employer_a), "ny@example.se")
    assert len(mail.outbox) == 1 and "\n" not in mail.outbox[0].subject and "Vård AB" in mail.outbox[0].subject


def test_admin_invites_by_email_and_the_invited_person_joins(employer_a, django_capture_on_commit_callbacks):
    admin = admin_of(employer_a)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(employer_a, admin, "Ny.Person@Example.se")
    assert invitation.email == "ny.person@example.se"
    assert len(mail.outbox) == 1 and invitation.token in mail.outbox[0].body
    newcomer = make_user("ny.person@example.se")
    membership = invitation_accept(invitation=invitation, user=newcomer)
    assert membership.role == Membership.Role.MEMBER and membership.organisation == employer_a
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer and not invitation.is_open
    assert list(employer_a.events.values_list("type", flat=True))[:2] == ["member_joined", "member_invited"]


def test_an_invitation_cannot_be_accepted_by_someone_with_another_address(employer_a):
    invitation = _invite(employer_a, admin_of(employer_a), "ratt@example.se")
    with pytest.raises(PermissionDenied, match="ratt@example.se"):
        invitation_accept(invitation=invitation, user=make_user("fel@example.se"))
    assert not employer_a.memberships.filter(user__email="fel@example.se").exists()


def test_an_invitation_cannot_be_used_twice(employer_a):
    invitation = _invite(employer_a, admin_of(employer_a), "en@example.se")
    user = make_user("en@example.se")
    invitation_accept(invitation=invitation, user=user)
    with pytest.raises(ValidationError, match="expired or has already been used"):
        invitation_accept(invitation=invitation, user=user)


def test_a_member_cannot_invite_and_nothing_is_written(employer_a):
    member = add_member(employer_a)
    with pytest.raises(PermissionDenied):
        _invite(employer_a, member, "x@example.se")
    assert not Invitation.objects.exists()


def test_an_admin_of_org_a_cannot_invite_remove_or_change_roles_in_org_b(employer_a, employer_b):
    admin_a = admin_of(employer_a)
    member_b = add_member(employer_b)
    membership_b = employer_b.memberships.get(user=member_b)
    with pytest.raises(PermissionDenied):
        _invite(employer_b, admin_a, "x@example.se")
    with pytest.raises(PermissionDenied):
        membership_remove(membership=membership_b, actor=admin_a)
    with pytest.raises(PermissionDenied):
        membership_set_role(membership=membership_b, actor=admin_a, role=Membership.Role.ADMIN)
    assert employer_b.memberships.get(user=member_b).role == Membership.Role.MEMBER


def test_inviting_an_existing_member_or_twice_is_refused(employer_a):
    admin = admin_of(employer_a)
    with pytest.raises(ValidationError, match="already a member"):
        _invite(employer_a, admin, admin.email)
    _invite(employer_a, admin, "tva@example.se")
    with pytest.raises(ValidationError, match="already has an open invitation"):
        _invite(employer_a, admin, "tva@example.se")
    assert Invitation.objects.count() == 1


def test_admin_removes_a_member_and_the_removal_is_recorded(employer_a):
    admin = admin_of(employer_a)
    member = add_member(employer_a)
    membership_remove(membership=employer_a.memberships.get(user=member), actor=admin)
    assert not employer_a.memberships.filter(user=member).exists()
    event = employer_a.events.first()
    assert event.type == OrganisationEvent.Type.MEMBER_REMOVED and event.actor == admin
    assert event.data["email"] == member.email


def test_a_member_cannot_remove_another_member_but_may_leave(employer_a):
    member, other = add_member(employer_a), add_member(employer_a)
    with pytest.raises(PermissionDenied):
        membership_remove(membership=employer_a.memberships.get(user=other), actor=member)
    membership_remove(membership=employer_a.memberships.get(user=member), actor=member)
    assert set(employer_a.memberships.values_list("user", flat=True)) == {admin_of(employer_a).pk, other.pk}


def test_the_last_admin_can_neither_leave_nor_be_demoted(employer_a):
    admin = admin_of(employer_a)
    membership = employer_a.memberships.get(user=admin)
    with pytest.raises(ValidationError, match="at least one administrator"):
        membership_remove(membership=membership, actor=admin)
    with pytest.raises(ValidationError, match="at least one administrator"):
        membership_set_role(membership=membership, actor=admin, role=Membership.Role.MEMBER)
    other = add_member(employer_a)
    membership_set_role(membership=employer_a.memberships.get(user=other), actor=admin, role=Membership.Role.ADMIN)
    membership_set_role(membership=membership, actor=admin, role=Membership.Role.MEMBER)
    assert employer_a.memberships.get(user=admin).role == Membership.Role.MEMBER


def test_admin_revokes_an_open_invitation(employer_a):
    admin = admin_of(employer_a)
    invitation = _invite(employer_a, admin, "angrad@example.se")
    with pytest.raises(PermissionDenied):
        invitation_revoke(invitation=invitation, actor=add_member(employer_a))
    invitation_revoke(invitation=invitation, actor=admin)
    assert not Invitation.objects.exists()
    assert employer_a.events.first().type == OrganisationEvent.Type.INVITATION_REVOKED


def test_imports_create_only_validated_employers_and_providers_and_only_for_staff(taxonomy):
    from django.utils import timezone

    from matchplats.organisations.services import organisations_import_create

    now = timezone.now()
    with pytest.raises(PermissionDenied):
        organisations_import_create(actor=make_user(), organisations=[Organisation(name="A", kind="provider")], at=now)
    with pytest.raises(ValidationError):
        organisations_import_create(actor=None, organisations=[Organisation(name="Region", kind="region")], at=now)
    with pytest.raises(ValidationError):
        organisations_import_create(actor=None, organisations=[Organisation(name="x" * 201, kind="provider")],
                                    at=now)
    created = organisations_import_create(actor=make_user(staff=True),
                                          organisations=[Organisation(name=" Ny skola AB ", kind="provider")], at=now)
    assert created[0].pk and created[0].name == "Ny skola AB" and created[0].memberships.count() == 0
    assert created[0].events.get().data["source"] == "import"
    assert not Organisation.objects.filter(kind="region", name="Region").exists()


def test_an_organisation_number_is_stored_in_its_usual_form(taxonomy):
    organisation = organisation_create(accepted_terms=True, creator=make_user(), name="Kockarna AB", kind="employer",
                                       organisation_number="16 5560125790")
    assert organisation.organisation_number == "556012-5790"


@pytest.mark.parametrize("number", ["12345", "556012-5791"])
def test_an_invalid_organisation_number_is_refused_on_its_field_and_nothing_is_written(taxonomy, number):
    creator = make_user()
    with pytest.raises(ValidationError) as raised:
        organisation_create(accepted_terms=True, creator=creator, name="Kockarna AB", kind="employer", organisation_number=number)
    assert set(raised.value.message_dict) == {"organisation_number"}
    assert not Organisation.objects.exists() and not Membership.objects.filter(user=creator).exists()


def test_an_admin_changes_the_details_and_one_event_records_what_changed(employer_a):
    admin = admin_of(employer_a)
    ostersund = Kommun.objects.get(code="2380")
    organisation_update(organisation=employer_a, actor=admin, name="Arbetsgivare A AB", kommun=ostersund,
                        organisation_number="5560125790", website="https://a.example.se")
    employer_a.refresh_from_db()
    assert (employer_a.name, employer_a.kommun, employer_a.lan.code) == ("Arbetsgivare A AB", ostersund, "23")
    assert employer_a.organisation_number == "556012-5790" and employer_a.website == "https://a.example.se"
    event = employer_a.events.get(type=OrganisationEvent.Type.UPDATED)
    assert event.actor == admin
    assert event.data["changes"] == {
        "name": ["Arbetsgivare A", "Arbetsgivare A AB"], "kommun": ["Karlstad", "Östersund"],
        "organisation_number": ["", "556012-5790"], "website": ["", "https://a.example.se"]}


def test_saving_unchanged_details_writes_no_event(employer_a):
    organisation_update(organisation=employer_a, actor=admin_of(employer_a), name=employer_a.name,
                        kommun=employer_a.kommun)
    assert not employer_a.events.filter(type=OrganisationEvent.Type.UPDATED).exists()


def test_a_member_who_is_not_admin_cannot_change_the_details_and_nothing_is_written(employer_a):
    member = add_member(employer_a)
    with pytest.raises(PermissionDenied):
        organisation_update(organisation=employer_a, actor=member, name="Kapad AB")
    employer_a.refresh_from_db()
    assert employer_a.name == "Arbetsgivare A"
    assert not employer_a.events.filter(type=OrganisationEvent.Type.UPDATED).exists()


def test_an_admin_of_another_organisation_or_an_outsider_cannot_change_the_details(employer_a, employer_b):
    for actor in (admin_of(employer_b), make_user(), make_user(staff=True)):
        with pytest.raises(PermissionDenied):
            organisation_update(organisation=employer_a, actor=actor, name="Kapad AB")
    employer_a.refresh_from_db()
    assert employer_a.name == "Arbetsgivare A"


def test_the_kind_and_unknown_fields_cannot_be_changed(employer_a):
    with pytest.raises(ValidationError):
        organisation_update(organisation=employer_a, actor=admin_of(employer_a), kind="region")
    with pytest.raises(ValidationError):
        organisation_update(organisation=employer_a, actor=admin_of(employer_a), provider_type="yh")
    employer_a.refresh_from_db()
    assert employer_a.kind == "employer" and employer_a.provider_type == ""


@pytest.mark.parametrize(("field", "value"), [("name", "  "), ("name", "A\nB"), ("organisation_number", "12345"),
                                              ("organisation_number", "556012-5791"), ("website", "inte en adress")])
def test_bad_details_are_refused_on_their_field_and_nothing_is_written(employer_a, field, value):
    with pytest.raises(ValidationError) as raised:
        organisation_update(organisation=employer_a, actor=admin_of(employer_a),
                            **{"name": "Nytt namn", "kommun": None, field: value})
    assert field in raised.value.message_dict
    employer_a.refresh_from_db()
    assert employer_a.name == "Arbetsgivare A" and not employer_a.events.filter(type="updated").exists()


def test_a_region_keeps_its_lan_and_takes_only_a_municipality_in_it(region_a):
    admin = admin_of(region_a)
    outside = Kommun.objects.exclude(lan=region_a.lan).first()
    with pytest.raises(ValidationError) as raised:
        organisation_update(organisation=region_a, actor=admin, kommun=outside)
    assert "kommun" in raised.value.message_dict
    inside = Kommun.objects.filter(lan=region_a.lan).first()
    organisation_update(organisation=region_a, actor=admin, kommun=inside)
    region_a.refresh_from_db()
    assert region_a.kommun == inside and region_a.lan == inside.lan


def test_a_provider_changes_its_provider_type(provider_a):
    organisation_update(organisation=provider_a, actor=admin_of(provider_a), provider_type="yh")
    provider_a.refresh_from_db()
    assert provider_a.provider_type == "yh"


def _with_old_terms(organisation):
    Organisation.objects.filter(pk=organisation.pk).update(accepted_terms_version="2025-01-01")
    organisation.refresh_from_db()
    return organisation


def test_an_administrator_accepts_changed_terms_and_the_history_says_so(employer_a):
    from matchplats.core.terms import TERMS_VERSION
    from matchplats.organisations.services import organisation_accept_terms

    organisation = _with_old_terms(employer_a)
    assert organisation.needs_to_accept_terms
    accepted = organisation_accept_terms(organisation=organisation, actor=admin_of(organisation), accepted=True)
    assert accepted.accepted_terms_version == TERMS_VERSION and not accepted.needs_to_accept_terms
    event = OrganisationEvent.objects.filter(organisation=organisation).latest("pk")
    assert event.type == OrganisationEvent.Type.TERMS_ACCEPTED and event.data == {"version": TERMS_VERSION}


def test_members_staff_and_outsiders_cannot_accept_terms_for_an_organisation_and_nothing_is_written(employer_a, employer_b):
    from matchplats.organisations.services import organisation_accept_terms

    organisation = _with_old_terms(employer_a)
    events_before = OrganisationEvent.objects.count()
    staff = make_user(staff=True)
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    for person in (add_member(organisation), staff, admin_of(employer_b)):
        with pytest.raises(PermissionDenied):
            organisation_accept_terms(organisation=organisation, actor=person, accepted=True)
    organisation.refresh_from_db()
    assert organisation.accepted_terms_version == "2025-01-01" and OrganisationEvent.objects.count() == events_before


def test_terms_are_accepted_only_with_the_box_ticked_and_accepting_them_again_changes_nothing(employer_a):
    from matchplats.organisations.services import organisation_accept_terms

    organisation = _with_old_terms(employer_a)
    admin = admin_of(organisation)
    with pytest.raises(ValidationError) as refused:
        organisation_accept_terms(organisation=organisation, actor=admin, accepted=False)
    assert "Tick the box" in str(refused.value)
    organisation.refresh_from_db()
    assert organisation.needs_to_accept_terms
    organisation_accept_terms(organisation=organisation, actor=admin, accepted=True)
    events = OrganisationEvent.objects.count()
    at = Organisation.objects.get(pk=organisation.pk).accepted_terms_at
    organisation_accept_terms(organisation=organisation, actor=admin, accepted=True)
    assert OrganisationEvent.objects.count() == events and Organisation.objects.get(pk=organisation.pk).accepted_terms_at == at


def test_regions_are_never_asked_to_accept_terms(region_a):
    assert region_a.accepted_terms_version == "" and not region_a.needs_to_accept_terms
