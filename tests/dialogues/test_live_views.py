"""The live session's pages for every kind of visitor: the invite link and the short code, the
guest's form and signed cookie, and the participant, host and projector pages."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dialogues import services
from dialogues.live import access
from dialogues.live.services import participant_join_guest
from dialogues.models import ArenaSession, LiveSettings, Participant
from tests.dialogues.conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(world) -> ArenaSession:
    return services.session_state_set(actor=world.coordinator, session=make_session(world),
                                      state=ArenaSession.State.LIVE)


@pytest.fixture
def other_live(world) -> ArenaSession:
    return services.session_state_set(actor=world.coordinator, session=make_session(world, title="Annat möte"),
                                      state=ArenaSession.State.LIVE)


def _as(client, world, who: str, session: ArenaSession, other: ArenaSession | None = None):
    """The client as one kind of visitor of ``session``."""
    users = {"host": world.coordinator, "member": world.employer_user, "outsider": world.outsider,
             "other county's coordinator": world.other_coordinator}
    if who in users:
        client.force_login(users[who])
    elif who == "guest":
        guest = participant_join_guest(session=session, display_name="Gäst")
        client.cookies[access.guest_cookie_name(session.pk)] = access.guest_token(guest)
    elif who == "forged guest":
        client.cookies[access.guest_cookie_name(session.pk)] = access.guest_token(
            Participant(pk=999_999, session=session))[:-4] + "AAAA"
    elif who == "guest of another session":
        guest = participant_join_guest(session=other, display_name="Gäst")
        client.cookies[access.guest_cookie_name(session.pk)] = access.guest_token(guest)
    return client


LOGIN = "login"
PAGES = {
    # who: (participant page, host page, projector)
    "host": (200, 200, 200),
    "member": (200, 403, 403),
    "outsider": (404, 404, 404),
    "other county's coordinator": (404, 404, 404),
    "anonymous": (LOGIN, LOGIN, LOGIN),
    "guest": (200, LOGIN, LOGIN),
    "forged guest": (LOGIN, LOGIN, LOGIN),
    "guest of another session": (LOGIN, LOGIN, LOGIN),
}


@pytest.mark.parametrize("who", list(PAGES))
def test_each_live_page_is_open_only_to_whom_it_is_for(client, world, live, other_live, who):
    _as(client, world, who, live, other_live)
    for name, expected in zip(("dialogues:live", "dialogues:live_host", "dialogues:projector"), PAGES[who],
                              strict=True):
        response = client.get(reverse(name, args=[live.pk]))
        if expected == LOGIN:
            assert response.status_code == 302 and response["Location"].startswith(reverse("account_login")), name
            assert live.invite_token not in response["Location"]
        else:
            assert response.status_code == expected, name


def test_a_delegated_host_runs_the_session_and_shows_the_projector(client, world, live):
    services.arena_host_set(actor=world.coordinator, arena=world.arena, user=world.person, host=True)
    client.force_login(world.person)
    assert client.get(reverse("dialogues:live_host", args=[live.pk])).status_code == 200
    assert client.get(reverse("dialogues:projector", args=[live.pk])).status_code == 200


def _config(response) -> dict:
    found = re.search(r'<script id="live-config" type="application/json">(.*?)</script>', response.content.decode(),
                      re.S)
    return json.loads(found.group(1))


def test_the_pages_hand_the_script_its_socket_and_texts_without_inline_code(client, world, live):
    client.force_login(world.coordinator)
    host = client.get(reverse("dialogues:live_host", args=[live.pk]))
    config = _config(host)
    assert config["ws"] == f"/ws/arenor/moten/{live.pk}/?view=host" and config["session"] == live.pk
    assert config["joinCode"] == live.join_code
    assert config["joinUrl"].endswith(reverse("dialogues:join", args=[live.invite_token]))
    assert config["strings"]["reconnecting"] == "Återansluter …"
    assert f"org:{world.provider.pk}" in dict(config["owners"])
    assert f"user:{world.person.pk}" in dict(config["owners"])
    for response in (host, client.get(reverse("dialogues:projector", args=[live.pk])),
                     client.get(reverse("dialogues:live", args=[live.pk]))):
        html = response.content.decode()
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert all('src="' in attrs or 'type="application/json"' in attrs for attrs, _body in scripts)
        assert " style=" not in html
    assert _config(client.get(reverse("dialogues:projector", args=[live.pk])))["view"] == "projector"


def test_the_participant_page_of_a_session_not_started_sends_a_member_to_the_invitation(client, world):
    session = make_session(world)
    client.force_login(world.employer_user)
    response = client.get(reverse("dialogues:live", args=[session.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("dialogues:join",
                                                                           args=[session.invite_token])


# --- the invite link ---------------------------------------------------------------------------------


def test_the_invite_link_before_the_session_says_when_it_starts_and_offers_no_form(client, world):
    session = make_session(world)
    response = client.get(reverse("dialogues:join", args=[session.invite_token]))
    assert response.status_code == 200 and response.context["form"] is None
    assert "Öppna länken igen när mötet börjar" in response.content.decode()


def test_a_member_following_the_invite_link_goes_straight_to_the_participant_page(client, world, live):
    client.force_login(world.employer_user)
    response = client.get(reverse("dialogues:join", args=[live.invite_token]))
    assert response.status_code == 302 and response["Location"] == reverse("dialogues:live", args=[live.pk])
    assert not Participant.objects.filter(session=live).exists()


def test_a_guest_joins_with_a_name_and_gets_a_signed_cookie(client, world, live):
    url = reverse("dialogues:join", args=[live.invite_token])
    form = client.get(url).context["form"]
    assert "anonymous" not in form.fields
    assert not Participant.objects.filter(session=live).exists()
    response = client.post(url, {"display_name": "  Anna   Berg "})
    assert response.status_code == 302 and response["Location"] == reverse("dialogues:live", args=[live.pk])
    guest = Participant.objects.get(session=live)
    assert (guest.display_name, guest.kind, guest.user) == ("Anna Berg", Participant.Kind.GUEST, None)
    cookie = response.cookies[access.guest_cookie_name(live.pk)]
    assert access.guest_from_token(cookie.value, live.pk) == guest
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    assert int(cookie["max-age"]) == access.GUEST_COOKIE_AGE
    assert client.get(reverse("dialogues:live", args=[live.pk])).status_code == 200


def test_the_guest_cookie_is_secure_over_https(client, world, live):
    response = client.post(reverse("dialogues:join", args=[live.invite_token]), {"display_name": "Anna"},
                           secure=True)
    assert response.cookies[access.guest_cookie_name(live.pk)]["secure"]


def test_a_guest_who_reloads_comes_back_as_the_same_participant(client, world, live):
    url = reverse("dialogues:join", args=[live.invite_token])
    client.post(url, {"display_name": "Anna"})
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == reverse("dialogues:live", args=[live.pk])
    client.post(url, {"display_name": "Anna igen"})
    assert list(Participant.objects.filter(session=live).values_list("display_name", flat=True)) == ["Anna"]


def test_a_guest_without_a_name_gets_a_clear_error_and_no_participant(client, world, live):
    response = client.post(reverse("dialogues:join", args=[live.invite_token]), {"display_name": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["display_name"] == ["Skriv det namn som de andra ska se."]
    assert not Participant.objects.filter(session=live).exists()
    assert access.guest_cookie_name(live.pk) not in response.cookies


def test_anonymous_guests_are_refused_unless_the_host_allows_them(client, world, live):
    url = reverse("dialogues:join", args=[live.invite_token])
    assert client.post(url, {"display_name": "", "anonymous": "on"}).status_code == 400
    assert not Participant.objects.filter(session=live).exists()
    LiveSettings.objects.update_or_create(session=live, defaults={"allow_anonymous": True})
    assert "anonymous" in client.get(url).context["form"].fields
    response = client.post(url, {"display_name": "Syns inte", "anonymous": "on"})
    assert response.status_code == 302
    guest = Participant.objects.get(session=live)
    assert guest.anonymous and guest.display_name == ""


def test_a_closed_session_is_over_with_the_minutes_for_members_only(client, world, live):
    services.session_state_set(actor=world.coordinator, session=live, state=ArenaSession.State.CLOSED)
    url = reverse("dialogues:join", args=[live.invite_token])
    minutes = reverse("dialogues:minutes", args=[live.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 200 and anonymous.context["form"] is None
    assert "Mötet är avslutat." in anonymous.content.decode() and minutes not in anonymous.content.decode()
    client.force_login(world.employer_user)
    assert minutes in client.get(url).content.decode()
    assert client.post(url, {"display_name": "Sen gäst"}).status_code == 200
    assert not Participant.objects.filter(session=live).exists()


def test_an_unknown_invite_token_is_404(client, world):
    assert client.get(reverse("dialogues:join", args=["finns-inte"])).status_code == 404


# --- the short code ---------------------------------------------------------------------------------


def test_the_short_code_ignores_case_and_spaces_and_leads_to_the_invitation(client, world, live):
    code = live.join_code
    typed = f" {code[:3].lower()} {code[3:]} "
    response = client.get(reverse("dialogues:join_code"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == reverse("dialogues:join",
                                                                           args=[live.invite_token])


@pytest.mark.parametrize("typed", ["", "ABC", "ZZZZZZZ", "ÅÄÖ123"])
def test_a_wrong_short_code_gets_a_clear_error(client, world, live, typed):
    response = client.get(reverse("dialogues:join_code"), {"code": typed})
    assert response.status_code == 400
    assert response.context["form"].errors["code"]


def test_an_unused_short_code_says_no_session_has_it(client, world, live):
    unused = "AAAAAA" if live.join_code != "AAAAAA" else "BBBBBB"
    response = client.get(reverse("dialogues:join_code"), {"code": unused})
    assert response.context["form"].errors["code"] == [
        "Inget möte har den koden. Kontrollera de sex tecknen som värden visar."]


def test_the_short_code_page_is_linked_from_the_home_page_for_visitors(client, world):
    page = client.get(reverse("home")).content.decode()
    assert reverse("dialogues:join_code") in page
    assert client.get(reverse("dialogues:join_code")).status_code == 200


# --- the session page's links ----------------------------------------------------------------------


def test_the_session_page_links_the_host_to_the_live_views_and_members_to_take_part(client, world, live):
    client.force_login(world.coordinator)
    page = client.get(reverse("dialogues:session", args=[live.pk])).content.decode()
    assert reverse("dialogues:live_host", args=[live.pk]) in page and "Styr mötet" in page
    assert reverse("dialogues:projector", args=[live.pk]) in page and "Projektorvy" in page
    client.force_login(world.employer_user)
    page = client.get(reverse("dialogues:session", args=[live.pk])).content.decode()
    assert reverse("dialogues:live", args=[live.pk]) in page and "Delta" in page
    assert reverse("dialogues:live_host", args=[live.pk]) not in page


def test_members_get_no_take_part_link_before_the_session_starts(client, world):
    session = make_session(world)
    client.force_login(world.employer_user)
    page = client.get(reverse("dialogues:session", args=[session.pk])).content.decode()
    assert reverse("dialogues:live", args=[session.pk]) not in page


def test_a_get_of_any_live_page_writes_nothing(client, world, live):
    before = (Participant.objects.count(), get_user_model().objects.count())
    client.force_login(world.employer_user)
    for name in ("dialogues:live", "dialogues:live_host", "dialogues:projector"):
        client.get(reverse(name, args=[live.pk]))
    client.get(reverse("dialogues:join", args=[live.invite_token]))
    assert (Participant.objects.count(), get_user_model().objects.count()) == before
