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


def test_the_history_tells_municipalities_occupations_and_intakes_by_name(provider_a):
    from matchplats.core.history import Change
    from providers.models import ProgrammeEvent
    from providers.selectors import programme_history
    from providers.services import IntakeSpec, programme_update
    from tests.factories import admin_of

    programme = make_programme(provider_a)
    programme_update(programme=programme, actor=admin_of(provider_a), distance=True,
                     kommuner=Kommun.objects.filter(code__in=["1780", "1784"]),
                     target_occupations=SsykGroup.objects.filter(code__in=["5321", "5323"]),
                     intakes=[IntakeSpec(start_date=dt.date(2028, 1, 10), places=30,
                                         application_deadline=dt.date(2027, 11, 1))])
    changes = {line.label: line for line in programme_history(programme=programme)[0].changes}
    assert changes["Distance / remote"] == Change(label="Distance / remote", old="No", new="Yes")
    assert changes["Municipalities"].added == ["Arvika"] and not changes["Municipalities"].removed
    assert changes["Target occupations (SSYK)"].added == [SsykGroup.objects.get(code="5323").label]
    assert changes["Intakes"].added == ["start 2028-01-10, 30 places, apply by 2027-11-01"]
    assert len(changes["Intakes"].removed) == 1 and "[" not in changes["Intakes"].removed[0]

    ProgrammeEvent.objects.create(programme=programme, type=ProgrammeEvent.Type.IMPORT_UPDATED, data={
        "file": "utbildningar.csv", "row": 3,
        "changes": {"derived_intakes": [["2027-08-20: 25"], ["2027-08-20: 25", "2028-08-20: 1 (2028-04-15)"]]}})
    (line,) = programme_history(programme=programme)[0].changes
    assert line == Change(label="Intakes (derived from the MYH round)",
                          added=["start 2028-08-20, 1 place, apply by 2028-04-15"], removed=[])
