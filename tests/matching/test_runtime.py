"""The in-process index stays fresh as programmes change, and stored vectors reach it."""

import pytest

from matching import runtime, selectors
from matching.models import DocumentVector
from providers.services import programme_update
from tests.factories import admin_of, make_need, make_programme

pytestmark = pytest.mark.django_db


def _names(user, need):
    return [m.target.name for m in selectors.matches_for_need(user, need, kind="programme")]


def test_a_new_programme_is_ranked_without_a_restart(platform_matcher, employer_a, provider_a):
    need = make_need(employer_a, title="Undersköterskor till hemtjänsten")
    owner = admin_of(employer_a)
    make_programme(provider_a, name="Undersköterska inom äldreomsorg")
    assert _names(owner, need) == ["Undersköterska inom äldreomsorg"]
    make_programme(provider_a, name="Vård- och omsorgsutbildning undersköterska", kommun_code="1780")
    assert set(_names(owner, need)) == {"Undersköterska inom äldreomsorg", "Vård- och omsorgsutbildning undersköterska"}


def test_a_changed_programme_is_re_indexed_and_a_withdrawn_one_leaves(platform_matcher, employer_a, provider_a):
    need = make_need(employer_a, title="Undersköterskor")
    owner, provider_admin = admin_of(employer_a), admin_of(provider_a)
    programme = make_programme(provider_a, name="Undersköterska")
    assert _names(owner, need) == ["Undersköterska"]
    programme_update(programme=programme, actor=provider_admin, name="Undersköterska, distans")
    assert _names(owner, need) == ["Undersköterska, distans"]
    programme_update(programme=programme, actor=provider_admin, status="withdrawn")
    assert _names(owner, need) == []


def test_documents_are_encoded_in_the_background_and_the_index_picks_up_the_vectors(
        platform_matcher, employer_a, provider_a, django_capture_on_commit_callbacks):
    need = make_need(employer_a, title="Undersköterskor")
    programme = make_programme(provider_a, name="Undersköterska")
    with django_capture_on_commit_callbacks(execute=True):
        first = selectors.matches_for_need(admin_of(employer_a), need, kind="programme")
    stored = DocumentVector.objects.values_list("kind", "object_id")
    assert set(stored) == {("need", need.pk), ("programme", programme.pk)}
    assert "dense" not in {r["code"] for r in first[0].reasons}
    live = runtime.live_index()
    assert not live.waiting_for_vectors
    second = selectors.matches_for_need(admin_of(employer_a), need, kind="programme")
    assert second[0].score != first[0].score


def test_a_stored_vector_for_an_old_text_is_not_used(platform_matcher, employer_a, provider_a,
                                                    django_capture_on_commit_callbacks):
    need = make_need(employer_a, title="Undersköterskor")
    programme = make_programme(provider_a, name="Undersköterska")
    with django_capture_on_commit_callbacks(execute=True):
        selectors.matches_for_need(admin_of(employer_a), need, kind="programme")
    programme_update(programme=programme, actor=admin_of(provider_a), name="Barnskötare")
    runtime.live_index()
    assert f"p{programme.pk}" in runtime.live_index().waiting_for_vectors
