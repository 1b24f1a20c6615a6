import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matchplats.taxonomy.models import Kommun, SsykGroup
from providers.models import Intake, Programme, ProgrammeEvent, ValidationPath
from providers.services import (
    IntakeSpec,
    myh_derived_intakes,
    programme_create,
    programme_update,
    validation_path_create,
    validation_path_update,
)
from tests.factories import add_member, admin_of, make_programme

pytestmark = pytest.mark.django_db


def test_myh_rounds_become_autumn_intakes_of_the_following_years():
    intakes = myh_derived_intakes(application_round=2024, places_per_round=[30, 30, None, 0, None])
    assert [(i.start_date, i.places, i.derived) for i in intakes] == [
        (dt.date(2025, 9, 1), 30, True), (dt.date(2026, 9, 1), 30, True)]


def test_a_provider_member_posts_a_programme_with_places_and_intakes(provider_a):
    member = add_member(provider_a)
    programme = programme_create(
        actor=member, provider=provider_a, name="Undersköterska, distans", form="yrkesvux",
        target_occupations=SsykGroup.objects.filter(code="5321"), kommuner=Kommun.objects.filter(code="1780"),
        intakes=[IntakeSpec(dt.date(2027, 1, 12), 24, dt.date(2026, 11, 30))], seqf_level=4,
    )
    assert programme.created_by == member and programme.intakes.get().places == 24
    assert programme.events.get().type == ProgrammeEvent.Type.CREATED


def test_only_members_of_a_provider_post_or_change_its_programmes(provider_a, provider_b, employer_a):
    with pytest.raises(PermissionDenied):
        make_programme(provider_a, actor=admin_of(provider_b))
    with pytest.raises(ValidationError, match="Only education providers"):
        make_programme(employer_a)
    programme = make_programme(provider_a)
    with pytest.raises(PermissionDenied):
        programme_update(programme=programme, actor=admin_of(provider_b), name="Kapad")
    programme.refresh_from_db()
    assert programme.name != "Kapad" and Programme.objects.count() == 1


def test_a_bad_intake_refuses_the_whole_programme(provider_a):
    with pytest.raises(ValidationError):
        programme_create(actor=admin_of(provider_a), provider=provider_a, name="X", form="yh",
                         intakes=[IntakeSpec(dt.date(2027, 1, 1), -5)])
    assert not Programme.objects.exists() and not Intake.objects.exists()


def test_an_update_records_changed_fields_places_and_intakes(provider_a):
    programme = make_programme(provider_a, name="Gammalt namn")
    programme_update(programme=programme, actor=admin_of(provider_a), name="Nytt namn",
                     intakes=[IntakeSpec(dt.date(2027, 8, 30), 30)], kommuner=Kommun.objects.filter(code__in=["1780", "1784"]))
    changes = programme.events.first().data["changes"]
    assert changes["name"] == ["Gammalt namn", "Nytt namn"]
    assert changes["intakes"] == [[["2027-08-30", 25, None]], [["2027-08-30", 30, None]]]
    assert changes["kommuner"] == [["1780"], ["1780", "1784"]]
    assert programme.intakes.get().places == 30


def test_an_unchanged_update_writes_no_event(provider_a):
    programme = make_programme(provider_a)
    programme_update(programme=programme, actor=admin_of(provider_a), name=programme.name,
                     intakes=[IntakeSpec(dt.date(2027, 8, 30), 25)])
    assert programme.events.count() == 1


def test_validation_paths_belong_to_their_organiser(provider_a, provider_b):
    path = validation_path_create(actor=admin_of(provider_a), organiser=provider_a, name="Branschvalidering kock",
                                  method="branch_model", occupations=SsykGroup.objects.filter(code="5120"))
    with pytest.raises(PermissionDenied):
        validation_path_update(path=path, actor=admin_of(provider_b), name="Kapad")
    with pytest.raises(PermissionDenied):
        validation_path_create(actor=admin_of(provider_b), organiser=provider_a, name="X", method="other")
    assert ValidationPath.objects.get().name == "Branschvalidering kock"
