"""Journey 4: a coordinator runs a live session on a real server (daphne, websockets) while two
participants vote in a poll and ask a question: a signed-in employer who uses the keyboard alone,
and a guest on a phone who joins with the session's code and reloads mid-poll. Results reach the
host, both participants and the projector; the guest's vote counts once. The host's and the
employer's windows run at desktop and at phone size."""

import pytest

from dialogues.models import Answer, Participant, Poll, Question
from tests.browser.journey import SIZES, Journey, tab_to
from tests.browser.test_live_session import (  # noqa: F401  (fixtures)
    PHONE,
    _connected,
    live,
    open_as,
    server,
    world,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", SIZES)
def test_a_coordinator_runs_a_live_poll_with_a_keyboard_user_and_a_guest_who_reloads(world, live, open_as, size):  # noqa: F811
    journey = Journey("live", size)
    guest_journey = Journey(f"live-guest-beside-a-{size}-host", "phone")
    host = open_as(world.coordinator, size=SIZES[size])
    host.goto(f"/arenor/moten/{live.pk}/styr/")
    _connected(host)
    projector = open_as(world.coordinator)
    projector.goto(f"/arenor/moten/{live.pk}/projektor/")
    _connected(projector)
    employer = open_as(world.employer_user, size=SIZES[size])
    employer.goto(f"/arenor/moten/{live.pk}/live/")
    _connected(employer)
    guest = open_as(size=PHONE)
    guest.goto("/arenor/kod/")
    guest_journey.look(guest, "code")
    guest.get_by_label("Kod för att delta").fill(live.join_code)
    guest.get_by_role("button", name="Fortsätt").click()
    guest.get_by_label("Ditt namn som de andra ser det").fill("Gästen Greta")
    guest_journey.look(guest, "join")
    guest.get_by_role("button", name="Anslut till mötet").click()
    _connected(guest)
    projector.get_by_text("2 deltagare anslutna").wait_for()

    host.get_by_label("Fråga", exact=True).fill("Vad ska regionen göra först?")
    host.get_by_label("Alternativ", exact=True).fill("Fler lärlingsplatser\nValidering av erfarna\nYrkesvux på kvällstid")
    host.get_by_role("button", name="Skapa omröstningen").click()
    host.get_by_role("button", name="Öppna", exact=True).click()
    host.get_by_role("button", name="Stäng", exact=True).wait_for()
    journey.look(host, "host-poll-open")

    # The employer answers with the keyboard alone.
    choice = employer.get_by_label("Validering av erfarna")
    choice.wait_for()
    journey.look(employer, "participant-poll")
    tab_to(employer, employer.locator(".vote input[type=radio]").first)
    while not choice.evaluate("element => element === document.activeElement"):
        employer.keyboard.press("ArrowDown")
    employer.keyboard.press("Space")
    tab_to(employer, employer.get_by_role("button", name="Svara", exact=True))
    employer.keyboard.press("Enter")
    employer.get_by_text("Ditt svar: Validering av erfarna").wait_for()

    guest.get_by_label("Validering av erfarna").check()
    guest.get_by_role("button", name="Svara", exact=True).click()
    guest.get_by_text("Ditt svar: Validering av erfarna").wait_for()
    guest.reload()  # mid-poll: the guest is the same participant with the same answer
    _connected(guest)
    guest.get_by_text("Ditt svar: Validering av erfarna").wait_for()
    host.locator(".poll-meta", has_text="2 svar").wait_for()

    # The guest asks a question; the employer, who wonders the same, says so (the guest cannot).
    guest.get_by_label("Din fråga").fill("Hur når vi de som redan jobbar utan examen?")
    guest.get_by_role("button", name="Fråga", exact=True).click()
    employer.get_by_text("Hur når vi de som redan jobbar utan examen?").wait_for()
    tab_to(employer, employer.get_by_role(
        "button", name="Stöd frågan: Hur når vi de som redan jobbar utan examen?"))
    employer.keyboard.press("Enter")
    host.locator(".question", has_text="Hur når vi de som redan jobbar utan examen?").get_by_text("1").first.wait_for()
    own = guest.locator(".question", has_text="Hur når vi de som redan jobbar utan examen?")
    own.get_by_text("Du ställde frågan").wait_for()  # and no button to support one's own question
    assert own.get_by_role("button").count() == 0
    guest_journey.look(guest, "participant-question")

    host.get_by_role("button", name="Visa resultatet").click()
    for view in (projector, employer, guest):
        view.locator(".bar-row", has_text="Validering av erfarna").get_by_text("2 (100 %)").wait_for()
    journey.look(host, "host-results")
    journey.look(employer, "participant-results")
    guest_journey.look(guest, "participant-results")
    Journey(f"live-projector-beside-a-{size}-host", "desktop").look(projector, "projector")

    poll = Poll.objects.get(session=live)
    chosen = poll.options.get(label="Validering av erfarna").pk
    assert list(Answer.objects.filter(poll=poll).values_list("value", flat=True)) == [[chosen], [chosen]]
    assert Participant.objects.filter(session=live, display_name="Gästen Greta").count() == 1
    question = Question.objects.get(session=live)
    assert (question.upvotes, question.upvote_rows.count()) == (1, 1)
