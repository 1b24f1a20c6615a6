"""Matches and dimensioning through the API, under the same rules as the pages."""

import pytest

from tests.api.conftest import client_as, client_with_key, key_for
from tests.factories import add_member, admin_of, make_need, make_programme, make_user

pytestmark = pytest.mark.django_db


def _encoded(django_capture_on_commit_callbacks, make, *args, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return make(*args, **kwargs)


def test_the_matches_of_a_need_list_programmes_with_reasons_and_a_hidden_need_is_404(
        platform_matcher, employer_a, employer_b, provider_a, django_capture_on_commit_callbacks):
    need = _encoded(django_capture_on_commit_callbacks, make_need, employer_a, visibility="aggregated",
                    title="Undersköterskor till hemtjänsten", kommun_code="1780")
    programme = _encoded(django_capture_on_commit_callbacks, make_programme, provider_a,
                         name="Undersköterska hemtjänst", kommun_code="1780")
    own = client_with_key(key_for(employer_a)).get(f"/api/v1/needs/{need.pk}/matches/")
    assert own.status_code == 200
    listed = [m for m in own.json()["programmes"] if m["group"] == "listed"]
    assert listed[0]["id"] == programme.pk and listed[0]["kind"] == "programme"
    assert listed[0]["reasons"] and 0 < listed[0]["score"] <= 1
    assert client_with_key(key_for(employer_b)).get(f"/api/v1/needs/{need.pk}/matches/").status_code == 404
    assert client_as(None).get(f"/api/v1/needs/{need.pk}/matches/").status_code == 404


def test_the_needs_matching_a_programme_are_only_those_the_caller_may_read(
        platform_matcher, employer_a, provider_a, django_capture_on_commit_callbacks):
    public = _encoded(django_capture_on_commit_callbacks, make_need, employer_a, title="Undersköterskor Karlstad")
    hidden = _encoded(django_capture_on_commit_callbacks, make_need, employer_a, visibility="aggregated",
                      title="Undersköterskor hemligt")
    programme = _encoded(django_capture_on_commit_callbacks, make_programme, provider_a, name="Undersköterska")
    body = client_with_key(key_for(provider_a)).get(f"/api/v1/programmes/{programme.pk}/matches/").json()
    ids = {m["id"] for m in body["needs"]}
    assert public.pk in ids and hidden.pk not in ids
    assert body["total"] == 1
    assert body["hidden_demand"]["needs"] == 1 and body["hidden_demand"]["suppressed"] is True
    owner = client_as(admin_of(employer_a)).get(f"/api/v1/programmes/{programme.pk}/matches/").json()
    assert {public.pk, hidden.pk} <= {m["id"] for m in owner["needs"]}


@pytest.mark.parametrize("page", ["0", "²", "9" * 40, "två"])
def test_a_page_of_a_programmes_matches_that_is_not_a_number_from_1_is_refused(provider_a, page):
    programme = make_programme(provider_a, name="Undersköterska")
    answer = client_with_key(key_for(provider_a)).get(f"/api/v1/programmes/{programme.pk}/matches/", {"page": page})
    assert answer.status_code == 400 and "page" in answer.json()["errors"]


def test_the_dimensioning_table_hides_a_single_employers_hidden_need_and_marks_it(employer_a, provider_a):
    make_need(employer_a, visibility="aggregated", headcount=7, ssyk4="5321")
    outsider = client_with_key(key_for(provider_a))
    response = outsider.get("/api/v1/dimensioning/", {"lan": "17", "horizon": "3-5y"})
    assert response.status_code == 200, response.json()
    total = [row for row in response.json()["rows"] if row["level"] == "total"][0]
    assert total["demand"] == 0 and total["marked"]
    owner = client_with_key(key_for(employer_a)).get("/api/v1/dimensioning/", {"lan": "17", "horizon": "3-5y"})
    owner_total = [row for row in owner.json()["rows"] if row["level"] == "total"][0]
    assert owner_total["demand"] == 7 and not owner_total["marked"]


def test_the_dimensioning_table_is_for_members_of_an_organisation(employer_a):
    assert client_as(None).get("/api/v1/dimensioning/", {"lan": "17"}).status_code == 401
    assert client_as(make_user()).get("/api/v1/dimensioning/", {"lan": "17"}).status_code == 403
    member = client_as(add_member(employer_a))
    assert member.get("/api/v1/dimensioning/", {"lan": "99"}).json()["errors"]["lan"]
    assert member.get("/api/v1/dimensioning/").status_code == 400
