import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from employers.models import Need, NeedEvent
from employers.services import need_create, need_set_status, need_update, needed_by_for
from matchplats.taxonomy.models import Kommun, Lan, OccupationName, SsykGroup
from tests.factories import add_member, admin_of, make_need, make_organisation

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def _create(organisation, actor=None, **overrides):
    fields = dict(actor=actor or admin_of(organisation), organisation=organisation,
                  ssyk4=SsykGroup.objects.get(code="5321"), title="Undersköterskor", headcount=12, horizon="1y",
                  kommun=Kommun.objects.get(code="1780"), today=TODAY)
    fields.update(overrides)
    return need_create(**fields)


@pytest.mark.parametrize(("horizon", "expected"), [("now", TODAY), ("1y", dt.date(2027, 11, 23)),
                                                    ("1-3y", dt.date(2029, 11, 23)), ("3-5y", dt.date(2031, 11, 23))])
def test_the_chosen_horizon_is_stored_as_a_needed_by_date(employer_a, horizon, expected):
    assert _create(employer_a, horizon=horizon).needed_by == expected


def test_a_horizon_chosen_on_29_february_lands_on_28_february():
    assert needed_by_for(horizon="1y", today=dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_a_need_takes_its_lan_from_its_kommun_and_records_who_created_it(employer_a):
    need = _create(employer_a)
    assert need.lan.code == "17" and need.created_by == admin_of(employer_a)
    assert need.events.get().type == NeedEvent.Type.CREATED


def test_a_need_for_the_whole_lan_has_no_kommun(employer_a):
    need = _create(employer_a, kommun=None, lan=Lan.objects.get(code="17"))
    assert need.kommun is None and need.lan.code == "17"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"headcount": 0}, "headcount"),
        ({"headcount": 10_001}, "headcount"),
        ({"title": "   "}, "title"),
        ({"horizon": "sometime"}, "horizon"),
        ({"kommun": None}, "kommun"),
        ({"seqf_level": 9}, "seqf_level"),
        ({"visibility": "secret"}, "visibility"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_written(employer_a, overrides, field):
    with pytest.raises(ValidationError) as error:
        _create(employer_a, **overrides)
    assert field in error.value.message_dict
    assert not Need.objects.exists() and not NeedEvent.objects.exists()


def test_a_kommun_outside_the_chosen_lan_is_refused(employer_a):
    with pytest.raises(ValidationError, match="is not in"):
        _create(employer_a, lan=Lan.objects.get(code="18"))


def test_an_occupation_name_must_belong_to_the_chosen_group(employer_a):
    with pytest.raises(ValidationError, match="does not belong to SSYK 2512"):
        _create(employer_a, ssyk4=SsykGroup.objects.get(code="2512"),
                occupation_name=OccupationName.objects.get(concept_id="bSEB_VKd_Ub3"))


def test_a_three_digit_group_is_not_an_occupation_group(employer_a):
    with pytest.raises(ValidationError, match="four-digit"):
        _create(employer_a, ssyk4=SsykGroup.objects.get(code="532"))


def test_only_members_register_needs_for_an_employer(employer_a, employer_b, provider_a):
    with pytest.raises(PermissionDenied):
        _create(employer_a, actor=admin_of(employer_b))
    with pytest.raises(ValidationError, match="Only employers"):
        _create(provider_a)
    assert not Need.objects.exists()


def test_an_update_records_exactly_what_changed(employer_a):
    need = make_need(employer_a, headcount=3)
    member = add_member(employer_a)
    need_update(need=need, actor=member, headcount=5, title="Nya titeln")
    event = need.events.first()
    assert event.type == NeedEvent.Type.UPDATED and event.actor == member
    assert event.data["changes"] == {"headcount": [3, 5], "title": [need.title, "Nya titeln"]}


def test_an_update_that_changes_nothing_writes_no_event(employer_a):
    need = make_need(employer_a)
    need_update(need=need, actor=admin_of(employer_a), headcount=need.headcount)
    assert need.events.count() == 1


def test_rechoosing_the_horizon_moves_needed_by_from_today(employer_a):
    need = make_need(employer_a, horizon="1y")
    need_update(need=need, actor=admin_of(employer_a), horizon="3-5y", today=TODAY)
    need.refresh_from_db()
    assert need.needed_by == dt.date(2031, 11, 23)


def test_another_organisation_cannot_update_or_withdraw_a_need(employer_a, employer_b):
    need = make_need(employer_a)
    with pytest.raises(PermissionDenied):
        need_update(need=need, actor=admin_of(employer_b), headcount=99)
    with pytest.raises(PermissionDenied):
        need_set_status(need=need, actor=admin_of(employer_b), status="withdrawn")
    need.refresh_from_db()
    assert need.headcount == 3 and need.status == "active"


def test_withdrawing_a_need_is_recorded(employer_a):
    need = make_need(employer_a)
    need_set_status(need=need, actor=admin_of(employer_a), status=Need.Status.WITHDRAWN)
    event = need.events.first()
    assert event.type == NeedEvent.Type.STATUS_CHANGED and event.data == {"old": "active", "new": "withdrawn"}


def test_an_unknown_status_is_refused(employer_a):
    with pytest.raises(ValidationError):
        need_set_status(need=make_need(employer_a), actor=admin_of(employer_a), status="gone")


def test_a_need_moved_to_another_lan_by_kommun_follows_it(employer_a):
    need = make_need(employer_a)
    need_update(need=need, actor=admin_of(employer_a), kommun=Kommun.objects.get(code="1880"))
    need.refresh_from_db()
    assert need.lan.code == "18"


def test_needs_of_one_organisation_in_another_region_are_independent(taxonomy):
    other = make_organisation("employer", kommun_code="1880")
    need = make_need(other)
    assert need.lan.code == "18"



def test_an_import_for_one_employer_cannot_create_employers_or_write_anothers_needs(employer_a, employer_b):
    from employers.importing import NeedImportResult
    from employers.services import need_import_rows
    from matchplats.core.import_plans import RowPlan
    from matchplats.organisations.models import Organisation

    member = add_member(employer_a)
    result = NeedImportResult(file_format="csv", file_name="b.csv", dry_run=False)
    other = RowPlan(row=2, obj=Need(organisation=employer_b, title="Kapad"))
    with pytest.raises(PermissionDenied):
        need_import_rows(actor=member, organisation=employer_a, result=result, plans=[other], new_employers=[])
    with pytest.raises(PermissionDenied):
        need_import_rows(actor=member, organisation=employer_a, result=result, plans=[],
                         new_employers=[Organisation(name="Ny AB", kind=Organisation.Kind.EMPLOYER)])
    assert not Need.objects.exists() and not Organisation.objects.filter(name="Ny AB").exists()
