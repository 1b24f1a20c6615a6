"""Reads of programmes: filters and the places a listed programme shows."""

import datetime as dt

import pytest

from matchplats.taxonomy.models import Kommun, Lan, SsykGroup
from providers.models import Intake, Programme
from providers.selectors import ProgrammeFilters, programmes_filtered, programmes_listed
from tests.factories import make_programme

pytestmark = pytest.mark.django_db


def test_a_programme_given_in_two_kommuner_of_the_filtered_county_counts_its_places_once(provider_a):
    programme = make_programme(provider_a)  # one intake of 25 places
    programme.kommuner.set(Kommun.objects.filter(code__in=["1780", "1784"]))
    Intake.objects.create(programme=programme, start_date=dt.date(2028, 8, 28), places=10)
    for filters in (ProgrammeFilters(), ProgrammeFilters(lan=Lan.objects.get(code="17").pk),
                    ProgrammeFilters(ssyk="53", lan=Lan.objects.get(code="17").pk)):
        (listed,) = programmes_filtered(programmes_listed(), filters)
        assert listed.total_places == 35


def test_the_planned_supply_and_occupation_field_filters(provider_a):
    care = make_programme(provider_a, ssyk4=("5321",))
    teacher = make_programme(provider_a, ssyk4=("2341",))
    Programme.objects.filter(pk=teacher.pk).update(status=Programme.Status.APPLIED)
    field = SsykGroup.objects.get(code="5321").occupation_field_id
    assert list(programmes_filtered(programmes_listed(), ProgrammeFilters(occupation_field=field))) == [care]
    assert list(programmes_filtered(programmes_listed(), ProgrammeFilters(planned=True))) == [care]
