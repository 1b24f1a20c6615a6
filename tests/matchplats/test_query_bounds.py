"""The pages that read other organisations' data make as many SQL queries with a dozen more
employers as with two: the queries per request are bounded by the page, not the region's size
(the load figures in docs/reliability.md, "Load", rest on this)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import admin_of, make_need, make_organisation, make_programme

pytestmark = pytest.mark.django_db

VISIBILITIES = ("public", "public", "aggregated", "coordinators")


def _other_employers(count: int, *, start: int) -> None:
    """Employers in Värmland and Örebro län with one need of every visibility each, and a
    provider with a programme per two employers."""
    for i in range(start, start + count):
        employer = make_organisation("employer", name=f"Annan arbetsgivare {i}",
                                     kommun_code="1780" if i % 2 else "1880")
        for j, visibility in enumerate(VISIBILITIES):
            make_need(employer, visibility=visibility, ssyk4="5321" if j % 2 else "7411", title=f"Behov {i}-{j}")
        if i % 2 == 0:
            make_programme(make_organisation("provider", name=f"Annan anordnare {i}"))


def _queries(client, url: str, params: dict | None = None) -> int:
    client.get(url, params or {})  # the first request of a test fills the per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "Behov"}, {"status": "active"}])
def test_the_needs_list_makes_no_more_queries_as_other_employers_grow(client, employer_a, params,
                                                                      django_assert_max_num_queries):
    make_need(employer_a, title="Behov eget")
    client.force_login(admin_of(employer_a))
    _other_employers(2, start=0)
    few = _queries(client, reverse("employers:list"), params)
    _other_employers(12, start=2)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("employers:list"), params)
    assert response.context["page"].paginator.count > 12


def test_the_dimensioning_dashboard_makes_no_more_queries_as_other_employers_grow(
        client, coordinator, employer_a, django_assert_max_num_queries):
    make_need(employer_a, title="Behov eget")
    client.force_login(coordinator)
    _other_employers(2, start=0)
    few = _queries(client, "/dimensionering/", {"lan": "17"})
    _other_employers(12, start=2)
    with django_assert_max_num_queries(few):
        response = client.get("/dimensionering/", {"lan": "17"})
    assert response.status_code == 200
