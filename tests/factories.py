"""Builders for test data, written through the services so invariants hold."""

from __future__ import annotations

import itertools

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from matchplats.organisations.models import Membership, Organisation
from matchplats.organisations.services import organisation_create
from matchplats.taxonomy.models import Kommun, Lan

PASSWORD = "ett-långt-testlösenord"
_counter = itertools.count(1)


def make_user(email: str | None = None, *, verified: bool = True, staff: bool = False):
    email = email or f"person{next(_counter)}@example.se"
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, is_staff=staff)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def make_organisation(kind: str, *, admin=None, name: str | None = None, kommun_code: str = "1780") -> Organisation:
    admin = admin or make_user()
    return organisation_create(
        creator=admin, name=name or f"{kind.title()} {next(_counter)}", kind=kind,
        kommun=Kommun.objects.get(code=kommun_code), accepted_terms=True,
    )


def make_region(lan_code: str, *, coordinator=None) -> Organisation:
    """Regions are created by staff in the admin; tests create them the same way (directly)."""
    region = Organisation.objects.create(name=f"Region {lan_code}", kind=Organisation.Kind.REGION,
                                         lan=Lan.objects.get(code=lan_code))
    Membership.objects.create(user=coordinator or make_user(), organisation=region, role=Membership.Role.ADMIN)
    return region


def add_member(organisation: Organisation, user=None, role: str = Membership.Role.MEMBER):
    user = user or make_user()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def admin_of(organisation: Organisation):
    return organisation.memberships.filter(role=Membership.Role.ADMIN).first().user


@pytest.fixture
def employer_a(taxonomy):
    return make_organisation(Organisation.Kind.EMPLOYER, name="Arbetsgivare A", kommun_code="1780")


@pytest.fixture
def employer_b(taxonomy):
    return make_organisation(Organisation.Kind.EMPLOYER, name="Arbetsgivare B", kommun_code="1880")


@pytest.fixture
def provider_a(taxonomy):
    return make_organisation(Organisation.Kind.PROVIDER, name="Anordnare A", kommun_code="1780")


@pytest.fixture
def provider_b(taxonomy):
    return make_organisation(Organisation.Kind.PROVIDER, name="Anordnare B", kommun_code="1880")


@pytest.fixture
def region_a(taxonomy):
    """Region Värmland (län 17)."""
    return make_region("17")


@pytest.fixture
def region_b(taxonomy):
    """Region Örebro län (län 18)."""
    return make_region("18")


@pytest.fixture
def coordinator(region_a):
    return admin_of(region_a)


def make_need(organisation: Organisation, *, visibility: str = "public", kommun_code: str | None = None,
              ssyk4: str = "5321", title: str | None = None, headcount: int = 3, horizon: str = "1y", actor=None):
    from employers.services import need_create
    from matchplats.taxonomy.models import SsykGroup

    kommun = Kommun.objects.get(code=kommun_code) if kommun_code else organisation.kommun
    return need_create(
        actor=actor or admin_of(organisation), organisation=organisation, ssyk4=SsykGroup.objects.get(code=ssyk4),
        title=title or f"Behov {next(_counter)}", headcount=headcount, horizon=horizon, kommun=kommun,
        visibility=visibility,
    )


def make_programme(provider: Organisation, *, name: str | None = None, kommun_code: str = "1780", actor=None,
                   ssyk4: tuple[str, ...] = ("5321",)):
    import datetime as dt

    from matchplats.taxonomy.models import SsykGroup
    from providers.services import IntakeSpec, programme_create

    return programme_create(
        actor=actor or admin_of(provider), provider=provider, name=name or f"Utbildning {next(_counter)}", form="yh",
        target_occupations=SsykGroup.objects.filter(code__in=ssyk4), kommuner=Kommun.objects.filter(code=kommun_code),
        intakes=[IntakeSpec(dt.date(2027, 8, 30), 25)],
    )
