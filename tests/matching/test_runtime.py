"""The in-process index stays fresh as programmes change; the services that save documents
embed them, and stored vectors reach the index."""

import pytest

from matching import selectors
from matching.live import live_index
from matching.models import DocumentVector
from providers.services import programme_update
from tests.factories import admin_of, make_need, make_programme

pytestmark = pytest.mark.django_db


def _names(user, need):
    return [m.target.name for m in selectors.matches_for_need(user, need, kind="programme").all]


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


def test_a_saved_need_and_programme_are_encoded_by_their_services_and_scores_are_stable_between_visits(
        platform_matcher, employer_a, provider_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need = make_need(employer_a, title="Undersköterskor")
        programme = make_programme(provider_a, name="Undersköterska")
    stored = DocumentVector.objects.values_list("kind", "object_id")
    assert set(stored) == {("need", need.pk), ("programme", programme.pk)}
    assert not live_index().waiting_for_vectors
    first = selectors.matches_for_need(admin_of(employer_a), need, kind="programme").all
    second = selectors.matches_for_need(admin_of(employer_a), need, kind="programme").all
    assert "dense" in {r["code"] for r in first[0].reasons} or first[0].score > 0
    assert first[0].score == second[0].score


def test_a_programme_saved_in_a_transaction_that_rolls_back_is_not_encoded(
        platform_matcher, provider_a, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            make_programme(provider_a, name="Undersköterska")
            raise RuntimeError("rolled back")
        make_programme(provider_a, name="Barnskötare")
    assert DocumentVector.objects.count() == 1


def test_a_stored_vector_for_an_old_text_is_not_used(platform_matcher, employer_a, provider_a,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        programme = make_programme(provider_a, name="Undersköterska")
    live_index()
    programme_update(programme=programme, actor=admin_of(provider_a), name="Barnskötare")
    assert f"p{programme.pk}" in live_index().waiting_for_vectors


def test_an_import_hands_its_needs_to_the_background_worker_instead_of_encoding_them_in_the_request(
        employer_a, monkeypatch, django_capture_on_commit_callbacks):
    import datetime as dt
    from pathlib import Path

    from django.conf import settings
    from django_tasks.base import Task

    from employers.importing import need_import_file
    from employers.models import Need
    from tests.factories import add_member

    enqueued = []
    monkeypatch.setattr(Task, "enqueue", lambda self, *args: enqueued.append((self.name, args)))
    data = (Path(settings.BASE_DIR) / "data" / "templates" / "needs_template.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        need_import_file(actor=add_member(employer_a), data=data, file_name="needs_template.csv",
                         organisation=employer_a, today=dt.date(2026, 11, 30))
    assert enqueued == [("refresh_documents", ("need", sorted(Need.objects.values_list("pk", flat=True))))]
    assert not DocumentVector.objects.exists()


def test_the_matcher_is_warmed_in_the_background_without_touching_the_database(
        settings, mini_data_dir, cache_dir, matcher, django_assert_num_queries):
    from matching import runtime

    settings.TAXONOMY_DATA_DIR, settings.MATCHER_CACHE_DIR = mini_data_dir, cache_dir
    runtime.use_matcher(None)
    try:
        with django_assert_num_queries(0):
            runtime.warm_in_background().join(timeout=120)
        assert runtime._shipped is not None and runtime.platform_matcher().code_occupation(["undersköterska"])[0]
    finally:
        runtime.use_matcher(None)
