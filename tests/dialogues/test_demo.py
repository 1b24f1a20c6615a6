"""The Region Värmland demo: built through the services, with what the data says about each
programme's purpose."""

import datetime as dt

import pytest
from django.conf import settings

from dialogues.demo import demo_seed
from providers.models import Programme

pytestmark = pytest.mark.django_db


def test_the_demo_marks_further_education_as_the_data_says_and_can_be_built_twice(taxonomy):
    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    further = Programme.objects.filter(sun_field__label__startswith="Vidareutbildningar för")
    assert further.exists()
    assert set(further.values_list("purpose", flat=True)) == {Programme.Purpose.FURTHER}
    assert Programme.objects.filter(purpose=Programme.Purpose.INTO).exists()
    count = Programme.objects.count()
    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    assert Programme.objects.count() == count


def test_the_demo_has_a_planned_yh_programme_backed_by_an_employer(taxonomy):
    demo_seed(data_dir=settings.TAXONOMY_DATA_DIR, today=dt.date(2026, 11, 30))
    planned = Programme.objects.get(status=Programme.Status.PLANNED, form=Programme.Form.YH)
    backing = planned.backings.get()
    assert backing.employer.name == "Omsorg i Karlstad AB (demo)"
    assert backing.lia_places == 6 and backing.letter_of_intent and backing.letter_text
