"""The needs API: every role, visibility through lists, details and counts, writes through the
form's rules and the services, idempotent creation, ETag, rate limit and problem+json."""

import datetime as dt

import pytest
from django.test import override_settings

from employers.models import Need, NeedEvent
from matchplats.api.models import ApiKey, IdempotentRequest
from matchplats.api.services import api_key_create, api_key_revoke
from tests.api.conftest import client_as, client_with_key, key_for
from tests.factories import add_member, admin_of, make_need, make_user

pytestmark = pytest.mark.django_db

NEEDS = "/api/v1/needs/"


def _body(**changes) -> dict:
    body = {"ssyk4": "5321", "title": "Undersköterskor till hemtjänsten", "headcount": 4, "horizon": "1y",
            "kommun": "1780", "visibility": "public"}
    body.update(changes)
    return body


@pytest.fixture
def needs(employer_a):
    return {v: make_need(employer_a, visibility=v, title=f"Behov {v}") for v in ("public", "aggregated", "coordinators")}


@pytest.fixture
def callers(employer_a, employer_b, region_a, region_b):
    """Every kind of caller, each as a client factory (a revoked key among them)."""
    revoked, revoked_secret = api_key_create(organisation=employer_b, actor=admin_of(employer_b), name="Gammal")
    api_key_revoke(api_key=revoked, actor=admin_of(employer_b))
    return {
        "anonymous": client_as(None),
        "member": client_as(add_member(employer_a)),
        "admin": client_as(admin_of(employer_a)),
        "other organisation": client_as(admin_of(employer_b)),
        "coordinator of the need's län": client_as(admin_of(region_a)),
        "coordinator of another län": client_as(admin_of(region_b)),
        "key of own organisation": client_with_key(key_for(employer_a)),
        "key of other organisation": client_with_key(key_for(employer_b)),
        "key of the need's region": client_with_key(key_for(region_a)),
        "revoked key": client_with_key(revoked_secret),
    }


SEES = {
    "anonymous": {"public"},
    "member": {"public", "aggregated", "coordinators"},
    "admin": {"public", "aggregated", "coordinators"},
    "other organisation": {"public"},
    "coordinator of the need's län": {"public", "coordinators"},
    "coordinator of another län": {"public"},
    "key of own organisation": {"public", "aggregated", "coordinators"},
    "key of other organisation": {"public"},
    "key of the need's region": {"public", "coordinators"},
}


@pytest.mark.parametrize("who", list(SEES))
def test_each_caller_lists_counts_and_opens_exactly_the_needs_the_pages_show_them(needs, callers, who):
    client = callers[who]
    response = client.get(NEEDS)
    assert response.status_code == 200
    titles = {row["title"] for row in response.json()["results"]}
    assert titles == {f"Behov {v}" for v in SEES[who]}
    assert response.json()["count"] == len(SEES[who])
    for visibility, need in needs.items():
        detail = client.get(f"{NEEDS}{need.pk}/")
        assert detail.status_code == (200 if visibility in SEES[who] else 404), visibility


