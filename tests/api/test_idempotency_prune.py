"""Stored answers to Idempotency-Key writes are kept for the idempotency window (24 hours) and
then removed by ``prune_idempotent_requests`` (docs/api.md, *Conditional reads, idempotent writes*)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from employers.models import Need
from matchplats.api.models import IdempotentRequest

pytestmark = pytest.mark.django_db

NEEDS = "/api/v1/needs/"
BODY = {"ssyk4": "5321", "title": "Undersköterskor till hemtjänsten", "headcount": 4, "horizon": "1y",
        "kommun": "1780", "visibility": "public"}


def _post(api, key: str, **changes):
    return api.post(NEEDS, {**BODY, **changes}, format="json", HTTP_IDEMPOTENCY_KEY=key)


def _stored_ago(key: str, hours: float) -> None:
    IdempotentRequest.objects.filter(key=key).update(created_at=timezone.now() - dt.timedelta(hours=hours))


def _prune(*args) -> str:
    out = io.StringIO()
    call_command("prune_idempotent_requests", *args, stdout=out)
    return out.getvalue()


def test_the_prune_removes_answers_older_than_24_hours_and_keeps_fresh_ones(employer_a, api):
    for key, hours in (("gammal", 25), ("nyss-for-gammal", 24.01), ("dagsgammal", 23.9), ("ny", 0)):
        assert _post(api, key, title=f"Behov {key}").status_code == 201
        _stored_ago(key, hours)
    assert "2 stored idempotent answers older than 24 hours removed" in _prune()
    assert set(IdempotentRequest.objects.values_list("key", flat=True)) == {"dagsgammal", "ny"}
    assert Need.objects.count() == 4


def test_the_prune_counts_back_from_the_moment_given(employer_a, api):
    _post(api, "k")
    later = timezone.now() + dt.timedelta(hours=23)
    assert "0 stored idempotent answers" in _prune("--now", later.isoformat())
    assert "1 stored idempotent answers" in _prune("--now", (later + dt.timedelta(hours=2)).isoformat())
    assert not IdempotentRequest.objects.exists()


def test_a_retry_within_the_window_is_still_answered_from_the_stored_answer_after_a_prune(employer_a, api):
    first = _post(api, "innan-fonstret-stangs")
    _stored_ago("innan-fonstret-stangs", 23)
    _prune()
    again = _post(api, "innan-fonstret-stangs")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and Need.objects.count() == 1


def test_after_the_window_and_the_prune_the_same_key_starts_a_new_write(employer_a, api):
    assert _post(api, "atervunnen").status_code == 201
    _stored_ago("atervunnen", 30)
    _prune()
    again = _post(api, "atervunnen", headcount=6)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Need.objects.count() == 2 and IdempotentRequest.objects.filter(key="atervunnen").count() == 1
