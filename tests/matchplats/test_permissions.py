"""The backing and evidence-pack rules of matchplats/permissions.py, each tried from the side
that should be refused."""

import pytest
from django.contrib.auth.models import AnonymousUser

from matchplats import permissions
from matchplats.organisations.models import Membership
from providers.services import programme_backing_set
from tests.factories import add_member, admin_of, make_programme, make_region, make_user

pytestmark = pytest.mark.django_db


def test_members_and_admins_of_an_employer_may_back_programmes(employer_a):
    assert permissions.may_back_programme(admin_of(employer_a), employer_a)
    assert permissions.may_back_programme(add_member(employer_a, role=Membership.Role.MEMBER), employer_a)


def test_outsiders_anonymous_visitors_and_other_employers_may_not_back_for_an_employer(employer_a, employer_b):
    assert not permissions.may_back_programme(AnonymousUser(), employer_a)
    assert not permissions.may_back_programme(make_user(), employer_a)
    assert not permissions.may_back_programme(admin_of(employer_b), employer_a)


def test_members_of_a_provider_or_region_may_not_back_as_their_own_organisation(provider_a, region_a):
    assert not permissions.may_back_programme(admin_of(provider_a), provider_a)
    assert not permissions.may_back_programme(admin_of(region_a), region_a)


def test_the_programmes_provider_coordinators_of_its_lan_and_staff_see_the_backers(provider_a, region_a):
    programme = make_programme(provider_a, kommun_code="1780")
    assert permissions.may_view_programme_backers(add_member(provider_a), programme)
    assert permissions.may_view_programme_backers(admin_of(region_a), programme)
    assert permissions.may_view_programme_backers(make_user(staff=True), programme)
    assert permissions.may_download_evidence(admin_of(region_a), programme)


def test_others_do_not_see_the_backers_or_download_the_evidence(provider_a, provider_b, employer_a, region_b):
    programme = make_programme(provider_a, kommun_code="1780")
    programme_backing_set(actor=admin_of(employer_a), programme=programme, employer=employer_a, lia_places=2)
    for user in (AnonymousUser(), make_user(), admin_of(provider_b), admin_of(region_b), admin_of(employer_a)):
        assert not permissions.may_view_programme_backers(user, programme), user
        assert not permissions.may_download_evidence(user, programme), user


def test_an_employer_sees_its_own_backing_but_not_another_employers(provider_a, employer_a, employer_b):
    programme = make_programme(provider_a)
    backing = programme_backing_set(actor=admin_of(employer_a), programme=programme, employer=employer_a,
                                    lia_places=2)
    assert permissions.may_view_backing(admin_of(employer_a), backing)
    assert permissions.may_view_backing(admin_of(provider_a), backing)
    assert not permissions.may_view_backing(admin_of(employer_b), backing)
    assert not permissions.may_view_backing(AnonymousUser(), backing)


def test_a_distance_programme_without_a_place_is_not_visible_to_every_coordinator(provider_a, region_a):
    programme = make_programme(provider_a)
    programme.kommuner.clear()
    assert not permissions.may_view_programme_backers(admin_of(region_a), programme)
    assert permissions.may_view_programme_backers(admin_of(provider_a), programme)


def test_unnamed_needs_are_shown_in_an_evidence_pack_only_from_three_employers():
    assert not permissions.may_show_unnamed_needs(employers=0)
    assert not permissions.may_show_unnamed_needs(employers=2)
    assert permissions.may_show_unnamed_needs(employers=3)


def test_a_coordinator_of_another_lan_does_not_see_backers_even_when_the_programme_spans_lan(provider_a):
    programme = make_programme(provider_a, kommun_code="1780")
    other = make_region("01")
    assert not permissions.may_view_programme_backers(admin_of(other), programme)


def test_only_an_organisations_admins_and_superusers_may_edit_its_details(employer_a, employer_b):
    superuser = make_user(staff=True)
    superuser.is_superuser = True
    superuser.save()
    assert permissions.may_edit_organisation(admin_of(employer_a), employer_a)
    assert permissions.may_edit_organisation(superuser, employer_a)
    for refused in (AnonymousUser(), make_user(), make_user(staff=True), add_member(employer_a),
                    admin_of(employer_b)):
        assert not permissions.may_edit_organisation(refused, employer_a)