def test_a_hidden_need_answers_exactly_like_a_missing_one(needs, callers):
    client = callers["other organisation"]
    hidden = client.get(f"{NEEDS}{needs['aggregated'].pk}/")
    missing = client.get(f"{NEEDS}999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden["Content-Type"] == "application/problem+json"


def test_a_word_found_only_in_a_hidden_need_is_not_counted(employer_a, callers):
    make_need(employer_a, visibility="aggregated", title="Hemlig svetsare")
    client = callers["other organisation"]
    hidden_word = client.get(NEEDS, {"q": "svetsare"}).json()
    nowhere = client.get(NEEDS, {"q": "astronaut"}).json()
    assert hidden_word == nowhere == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_revoked_key_reads_nothing(needs, callers):
    assert callers["revoked key"].get(NEEDS).status_code == 401
    assert callers["revoked key"].get(f"{NEEDS}{needs['public'].pk}/").status_code == 401


def test_owner_only_fields_are_shown_only_to_those_who_may_change_the_need(needs, callers):
    need = needs["public"]
    own = callers["key of own organisation"].get(f"{NEEDS}{need.pk}/").json()
    other = callers["other organisation"].get(f"{NEEDS}{need.pk}/").json()
    assert "external_id" in own and "valid_until" in own
    assert "external_id" not in other and "valid_until" not in other
    assert other["organisation"]["name"] == need.organisation.name
    assert other["ssyk4"]["code"] == "5321" and other["kommun"]["code"] == "1780" and other["lan"]["code"] == "17"


def test_the_list_takes_the_pages_filters(employer_a):
    make_need(employer_a, title="I Karlstad", kommun_code="1780")
    make_need(employer_a, title="I Örebro", kommun_code="1880")
    client = client_as(None)
    from matchplats.taxonomy.models import Lan

    lan = Lan.objects.get(code="18")
    assert [row["title"] for row in client.get(NEEDS, {"lan": lan.pk}).json()["results"]] == ["I Örebro"]
    assert [row["title"] for row in client.get(NEEDS, {"q": "Karlstad"}).json()["results"]] == ["I Karlstad"]


def test_the_list_is_ordered_and_paged(employer_a):
    for title in ("B", "A", "C"):
        make_need(employer_a, title=title)
    client = client_as(None)
    first = client.get(NEEDS, {"ordering": "-title", "page_size": 2}).json()
    assert [row["title"] for row in first["results"]] == ["C", "B"] and first["count"] == 3
    second = client.get(first["next"]).json()
    assert [row["title"] for row in second["results"]] == ["A"]


@pytest.mark.parametrize(("params", "field"), [({"ordering": "password"}, "ordering"), ({"horizon": "igår"}, "horizon"),
                                               ({"lan": "x"}, "lan")])
def test_a_bad_filter_is_a_problem_naming_the_parameter(employer_a, params, field):
    response = client_as(None).get(NEEDS, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


# --- writes ------------------------------------------------------------------------------------


def test_a_key_registers_a_need_for_its_employer_and_the_history_names_the_key(employer_a, api):
    response = api.post(NEEDS, _body(skills=[]), format="json")
    assert response.status_code == 201, response.json()
    need = Need.objects.get(pk=response.json()["id"])
    assert need.organisation == employer_a and need.kommun.code == "1780" and need.lan.code == "17"
    assert response["Location"].endswith(f"{NEEDS}{need.pk}/")
    key = ApiKey.objects.get(organisation=employer_a)
    assert need.created_by == key.user
    assert NeedEvent.objects.get(need=need, type=NeedEvent.Type.CREATED).actor == key.user
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_member_registers_a_need_through_the_session_with_the_csrf_token(employer_a):
    member = add_member(employer_a)
    without_token = client_as(member, csrf=False)
    assert without_token.post(NEEDS, _body(), format="json").status_code == 403
    assert not Need.objects.exists()
    response = client_as(member).post(NEEDS, _body(), format="json")
    assert response.status_code == 201 and Need.objects.get().created_by == member


@pytest.mark.parametrize("who", ["anonymous", "other organisation", "coordinator of the need's län",
                                 "key of other organisation", "key of the need's region", "revoked key"])
def test_outsiders_cannot_change_a_need_and_nothing_is_written(needs, callers, who):
    client = callers[who]
    need = needs["public"]
    before = Need.objects.values().get(pk=need.pk)
    expected = 401 if who in ("anonymous", "revoked key") else 403
    assert client.patch(f"{NEEDS}{need.pk}/", {"title": "Kapat"}, format="json").status_code == expected
    assert client.post(f"{NEEDS}{need.pk}/status/", {"status": "withdrawn"}, format="json").status_code == expected
    assert Need.objects.values().get(pk=need.pk) == before
    hidden = needs["aggregated"]
    if who not in ("anonymous", "revoked key"):
        assert client.patch(f"{NEEDS}{hidden.pk}/", {"title": "Kapat"}, format="json").status_code == 404


def test_a_key_of_a_provider_or_a_region_cannot_register_needs(provider_a, region_a):
    for organisation in (provider_a, region_a):
        response = client_with_key(key_for(organisation)).post(NEEDS, _body(), format="json")
        assert response.status_code == 403
    assert not Need.objects.exists()


def test_a_key_cannot_register_a_need_for_another_employer(employer_a, employer_b, api):
    response = api.post(NEEDS, _body(organisation=employer_b.pk), format="json")
    assert response.status_code == 400 and "organisation" in response.json()["errors"]
    assert not Need.objects.exists()


def test_a_key_patches_its_need_and_the_rest_stays(needs, api):
    need = needs["public"]
    response = api.patch(f"{NEEDS}{need.pk}/", {"headcount": 9, "kommun": "1784"}, format="json")
    assert response.status_code == 200, response.json()
    need.refresh_from_db()
    assert need.headcount == 9 and need.kommun.code == "1784" and need.title == "Behov public"
    assert NeedEvent.objects.filter(need=need, type=NeedEvent.Type.UPDATED).count() == 1


def test_a_put_must_give_every_required_field(needs, api):
    need = needs["public"]
    response = api.put(f"{NEEDS}{need.pk}/", {"headcount": 9}, format="json")
    assert response.status_code == 400
    assert {"ssyk4", "title", "horizon"} <= set(response.json()["errors"])
    ok = api.put(f"{NEEDS}{need.pk}/", _body(title="Ersatt"), format="json")
    assert ok.status_code == 200 and ok.json()["title"] == "Ersatt"


def test_a_key_withdraws_and_confirms_its_need(needs, api):
    need = needs["public"]
    assert api.post(f"{NEEDS}{need.pk}/confirm/").status_code == 200
    assert api.post(f"{NEEDS}{need.pk}/status/", {"status": "withdrawn"}, format="json").json()["status"] == "withdrawn"
    assert api.post(f"{NEEDS}{need.pk}/status/", {"status": "borta"}, format="json").status_code == 400
    assert NeedEvent.objects.filter(need=need, type=NeedEvent.Type.CONFIRMED).exists()


def test_needs_are_not_deleted_through_the_api(needs, api):
    assert api.delete(f"{NEEDS}{needs['public'].pk}/").status_code == 405
    assert Need.objects.filter(pk=needs["public"].pk).exists()


# --- the form's rules hold for the API -------------------------------------------------------------


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": "Rad\u0007med klocka"}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"description": "Text med \u0000 nolltecken"}, "description"),
    ({"headcount": 0}, "headcount"),
    ({"headcount": 10_001}, "headcount"),
    ({"ssyk4": "9999"}, "ssyk4"),
    ({"ssyk4": "53"}, "ssyk4"),
    ({"kommun": "0000"}, "kommun"),
    ({"kommun": None}, "kommun"),
    ({"kommun": "1880", "lan": "17"}, "kommun"),
    ({"horizon": "igår"}, "horizon"),
    ({"visibility": "alla"}, "visibility"),
    ({"seqf_level": 12}, "seqf_level"),
    ({"external_id": "ref\tflik"}, "external_id"),
    ({"skills": ["finns-inte"]}, "skills"),
    ({"lan": "1\u0000"}, "lan"),
    ({"ssyk4": "53\u000021"}, "ssyk4"),
])
def test_the_api_refuses_what_the_form_refuses_and_writes_nothing(employer_a, api, changes, field):
    response = api.post(NEEDS, _body(**changes), format="json")
    assert response.status_code == 400, response.json()
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["type"] == "urn:matchplats:problem:validation" and problem["status"] == 400
    assert field in problem["errors"] and all(problem["errors"][field])
    assert not Need.objects.exists()


