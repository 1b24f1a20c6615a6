"""The arenas' decisions and action items through the API: public decisions for everyone,
members-only decisions and action items for the arena's members (their organisations' keys too)
and the county's coordinators; linked needs only as far as the reader may list them."""

import datetime as dt

import pytest

from dialogues import services
from tests.api.conftest import client_as, client_with_key, key_for
from tests.dialogues.conftest import make_session
from tests.factories import make_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(world):
    session = make_session(world)
    hidden_need = make_need(world.employer, visibility="coordinators", title="Internt behov")
    public = services.decision_create(actor=world.coordinator, session=session, text="Offentligt beslut",
                                      visibility="public", needs=[hidden_need])
    members = services.decision_create(actor=world.coordinator, session=session, text="Internt beslut")
    item = services.action_item_create(actor=world.coordinator, session=session, text="Ta fram APL-platser",
                                       due_on=dt.date(2030, 2, 1), owner_organisation=world.employer)
    return {"public": public, "members": members, "item": item, "need": hidden_need}


def _texts(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {row["text"] for row in response.json()["results"]}


def test_a_member_organisations_key_reads_every_decision_and_the_action_items(world, recorded):
    client = client_with_key(key_for(world.employer))
    assert _texts(client, "/api/v1/decisions/") == {"Offentligt beslut", "Internt beslut"}
    items = client.get("/api/v1/action-items/").json()["results"]
    assert [(i["text"], i["owner"], i["due_on"]) for i in items] == [("Ta fram APL-platser", "Omsorg AB", "2030-02-01")]
    decision = client.get(f"/api/v1/decisions/{recorded['public'].pk}/").json()
    assert decision["needs"] == [{"id": recorded["need"].pk, "title": "Internt behov"}]


@pytest.mark.parametrize("who", ["anonymous", "outsider's key", "coordinator of another county"])
def test_outsiders_read_public_decisions_only_and_no_action_item(world, recorded, who):
    client = {"anonymous": lambda: client_as(None),
              "outsider's key": lambda: client_with_key(key_for(world.outsider_org)),
              "coordinator of another county": lambda: client_as(world.other_coordinator)}[who]()
    assert _texts(client, "/api/v1/decisions/") == {"Offentligt beslut"}
    assert client.get(f"/api/v1/decisions/{recorded['members'].pk}/").status_code == 404
    assert client.get("/api/v1/action-items/").json()["count"] == 0
    assert client.get(f"/api/v1/action-items/{recorded['item'].pk}/").status_code == 404
    public = client.get(f"/api/v1/decisions/{recorded['public'].pk}/").json()
    assert public["needs"] == []  # the linked need is not theirs to read


def test_the_countys_coordinator_reads_everything_and_filters_by_arena_and_status(world, recorded):
    client = client_as(world.coordinator)
    assert _texts(client, f"/api/v1/decisions/?arena={world.arena.pk}") == {"Offentligt beslut", "Internt beslut"}
    assert client.get("/api/v1/action-items/", {"status": "done"}).json()["count"] == 0
    assert client.get("/api/v1/action-items/", {"status": "open"}).json()["count"] == 1
    assert client.get("/api/v1/action-items/", {"status": "klar"}).status_code == 400
    for arena in ("²", "9" * 40, "ett"):
        assert client.get("/api/v1/decisions/", {"arena": arena}).status_code == 400
