"""A live session in real browsers against a real ASGI server (daphne, websockets, the Redis
channel layer of the environment): the host opens and reveals a poll, two participants — one on
a phone — vote, and the projector follows; a guest who reloads stays the same participant; a
participant is offered no upvote on their own question, in Swedish and English."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from dialogues import services
from dialogues.models import Answer, ArenaSession, Participant, Poll
from tests.browser.journey import SIZES, Journey
from tests.dialogues import conftest as arenas

pytestmark = pytest.mark.django_db(transaction=True)
world = arenas.world  # the arena world of tests/dialogues, as a fixture here too

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("MATCHPLATS_LIVE_SHOTS", "/tmp/live-shots"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """Daphne in its own process on a free port, on the test database: HTTP and websockets. A
    fresh interpreter, not a fork: a forked child would inherit the database thread of earlier
    asyncio tests as a thread that no longer runs."""
    with django_db_blocker.unblock():
        database = connections["default"].settings_dict
    port = _free_port()
    login = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
    url = f"postgres://{login}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    # Plain http on loopback, whatever the environment says about production cookies and hosts.
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="matchplats.settings_test",
               ALLOWED_HOSTS="127.0.0.1", SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false")
    process = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                "tests.browser.live_asgi:application"], env=env, cwd=settings.BASE_DIR)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/arenor/kod/", timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("daphne did not start") from None
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def live(world) -> ArenaSession:
    session = arenas.make_session(world, agenda=("Läget i branschen", "Prioriteringar"))
    return services.session_state_set(actor=world.coordinator, session=session, state=ArenaSession.State.LIVE)


@pytest.fixture
def open_as(browser, server):
    """A new browser window as someone (a user signed in, or nobody), at a size and in a language."""
    contexts = []

    def open_as(user=None, *, size=DESKTOP, language="sv"):
        context = browser.new_context(base_url=server, viewport=size, locale="sv-SE" if language == "sv" else "en-GB")
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server}]
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies.append({"name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": server})
        context.add_cookies(cookies)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_as
    for context in contexts:
        context.close()
    _wait_until_the_server_is_idle()


def _wait_until_the_server_is_idle(timeout: float = 10):
    """The closed sockets' presence updates and the last tally still write in the server; the
    database is flushed after the test, which must not race them."""
    deadline = time.monotonic() + timeout
    while Participant.objects.filter(connections__gt=0).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(settings.LIVE_TALLY_INTERVAL * 2)


def _connected(page):
    page.locator("#live-status.ok").wait_for()


def _join_as_guest(page, session: ArenaSession, name: str):
    page.goto(f"/arenor/delta/{session.invite_token}/")
    page.get_by_label("Ditt namn som de andra ser det").fill(name)
    page.get_by_role("button", name="Anslut till mötet").click()
    page.wait_for_url(f"**/arenor/moten/{session.pk}/live/")
    _connected(page)


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_two_participants_vote_and_the_projector_shows_the_revealed_results(world, live, open_as):
    host = open_as(world.coordinator)
    host.goto(f"/arenor/moten/{live.pk}/styr/")
    _connected(host)
    projector = open_as(world.coordinator)
    projector.goto(f"/arenor/moten/{live.pk}/projektor/")
    _connected(projector)
    phone = open_as(world.employer_user, size=PHONE)
    phone.goto(f"/arenor/moten/{live.pk}/live/")
    _connected(phone)
    laptop = open_as()
    _join_as_guest(laptop, live, "Gästen Greta")
    projector.get_by_text("2 deltagare anslutna").wait_for()

    host.get_by_label("Fråga", exact=True).fill("Vad ska vi göra först?")
    host.get_by_label("Alternativ", exact=True).fill("Lärlingar\nValidering\nYrkesvux")
    host.get_by_role("button", name="Skapa omröstningen").click()
    host.get_by_role("button", name="Öppna", exact=True).click()
    host.get_by_role("button", name="Stäng", exact=True).wait_for()

    phone.get_by_label("Validering").check()
    phone.get_by_role("button", name="Svara", exact=True).click()
    phone.get_by_text("Ditt svar: Validering").wait_for()
    laptop.get_by_label("Validering").check()
    laptop.get_by_role("button", name="Svara", exact=True).click()
    laptop.get_by_text("Ditt svar: Validering").wait_for()
    assert laptop.get_by_text("Resultatet visas när värden visar det.").is_visible()
    host.locator(".poll-meta", has_text="2 svar").wait_for()
    assert projector.locator(".bars").count() == 0

    host.get_by_role("button", name="Visa resultatet").click()
    projector.get_by_role("heading", name="Vad ska vi göra först?").wait_for()
    validation = projector.locator(".bar-row", has_text="Validering")
    validation.get_by_text("2 (100 %)").wait_for()
    phone.locator(".bar-row", has_text="Validering").get_by_text("2 (100 %)").wait_for()
    assert _no_sideways_scroll(phone)

    host.get_by_role("button", name="Gäster").click()
    host.locator(".results .bar-row", has_text="Validering").get_by_text("1 (100 %)").wait_for()
    host.get_by_role("button", name="Alla").click()
    host.locator(".results .bar-row", has_text="Validering").get_by_text("2 (100 %)").wait_for()

    phone.get_by_label("Lärlingar").check()
    phone.get_by_role("button", name="Ändra mitt svar").click()
    projector.locator(".bar-row", has_text="Lärlingar").get_by_text("1 (50 %)").wait_for()
    poll = Poll.objects.get(session=live)
    assert sorted(Answer.objects.filter(poll=poll).values_list("value", flat=True)) == sorted(
        [[poll.options.get(label="Lärlingar").pk], [poll.options.get(label="Validering").pk]])


def test_a_guest_who_reloads_is_the_same_participant_with_their_answer(world, live, open_as):
    host = open_as(world.coordinator)
    host.goto(f"/arenor/moten/{live.pk}/styr/")
    _connected(host)
    host.get_by_label("Typ av omröstning").select_option("scale")
    host.get_by_label("Fråga", exact=True).fill("Hur brådskande är det?")
    host.get_by_role("button", name="Skapa omröstningen").click()
    host.get_by_role("button", name="Öppna", exact=True).click()
    guest = open_as(size=PHONE)
    _join_as_guest(guest, live, "Gästen Greta")
    guest.get_by_role("button", name="4", exact=True).click()
    guest.get_by_text("Ditt svar: 4").wait_for()
    guest.reload()
    _connected(guest)
    guest.get_by_text("Ditt svar: 4").wait_for()
    assert guest.get_by_role("button", name="4", exact=True).get_attribute("aria-pressed") == "true"
    guest.goto(f"/arenor/delta/{live.invite_token}/")
    guest.wait_for_url(f"**/arenor/moten/{live.pk}/live/")
    assert list(Participant.objects.filter(session=live).values_list("display_name", flat=True)) == ["Gästen Greta"]


def test_a_vote_whose_answer_is_lost_with_the_connection_is_sent_again_with_the_same_id(world, live, open_as):
    from dialogues.live.services import Viewer, execute

    host = Viewer(session_id=live.pk, audience="host", user=world.coordinator, participant_id=None)
    poll_id = execute(host, {"type": "poll.create", "id": "c-1", "session": live.pk, "kind": "single",
                             "question": "Vilket först?", "options": ["Lärlingar", "Validering"]})["result"]["poll"]
    execute(host, {"type": "poll.open", "id": "c-2", "session": live.pk, "poll": poll_id})
    votes, connections_made = [], []

    def drop_the_first_vote_before_its_ack(page_side):
        """The server applies the first vote, but the connection is lost before its ack arrives."""
        server_side = page_side.connect_to_server()
        connections_made.append(server_side)

        def from_the_page(message):
            if json.loads(message).get("type") == "vote":
                votes.append(json.loads(message))
            server_side.send(message)

        def from_the_server(message):
            reply = json.loads(message)
            if reply.get("type") == "ack" and votes and reply.get("id") == votes[0]["id"] and len(votes) == 1:
                page_side.close(code=4000, reason="lost by the test")
                return
            page_side.send(message)

        page_side.on_message(from_the_page)
        server_side.on_message(from_the_server)

    phone = open_as(world.employer_user, size=PHONE)
    phone.route_web_socket(re.compile(r".*/ws/arenor/moten/.*"), drop_the_first_vote_before_its_ack)
    phone.goto(f"/arenor/moten/{live.pk}/live/")
    _connected(phone)
    phone.get_by_label("Validering").check()
    phone.get_by_role("button", name="Svara", exact=True).click()
    phone.get_by_text("Ditt svar: Validering").wait_for()
    assert len(connections_made) == 2
    assert [vote["id"] for vote in votes] == [votes[0]["id"]] * 2
    poll = Poll.objects.get(pk=poll_id)
    assert list(Answer.objects.filter(poll=poll).values_list("value", flat=True)) == [
        [poll.options.get(label="Validering").pk]]


def test_notes_saved_over_someone_elses_change_are_refused_and_reloaded(world, live, open_as):
    from dialogues.live.services import Viewer, execute

    host = open_as(world.coordinator)
    host.goto(f"/arenor/moten/{live.pk}/styr/")
    _connected(host)
    host.get_by_text("Gemensamma anteckningar").first.click()
    notes = host.get_by_label("Anteckningar för ”Läget i branschen”")
    notes.fill("Min version")
    other_host = Viewer(session_id=live.pk, audience="host", user=world.coordinator, participant_id=None)
    item = live.agenda_items.get(title="Läget i branschen")
    execute(other_host, {"type": "note.set", "id": "c-other", "session": live.pk, "agenda_item": item.pk,
                         "text": "Den andra värdens version", "revision": 0})
    host.get_by_role("button", name="Spara anteckningarna").first.click()
    host.get_by_text("Någon ändrade anteckningarna under tiden").wait_for()
    host.wait_for_function("document.querySelector('[data-notes]').value === 'Den andra värdens version'")
    item.refresh_from_db()
    assert (item.notes, item.notes_revision) == ("Den andra värdens version", 1)


def _fill_the_session(world, live):
    """Something on every part of the pages: a revealed ranking poll, a question, a decision, an action item."""
    from dialogues.live.services import Viewer, execute, participant_for_member, tally

    host = Viewer(session_id=live.pk, audience="host", user=world.coordinator, participant_id=None)
    member = participant_for_member(user=world.employer_user, session=live)
    voter = Viewer(session_id=live.pk, audience="member", user=world.employer_user, participant_id=member.pk)
    counter = iter(range(1, 100))

    def run(viewer, type_, **fields):
        ack = execute(viewer, {"type": type_, "id": f"shot-{next(counter)}", "session": live.pk, **fields})
        assert ack["type"] == "ack", ack
        return ack["result"]

    item = live.agenda_items.first()
    run(host, "agenda.goto", agenda_item=item.pk)
    run(host, "note.set", agenda_item=item.pk, text="Bristen på undersköterskor växer i hela länet.", revision=0)
    poll = run(host, "poll.create", kind="ranking", question="Vad är viktigast för branschen i vår?",
               options=["Fler lärlingsplatser i hemtjänsten", "Validering av erfarna vikarier",
                        "Yrkesvux på kvällstid"])
    run(host, "poll.open", poll=poll["poll"])
    order = list(Poll.objects.get(pk=poll["poll"]).options.values_list("pk", flat=True))
    run(voter, "vote", poll=poll["poll"], answer=[order[1], order[0], order[2]])
    run(host, "poll.reveal", poll=poll["poll"], revealed=True)
    tally(live.pk)
    run(voter, "question.ask", text="Hur många APL-platser kan kommunen erbjuda till hösten?")
    run(host, "decision.add", text="Validering av vikarier prioriteras först.", visibility="public")
    run(host, "action.add", text="Kartlägga handledare i hemtjänsten", due_on="2030-03-01",
        owner=f"org:{world.provider.pk}")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_live_pages_fit_a_phone_and_a_laptop_in_both_languages(world, live, open_as, language):
    _fill_the_session(world, live)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {"host": (world.coordinator, f"/arenor/moten/{live.pk}/styr/"),
             "projector": (world.coordinator, f"/arenor/moten/{live.pk}/projektor/"),
             "participant": (world.employer_user, f"/arenor/moten/{live.pk}/live/")}
    for width, size in (("1280", DESKTOP), ("390", PHONE)):
        for name, (user, url) in pages.items():
            page = open_as(user, size=size, language=language)
            page.goto(url)
            _connected(page)
            page.locator(".bar-row").first.wait_for()
            page.screenshot(path=SHOTS / f"{name}-{width}-{language}.png", full_page=True)
            assert _no_sideways_scroll(page), f"{name} at {width} px scrolls sideways"
        for name, url in (("join", f"/arenor/delta/{live.invite_token}/"), ("code", "/arenor/kod/")):
            page = open_as(size=size, language=language)
            page.goto(url)
            page.screenshot(path=SHOTS / f"{name}-{width}-{language}.png", full_page=True)
            assert _no_sideways_scroll(page), f"{name} at {width} px scrolls sideways"


OWN_QUESTION = {"sv": ("Din fråga", "Fråga", "Du ställde frågan", "Stöd: 1"),
                "en": ("Your question", "Ask", "You asked this", "Support: 1")}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_participant_is_offered_no_upvote_on_their_own_question_but_the_others_are(world, live, open_as, size,
                                                                                     language):
    journey = Journey("live-own-question", size, language)
    member = open_as(world.employer_user, size=SIZES[size], language=language)
    member.goto(f"/arenor/moten/{live.pk}/live/")
    _connected(member)
    guest = open_as(size=PHONE)
    _join_as_guest(guest, live, "Gästen Greta")
    label, ask, asked, support = OWN_QUESTION[language]
    member.get_by_label(label, exact=True).fill("Vem betalar handledarna?")
    member.get_by_role("button", name=ask, exact=True).click()
    own = member.locator(".question", has_text="Vem betalar handledarna?")
    own.get_by_text(asked).wait_for()
    assert own.get_by_role("button").count() == 0
    journey.look(member, "own-question")
    guest.get_by_role("button", name="Stöd frågan: Vem betalar handledarna?").click()
    own.get_by_text(support).wait_for()
    journey.look(member, "own-question-supported")
    question = live.questions.get()
    assert (question.upvotes, question.participant.user) == (1, world.employer_user)