def test_field_errors_are_in_swedish_or_english_as_the_request_asks(employer_a, employer_key):
    swedish = client_with_key(employer_key, language="sv").post(NEEDS, _body(headcount=0, title=""), format="json")
    english = client_with_key(employer_key, language="en").post(NEEDS, _body(headcount=0, title=""), format="json")
    assert swedish.json()["title"] == "Ogiltig indata" and english.json()["title"] == "Invalid input"
    assert swedish.json()["errors"]["headcount"] == ["Kontrollera att detta värde är större än eller lika med 1."]
    assert english.json()["errors"]["headcount"] == ["Ensure this value is greater than or equal to 1."]
    assert swedish.json()["errors"]["title"] != english.json()["errors"]["title"]
    assert swedish["Content-Language"] == "sv" and english["Content-Language"] == "en"


def test_text_that_is_not_unicode_is_refused_as_bad_input(employer_a, api):
    response = api.post(NEEDS, '{"ssyk4": "5321", "title": "Sk\\ud800ta", "headcount": 1, "horizon": "1y", '
                               '"kommun": "1780"}', content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert not Need.objects.exists()


def test_a_nul_in_a_filter_is_no_match_not_a_server_error(employer_a):
    make_need(employer_a)
    assert client_as(None).get(NEEDS, {"ssyk": "53\x00"}).status_code == 400
    assert client_as(None).get("/behov/", {"ssyk": "53\x00"}).status_code == 400
    assert client_as(None).get("/api/v1/programmes/", {"sun": "7\x00"}).status_code == 400


def test_a_body_that_is_not_json_is_a_problem(api):
    response = api.post(NEEDS, "{inte json", content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"


# --- idempotency, ETag, rate limit ---------------------------------------------------------------


def test_a_retried_post_with_the_same_idempotency_key_creates_one_need(employer_a, api):
    first = api.post(NEEDS, _body(), format="json", HTTP_IDEMPOTENCY_KEY="b7d1c0de-1")
    again = api.post(NEEDS, _body(), format="json", HTTP_IDEMPOTENCY_KEY="b7d1c0de-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Need.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_refused(employer_a, api):
    api.post(NEEDS, _body(), format="json", HTTP_IDEMPOTENCY_KEY="nyckel-1")
    response = api.post(NEEDS, _body(headcount=5), format="json", HTTP_IDEMPOTENCY_KEY="nyckel-1")
    assert response.status_code == 422
    assert response.json()["type"] == "urn:matchplats:problem:idempotency-key-reused"
    assert Need.objects.count() == 1


def test_idempotency_keys_belong_to_their_caller(employer_a):
    first = client_with_key(key_for(employer_a, name="Ett"))
    second = client_with_key(key_for(employer_a, name="Två"))
    assert first.post(NEEDS, _body(), format="json", HTTP_IDEMPOTENCY_KEY="samma").status_code == 201
    assert second.post(NEEDS, _body(), format="json", HTTP_IDEMPOTENCY_KEY="samma").status_code == 201
    assert Need.objects.count() == 2 and IdempotentRequest.objects.count() == 2


def test_a_refused_post_is_not_remembered_so_the_corrected_one_goes_through_with_the_same_key(employer_a, api):
    assert api.post(NEEDS, _body(headcount=0), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 400
    assert api.post(NEEDS, _body(), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    assert Need.objects.count() == 1


def test_a_reread_with_the_etag_is_not_modified_until_the_need_changes(needs, api):
    url = f"{NEEDS}{needs['public'].pk}/"
    first = api.get(url)
    etag = first["ETag"]
    assert {"Authorization", "Cookie", "Accept-Language"} <= {v.strip() for v in first["Vary"].split(",")}
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content and again["ETag"] == etag
    api.patch(url, {"headcount": 7}, format="json")
    changed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["headcount"] == 7
    assert api.get(NEEDS, HTTP_IF_NONE_MATCH=api.get(NEEDS)["ETag"]).status_code == 304


def test_the_etag_differs_for_callers_who_see_different_needs(needs, callers):
    own = callers["key of own organisation"].get(NEEDS)
    other = callers["key of other organisation"].get(NEEDS, HTTP_IF_NONE_MATCH=own["ETag"])
    assert other.status_code == 200 and other["ETag"] != own["ETag"]


@override_settings(API_RATE_LIMIT="3/m")
def test_past_the_rate_a_key_gets_429_with_retry_after_and_other_keys_go_on(employer_a, employer_b):
    busy = client_with_key(key_for(employer_a))
    assert [busy.get(NEEDS).status_code for _ in range(3)] == [200, 200, 200]
    refused = busy.get(NEEDS)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["type"] == "urn:matchplats:problem:rate-limited"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert client_with_key(key_for(employer_b)).get(NEEDS).status_code == 200


def test_the_needed_by_date_is_read_from_the_horizon_as_on_the_page(employer_a, api):
    need = api.post(NEEDS, _body(horizon="now"), format="json").json()
    assert dt.date.fromisoformat(need["needed_by"]) >= dt.date.today()


def test_a_person_in_two_employers_names_the_organisation(employer_a, employer_b):
    person = make_user()
    add_member(employer_a, person)
    add_member(employer_b, person)
    client = client_as(person)
    response = client.post(NEEDS, _body(), format="json")
    assert response.status_code == 400 and "organisation" in response.json()["errors"]
    response = client.post(NEEDS, _body(organisation=employer_b.pk), format="json")
    assert response.status_code == 201 and Need.objects.get().organisation == employer_b
