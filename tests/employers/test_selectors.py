"""Reads of competence needs: the history a need's owner sees."""

import datetime as dt

import pytest

from employers.models import NeedEvent
from employers.selectors import need_history
from employers.services import need_set_status, need_update
from matchplats.core.history import Change
from matchplats.taxonomy.models import Kommun, Skill
from tests.factories import admin_of, make_need

pytestmark = pytest.mark.django_db


def test_the_history_tells_an_edit_with_labels_and_human_values(employer_a):
    need = make_need(employer_a, headcount=12, horizon="1y")
    actor = admin_of(employer_a)
    need_update(need=need, actor=actor, headcount=15, horizon="1-3y", validation_accepted=True,
                kommun=Kommun.objects.get(code="1784"))
    (updated, created) = need_history(need=need)
    assert (updated.title, created.title) == ("Updated", "Created")
    assert updated.actor == actor
    assert Change(label="How many people", old="12", new="15") in updated.changes
    assert Change(label="When", old="Within 1 year", new="1–3 years") in updated.changes
    assert Change(label="Validation of prior learning accepted", old="No", new="Yes") in updated.changes
    assert Change(label="Municipality", old="Karlstad", new="Arvika") in updated.changes
    assert not any(name in str(updated.changes) for name in ("headcount", "1-3y", "True", "validation_accepted"))


def test_the_history_tells_a_status_change_by_its_labels(employer_a):
    need = make_need(employer_a)
    need_set_status(need=need, actor=admin_of(employer_a), status="filled")
    assert need_history(need=need)[0].changes == [Change(label="Status", old="Active", new="Filled")]


def test_the_history_tells_changed_skills_as_added_and_removed(employer_a):
    need = make_need(employer_a)
    first, second, third = Skill.objects.order_by("label")[:3]
    need_update(need=need, actor=admin_of(employer_a), skills=[first, second])
    need_update(need=need, actor=admin_of(employer_a), skills=[second, third])
    (line,) = need_history(need=need)[0].changes
    assert line == Change(label="Required skills", added=[third.label], removed=[first.label])


def test_the_history_names_the_file_and_row_of_an_import_and_the_recipients_of_a_reminder(employer_a):
    need = make_need(employer_a)
    NeedEvent.objects.create(need=need, type=NeedEvent.Type.IMPORT_UPDATED,
                             data={"changes": {"headcount": [3, 4]}, "file": "behov.csv", "row": 7})
    NeedEvent.objects.create(need=need, type=NeedEvent.Type.REMINDED, created_at=need.created_at + dt.timedelta(1),
                             data={"valid_until": "2027-01-01", "recipients": 2})
    reminded, imported = need_history(need=need)[:2]
    assert reminded.note == "2 recipients"
    assert imported.note == "file behov.csv, row 7"
    assert imported.changes == [Change(label="How many people", old="3", new="4")]
