"""Random text for the matcher commands: the need-text interpreter (directly and through
/matchningar/tolka/) reads anything without failing and writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.interpret import interpret_need_text, short_title
from tests.badinput.conftest import client_for
from tests.badinput.support import count_input, hostile_text, huge_number, row_counts, tried

pytestmark = [pytest.mark.django_db, pytest.mark.badinput]

need_text = st.one_of(hostile_text, huge_number,
                      st.lists(st.one_of(hostile_text, st.sampled_from(
                          ["Vi behöver", "12", "tolv", "undersköterskor", "i Karlstad", "inom ett år", "till 2028",
                           "9" * 30, "0", "-3"])), max_size=8).map(" ".join))


@settings(max_examples=800)
@given(text=need_text)
def test_the_interpreter_reads_any_text_without_failing(platform_matcher, text):
    count_input()
    reading = interpret_need_text(text)
    assert reading.headcount is None or 1 <= reading.headcount <= 10_000
    assert len(short_title(text)) <= 80


@settings(max_examples=40)
@given(text=st.one_of(need_text, st.integers(10_000, 200_000).map(lambda n: "ö" * n)))
def test_the_interpret_endpoint_answers_any_text_and_writes_nothing(platform_matcher, objects, text):
    before = row_counts()
    response = client_for(objects.world.employer_user).get(reverse("matching:interpret"), {"beskrivning": text})
    tried(response)
    assert response.status_code < 500
    assert row_counts() == before
