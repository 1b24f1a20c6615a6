"""Random codes posted to confirm the matching's reading as a programme's target occupations: never a
server error, and the programme ends up either as it was or with exactly the posted codes, each a
real SSYK level-4 group — never a part of them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from matchplats.taxonomy.models import SsykGroup
from tests.badinput.conftest import client_for
from tests.badinput.support import hostile_text, tried
from tests.factories import make_programme

pytestmark = [pytest.mark.django_db, pytest.mark.badinput]

code = st.one_of(hostile_text, st.sampled_from(["5321", "5323", "2221", "0000", "9999", "532", "53210", " 5321 "]),
                 st.from_regex(r"\A[0-9]{4}\Z"))


@settings(max_examples=25)
@given(codes=st.lists(code, max_size=6))
def test_random_codes_confirm_all_or_nothing_and_never_fail_the_server(objects, codes):
    programme = make_programme(objects.world.provider, name="Importerad utbildning", ssyk4=())
    response = client_for(objects.world.provider_user).post(
        reverse("providers:occupations_confirm", args=[programme.pk]), {"ssyk4": codes})
    tried(response)
    assert response.status_code == 302, codes
    stored = set(programme.target_occupations.values_list("code", flat=True))
    posted = {str(c).strip() for c in codes if str(c).strip()}
    if stored:
        assert stored == posted and len(posted) <= 3, codes
        assert SsykGroup.objects.filter(code__in=stored, level=4).count() == len(stored)
