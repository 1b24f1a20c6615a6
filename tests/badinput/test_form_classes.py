"""The forms behind the pages of test_forms.py, validated directly, so that many more random
inputs are tried than the pages allow: is_valid() always answers (never raises), and what a
valid form hands to a service carries no NUL, which PostgreSQL would refuse."""

from __future__ import annotations

import pytest
from django import forms
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogues.forms import ActionItemForm, ArenaForm, DecisionForm, GuestJoinForm, SessionForm
from employers.forms import NeedFilterForm, NeedForm
from matchplats.organisations.forms import InvitationForm, OrganisationForm
from providers.forms import IntakeFormSet, ProgrammeFilterForm, ProgrammeForm, ValidationPathForm
from tests.badinput.support import count_input, field_values

pytestmark = [pytest.mark.django_db, pytest.mark.badinput]

FORMS = {
    "need": lambda o, data: NeedForm(data, employers=[o.world.employer]),
    "need filter": lambda o, data: NeedFilterForm(data, user=o.world.employer_user),
    "programme": lambda o, data: ProgrammeForm(data),
    "intakes": lambda o, data: IntakeFormSet(data, prefix="intakes"),
    "programme filter": lambda o, data: ProgrammeFilterForm(data, user=o.world.provider_user),
    "validation path": lambda o, data: ValidationPathForm(data),
    "organisation": lambda o, data: OrganisationForm(data),
    "invitation": lambda o, data: InvitationForm(data),
    "arena": lambda o, data: ArenaForm(data, lan_ids=[o.world.arena.lan_id]),
    "session": lambda o, data: SessionForm(data),
    "decision": lambda o, data: DecisionForm(data, user=o.world.coordinator, session=o.session),
    "action item": lambda o, data: ActionItemForm(data, user=o.world.coordinator, session=o.session,
                                                  with_status=True),
    "guest join": lambda o, data: GuestJoinForm(data, allow_anonymous=True),
}
INTAKE_FIELDS = ["intakes-TOTAL_FORMS", "intakes-INITIAL_FORMS", "intakes-MIN_NUM_FORMS", "intakes-MAX_NUM_FORMS",
                 "intakes-0-start_date", "intakes-0-places", "intakes-0-application_deadline", "intakes-0-DELETE",
                 "intakes-1-start_date", "intakes-1-places"]


def _a_valid_value(field) -> str | None:
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.order_by("pk").values_list("pk", flat=True).first()
        return None if first is None else str(first)
    if isinstance(field, forms.ChoiceField):
        flat = [value for value, label in field.choices if not isinstance(label, (list, tuple)) and value]
        return str(flat[0]) if flat else None
    return None


def _nul_in(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_nul_in(item) for item in value)
    return False


@pytest.mark.parametrize("name", FORMS)
@settings(max_examples=400)
@given(data=st.data())
def test_a_form_answers_any_data_and_a_valid_one_carries_no_nul(objects, name, data):
    blank = FORMS[name](objects, None)
    fields = INTAKE_FIELDS if name == "intakes" else list(blank.fields)
    valid = {} if name == "intakes" else {field: _a_valid_value(blank.fields[field]) for field in fields}
    body = QueryDict(mutable=True)
    for field in fields:
        if data.draw(st.integers(0, 9)):
            value = data.draw(field_values(valid.get(field)))
            body.setlist(field, value if isinstance(value, list) else [value])
    count_input()
    form = FORMS[name](objects, body)
    if form.is_valid() and name != "intakes":
        assert not any(_nul_in(value) for value in form.cleaned_data.values()), form.cleaned_data
