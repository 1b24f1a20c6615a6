"""Programmes with nested intakes and validation paths through the API: everyone reads them as on
the pages; only members of the provider (or its key) write, under the forms' rules."""

import pytest

from providers.models import Programme, ProgrammeEvent, ValidationPath
from tests.api.conftest import client_as, client_with_key, key_for
from tests.factories import add_member, admin_of, make_programme

pytestmark = pytest.mark.django_db

PROGRAMMES = "/api/v1/programmes/"
PATHS = "/api/v1/validation-paths/"


def _programme(**changes) -> dict:
    body = {"name": "Undersköterska, yrkesvux", "form": "yrkesvux", "target_occupations": ["5321"],
            "kommuner": ["1780"], "intakes": [{"start_date": "2027-08-23", "places": 24,
                                               "application_deadline": "2027-05-15"}]}
    body.update(changes)
    return body


def _path(**changes) -> dict:
    body = {"name": "Validering till undersköterska", "method": "komvux", "occupations": ["5321"],
            "kommuner": ["1780"]}
    body.update(changes)
    return body


@pytest.fixture
def provider_key(provider_a):
    return client_with_key(key_for(provider_a))


def test_everyone_reads_programmes_with_their_intakes(provider_a):
    programme = make_programme(provider_a, name="Vårdutbildning")
    for client in (client_as(None), client_with_key(key_for(provider_a))):
        rows = client.get(PROGRAMMES).json()["results"]
        assert [row["name"] for row in rows] == ["Vårdutbildning"]
        detail = client.get(f"{PROGRAMMES}{programme.pk}/").json()
        assert detail["intakes"] == [{"start_date": "2027-08-30", "places": 25, "application_deadline": None,
                                      "derived": False}]
        assert detail["target_occupations"] == [{"code": "5321", "label": detail["target_occupations"][0]["label"]}]


def test_a_provider_key_posts_a_programme_with_intakes_once_under_an_idempotency_key(provider_a, provider_key):
    first = provider_key.post(PROGRAMMES, _programme(), format="json", HTTP_IDEMPOTENCY_KEY="prog-1")
    again = provider_key.post(PROGRAMMES, _programme(), format="json", HTTP_IDEMPOTENCY_KEY="prog-1")
    assert first.status_code == again.status_code == 201, first.json()
    programme = Programme.objects.get()
    assert programme.provider == provider_a and programme.intakes.get().places == 24
    assert [k.code for k in programme.kommuner.all()] == ["1780"]
    assert ProgrammeEvent.objects.filter(programme=programme, type=ProgrammeEvent.Type.CREATED).count() == 1


def test_a_patch_changes_only_what_it_names_and_intakes_given_replace_all(provider_a, provider_key):
    programme = make_programme(provider_a, name="Före")
    response = provider_key.patch(f"{PROGRAMMES}{programme.pk}/", {"name": "Efter"}, format="json")
    assert response.status_code == 200, response.json()
    programme.refresh_from_db()
    assert programme.name == "Efter" and programme.intakes.get().places == 25
    response = provider_key.patch(f"{PROGRAMMES}{programme.pk}/", {"intakes": [
        {"start_date": "2028-01-10", "places": 12}, {"start_date": "2028-08-21", "places": 30}]}, format="json")
    assert [i["places"] for i in response.json()["intakes"]] == [12, 30]


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "Rad\u0000noll"}, "name"),
    ({"kommuner": [], "distance": False}, "kommuner"),
    ({"target_occupations": ["53"]}, "target_occupations"),
    ({"pace_percent": 150}, "pace_percent"),
    ({"form": "kurs"}, "form"),
    ({"intakes": [{"start_date": "2027-08-23", "places": -1}]}, "intakes.0.places"),
    ({"intakes": [{"start_date": "2027-08-23", "places": 5, "application_deadline": "2027-09-01"}]},
     "intakes.0.application_deadline"),
    ({"intakes": [{"start_date": "2027-08-23", "places": 1}] * 51}, "intakes"),
])
def test_the_programme_api_refuses_what_the_forms_refuse_and_writes_nothing(provider_a, provider_key, changes, field):
    response = provider_key.post(PROGRAMMES, _programme(**changes), format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"], response.json()
    assert not Programme.objects.exists()


@pytest.mark.parametrize("who", ["employer key", "other provider's key", "other provider's admin", "anonymous"])
def test_outsiders_cannot_post_or_change_a_providers_programmes(provider_a, provider_b, employer_a, who):
    programme = make_programme(provider_a, name="Orörd")
    client = {"employer key": lambda: client_with_key(key_for(employer_a)),
              "other provider's key": lambda: client_with_key(key_for(provider_b)),
              "other provider's admin": lambda: client_as(admin_of(provider_b)),
              "anonymous": lambda: client_as(None)}[who]()
    assert client.patch(f"{PROGRAMMES}{programme.pk}/", {"name": "Ändrad"}, format="json").status_code in (401, 403)
    assert client.post(PROGRAMMES, _programme(provider=provider_a.pk), format="json").status_code in (400, 401, 403)
    assert list(Programme.objects.values_list("name", flat=True)) == ["Orörd"]


def test_a_member_of_two_providers_names_which_one(provider_a, provider_b):
    person = add_member(provider_a)
    add_member(provider_b, person)
    client = client_as(person)
    assert "provider" in client.post(PROGRAMMES, _programme(), format="json").json()["errors"]
    assert client.post(PROGRAMMES, _programme(provider=provider_b.pk), format="json").status_code == 201
    assert Programme.objects.get().provider == provider_b


def test_the_programme_list_takes_the_pages_filters(provider_a):
    make_programme(provider_a, name="I Karlstad", kommun_code="1780")
    make_programme(provider_a, name="I Örebro", kommun_code="1880")
    client = client_as(None)
    assert [row["name"] for row in client.get(PROGRAMMES, {"q": "Örebro"}).json()["results"]] == ["I Örebro"]
    assert client.get(PROGRAMMES, {"form": "kurs"}).status_code == 400


def test_a_provider_key_posts_and_changes_a_validation_path(provider_a, provider_key):
    response = provider_key.post(PATHS, _path(), format="json")
    assert response.status_code == 201, response.json()
    path = ValidationPath.objects.get()
    assert path.organiser == provider_a and [o.code for o in path.occupations.all()] == ["5321"]
    changed = provider_key.patch(f"{PATHS}{path.pk}/", {"places": 40}, format="json")
    assert changed.status_code == 200 and changed.json()["places"] == 40
    assert [o["code"] for o in changed.json()["occupations"]] == ["5321"]
    assert client_as(None).get(f"{PATHS}{path.pk}/").json()["name"] == "Validering till undersköterska"


def test_a_validation_path_needs_an_occupation_and_outsiders_cannot_change_it(provider_a, provider_b, provider_key):
    assert "occupations" in provider_key.post(PATHS, _path(occupations=[]), format="json").json()["errors"]
    path_id = provider_key.post(PATHS, _path(), format="json").json()["id"]
    other = client_with_key(key_for(provider_b))
    assert other.patch(f"{PATHS}{path_id}/", {"name": "Kapad"}, format="json").status_code == 403
    assert ValidationPath.objects.get().name == "Validering till undersköterska"
