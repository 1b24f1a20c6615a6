"""The live layer's services, called as the consumer calls them: prioritisation straight from
the data (disclosure rule applied), movement between sessions, guests and their tokens, who may
open which view, presence."""

from __future__ import annotations

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from dialogues import services as arena_services
from dialogues.live import access, services, state
from dialogues.live.services import LiveError, Viewer, participant_for_member, participant_join_guest
from dialogues.models import (
    ActionItem,
    ArenaSession,
    Command,
    LiveEvent,
    LiveSettings,
    Participant,
    Poll,
    Question,
    Upvote,
)
from employers.models import Need
from matchplats.taxonomy.models import SsykGroup
from tests.dialogues.conftest import make_session
from tests.reports.fixtures import CARE, MACHINIST, TEACHER, employers, need

pytestmark = pytest.mark.django_db
LIVE = ArenaSession.State.LIVE


def live_session(world, **kwargs) -> ArenaSession:
    session = make_session(world, **kwargs)
    return arena_services.session_state_set(actor=world.coordinator, session=session, state=LIVE)


def host_of(world, session) -> Viewer:
    return Viewer(session_id=session.pk, audience=state.HOST, user=world.coordinator, participant_id=None)


def member_of(user, session) -> Viewer:
    return Viewer(session_id=session.pk, audience=state.MEMBER, user=user,
                  participant_id=participant_for_member(user=user, session=session).pk)


def run(viewer, type_, **fields) -> dict:
    run.n = getattr(run, "n", 0) + 1
    return services.execute(viewer, {"type": type_, "id": f"t{run.n}", "session": viewer.session_id, **fields})


@pytest.fixture
def branch(world):
    """Care: 3 employers need 12 people in public needs; teachers: 3 employers need 3; machinists:
    one employer needs 9 in a need for coordinators only (a cell under the 3-employer threshold),
    and the same employer needs 50 in care, also for coordinators only."""
    today = timezone.localdate()
    arena_services.arena_update(actor=world.coordinator, arena=world.arena, name=world.arena.name, description="",
                                kommuner=[], occupation_fields=[],
                                ssyk_groups=SsykGroup.objects.filter(code__in=[CARE, TEACHER, MACHINIST]))
    for employer in employers(3, prefix="Vård"):
        need(employer, today=today, ssyk4=CARE, headcount=4)
    for employer in employers(3, prefix="Skola"):
        need(employer, today=today, ssyk4=TEACHER, headcount=1)
    (workshop,) = employers(1, prefix="Verkstad")
    need(workshop, today=today, ssyk4=MACHINIST, headcount=9, visibility="coordinators")
    need(workshop, today=today, ssyk4=CARE, headcount=50, visibility="coordinators")
    return world


def options_of(poll_id: int) -> list[tuple[str, str]]:
    return list(Poll.objects.get(pk=poll_id).options.values_list("label", "key"))


def test_a_prioritisation_from_gaps_offers_only_released_cells_largest_gap_first(branch):
    session = live_session(branch)
    poll = run(host_of(branch, session), "poll.create_from_data", source="gaps", limit=5)["result"]["poll"]
    keys = [key for _label, key in options_of(poll)]
    assert keys == [f"ssyk:{CARE}", f"ssyk:{TEACHER}"]
    assert Poll.objects.get(pk=poll).kind == Poll.Kind.RANKING


def test_a_prioritisation_from_needs_offers_public_needs_only(branch):
    session = live_session(branch)
    poll = run(host_of(branch, session), "poll.create_from_data", source="needs", limit=10)["result"]["poll"]
    keys = [key for _label, key in options_of(poll)]
    public = Need.objects.filter(visibility="public").order_by("-headcount", "pk")
    assert keys == [f"need:{pk}" for pk in public.values_list("pk", flat=True)]
    assert len(keys) == 6
    assert not any("Verkstad" in label for label, _key in options_of(poll))


def test_too_few_options_from_the_data_is_a_clear_error(world):
    session = live_session(world)
    with pytest.raises(LiveError) as refused:
        run(host_of(world, session), "poll.create_from_data", source="gaps", limit=5)
    assert refused.value.code == "invalid" and "too few" in refused.value.message


def test_the_same_prioritisation_in_a_later_session_shows_how_the_order_moved(branch):
    first = live_session(branch, title="Våren")
    host = host_of(branch, first)
    poll = run(host, "poll.create_from_data", source="gaps", limit=5)["result"]["poll"]
    run(host, "poll.open", poll=poll)
    care, teacher = Poll.objects.get(pk=poll).options.values_list("pk", flat=True)
    run(member_of(branch.employer_user, first), "vote", poll=poll, answer=[care, teacher])
    run(host, "poll.close", poll=poll)
    arena_services.session_state_set(actor=branch.coordinator, session=first, state=ArenaSession.State.CLOSED)

    second = live_session(branch, title="Hösten", days=30)
    host = host_of(branch, second)
    again = run(host, "poll.create_from_data", source="gaps", limit=5)["result"]["poll"]
    assert Poll.objects.get(pk=again).previous_id == poll
    run(host, "poll.open", poll=again)
    care2, teacher2 = Poll.objects.get(pk=again).options.values_list("pk", flat=True)
    run(member_of(branch.provider_user, second), "vote", poll=again, answer=[teacher2, care2])
    run(host, "poll.close", poll=again)
    results = Poll.objects.get(pk=again).results
    assert results["segments"]["all"]["order"] == [teacher2, care2]
    assert results["movement"] == {str(teacher2): 1, str(care2): -1}


def test_an_action_items_status_changes_live_and_is_kept_in_its_history(world):
    session = live_session(world)
    host = host_of(world, session)
    action = run(host, "action.add", text="Boka lokal", due_on="2027-02-01",
                 owner=f"org:{world.provider.pk}")["result"]["action"]
    run(host, "action.status", action=action, status="done")
    assert ActionItem.objects.get(pk=action).status == "done"
    assert LiveEvent.objects.filter(session=session, type="action.updated").exists()
    assert world.arena.events.filter(type="action_updated", action_item_id=action).exists()


@pytest.mark.parametrize("fields, message", [
    ({"text": "x", "due_on": "i morgon", "owner": "org:1"}, "YYYY-MM-DD"),
    ({"text": "x", "due_on": "2027-01-01", "owner": "someone"}, "owner"),
    ({"text": "x", "due_on": "2027-01-01", "owner": "org:²"}, "owner"),
    ({"text": "x", "due_on": "2027-01-01", "owner": "user:" + "9" * 40}, "owner"),
    ({"text": "", "due_on": "2027-01-01", "owner": "org:1"}, "text"),
])
def test_a_malformed_action_item_is_refused_and_nothing_is_written(world, fields, message):
    session = live_session(world)
    with pytest.raises(LiveError) as refused:
        run(host_of(world, session), "action.add", **fields)
    assert message in refused.value.message
    assert not ActionItem.objects.exists()


def test_the_host_marks_a_question_answered_and_it_stays_visible(world):
    session = live_session(world)
    asked = run(member_of(world.employer_user, session), "question.ask", text="När startar nästa kull?")
    question = asked["result"]["question"]["id"]
    run(host_of(world, session), "question.moderate", question=question, action="answered")
    member_view = state.snapshot(ArenaSession.objects.get(pk=session.pk), state.MEMBER)
    assert [(q["id"], q["state"]) for q in member_view["questions"]] == [(question, "answered")]


def test_every_accepted_change_is_stored_as_an_event_at_the_next_version(world):
    session = live_session(world)
    start = ArenaSession.objects.get(pk=session.pk).version
    host = host_of(world, session)
    run(host, "poll.create", kind="scale", question="Hur akut?")
    run(host, "agenda.goto", agenda_item=session.agenda_items.first().pk)
    versions = list(LiveEvent.objects.filter(session=session, version__gt=start).values_list("version", "type"))
    assert versions == [(start + 1, "poll.created"), (start + 2, "agenda.current")]
    assert ArenaSession.objects.get(pk=session.pk).version == start + 2


# --- guests, tokens and who may open what -------------------------------------------------------------


def test_a_guest_needs_a_name_unless_the_host_allows_anonymous_guests(world):
    session = live_session(world)
    with pytest.raises(ValidationError):
        participant_join_guest(session=session, display_name="   ")
    with pytest.raises(ValidationError):
        participant_join_guest(session=session, display_name="", anonymous=True)
    LiveSettings.objects.create(session=session, allow_anonymous=True)
    session = ArenaSession.objects.get(pk=session.pk)
    anonymous = participant_join_guest(session=session, display_name="Syns inte", anonymous=True)
    assert anonymous.display_name == "" and anonymous.kind == Participant.Kind.GUEST


def test_a_guest_cannot_join_a_session_that_is_not_live(world):
    with pytest.raises(ValidationError):
        participant_join_guest(session=make_session(world), display_name="Tidig")


def test_a_guest_token_is_recognised_for_its_own_session_only_and_cannot_be_forged(world):
    session, other = live_session(world), live_session(world, title="Annat möte")
    guest = participant_join_guest(session=session, display_name="Gäst")
    token = access.guest_token(guest)
    assert access.guest_from_token(token, session.pk) == guest
    assert access.guest_from_token(token, other.pk) is None
    forged = signing.dumps({"p": guest.pk, "s": session.pk}, salt="another salt")
    assert access.guest_from_token(forged, session.pk) is None
    assert access.guest_from_token(token[:-2] + "xx", session.pk) is None
    member = participant_for_member(user=world.employer_user, session=session)
    member_token = signing.dumps({"p": member.pk, "s": session.pk}, salt=access.GUEST_SALT)
    assert access.guest_from_token(member_token, session.pk) is None


def test_a_member_is_one_participant_however_many_times_they_connect(world):
    session = live_session(world)
    for _ in range(3):
        viewer = access.open_view(user=world.employer_user, session_id=session.pk, view="participant",
                                  guest_token_value=None)
        assert viewer.audience == state.MEMBER
    assert Participant.objects.filter(session=session).count() == 1
    assert Participant.objects.get(session=session).kind == Participant.Kind.EMPLOYER


@pytest.mark.parametrize("who, view, outcome", [
    ("coordinator", "host", "host"), ("coordinator", "projector", "guest"), ("coordinator", "participant", "member"),
    ("employer_user", "host", 4403), ("employer_user", "projector", 4403), ("employer_user", "participant", "member"),
    ("person", "participant", "member"), ("outsider", "participant", 4403), ("other_coordinator", "host", 4403),
    ("other_coordinator", "participant", 4403), ("anonymous", "participant", 4403), ("anonymous", "host", 4403),
    ("coordinator", "nonsense", 4404),
])
def test_who_may_open_which_view_of_a_live_session(world, who, view, outcome):
    from django.contrib.auth.models import AnonymousUser

    session = live_session(world)
    user = AnonymousUser() if who == "anonymous" else getattr(world, who)
    opened = access.open_view(user=user, session_id=session.pk, view=view, guest_token_value=None)
    assert (opened.code if isinstance(opened, access.Refusal) else opened.audience) == outcome


def test_a_delegated_host_may_open_the_host_view(world):
    session = live_session(world)
    arena_services.arena_host_set(actor=world.coordinator, arena=world.arena, user=world.person, host=True)
    opened = access.open_view(user=world.person, session_id=session.pk, view="host", guest_token_value=None)
    assert opened.audience == state.HOST


def test_participants_cannot_connect_before_the_session_starts_but_the_host_can(world):
    session = make_session(world)
    refused = access.open_view(user=world.employer_user, session_id=session.pk, view="participant",
                               guest_token_value=None)
    assert refused.code == 4403
    assert access.open_view(user=world.coordinator, session_id=session.pk, view="host",
                            guest_token_value=None).audience == state.HOST


def _refused_own_upvote(viewer: Viewer, question: int) -> None:
    with pytest.raises(LiveError) as refused:
        run(viewer, "question.upvote", question=question)
    assert refused.value.code == "own_question"
    assert Question.objects.get(pk=question).upvotes == 0
    assert not Upvote.objects.filter(question_id=question).exists()
    assert not Command.objects.filter(ack__result__question=question, ack__result__upvoted=True).exists()


def test_a_signed_in_participant_cannot_upvote_their_own_question_and_nothing_is_written(world):
    session = live_session(world)
    member = member_of(world.employer_user, session)
    question = run(member, "question.ask", text="Vem betalar handledarna?")["result"]["question"]["id"]
    _refused_own_upvote(member, question)


def test_a_guest_cannot_upvote_their_own_question_and_nothing_is_written(world):
    session = live_session(world)
    guest = participant_join_guest(session=session, display_name="Gäst Gästsson")
    visitor = Viewer(session_id=session.pk, audience=state.GUEST, user=None, participant_id=guest.pk)
    question = run(visitor, "question.ask", text="Finns det kvällskurser?")["result"]["question"]["id"]
    _refused_own_upvote(visitor, question)


def test_an_anonymous_guest_cannot_upvote_their_own_question_either(world):
    session = live_session(world)
    run(host_of(world, session), "session.settings", premoderate=False, allow_anonymous=True)
    guest = participant_join_guest(session=ArenaSession.objects.get(pk=session.pk), display_name="", anonymous=True)
    visitor = Viewer(session_id=session.pk, audience=state.GUEST, user=None, participant_id=guest.pk)
    question = run(visitor, "question.ask", text="Vad kostar det?")["result"]["question"]["id"]
    _refused_own_upvote(visitor, question)


def test_a_guest_and_a_signed_in_participant_may_upvote_each_others_questions(world):
    session = live_session(world)
    member = member_of(world.employer_user, session)
    guest = participant_join_guest(session=session, display_name="Gäst Gästsson")
    visitor = Viewer(session_id=session.pk, audience=state.GUEST, user=None, participant_id=guest.pk)
    members = run(member, "question.ask", text="Vem betalar handledarna?")["result"]["question"]["id"]
    guests = run(visitor, "question.ask", text="Finns det kvällskurser?")["result"]["question"]["id"]
    assert run(visitor, "question.upvote", question=members)["result"] == {"question": members, "upvoted": True}
    assert run(member, "question.upvote", question=guests)["result"] == {"question": guests, "upvoted": True}
    assert dict(Question.objects.filter(session=session).values_list("pk", "upvotes")) == {members: 1, guests: 1}


def test_only_the_asker_learns_which_questions_are_their_own(world):
    session = live_session(world)
    member = member_of(world.employer_user, session)
    guest = participant_join_guest(session=session, display_name="Gäst Gästsson")
    question = run(member, "question.ask", text="Vem betalar handledarna?")["result"]["question"]["id"]
    mine = state.me_data(Participant.objects.get(pk=member.participant_id), state.MEMBER)
    theirs = state.me_data(guest, state.GUEST)
    assert (mine["asked"], theirs["asked"]) == ([question], [])
    shown = state.snapshot(session, state.GUEST)["questions"]
    assert [set(q) for q in shown] == [{"id", "text", "state", "upvotes", "agenda_item", "author"}]


def test_presence_counts_participants_with_an_open_socket_once(world):
    session = live_session(world)
    member = participant_for_member(user=world.employer_user, session=session)
    guest = participant_join_guest(session=session, display_name="Gäst")
    for participant in (member, member, guest):
        services.presence_connect(participant.pk)
    assert state.presence_count(session.pk) == 2
    services.presence_disconnect(member.pk)
    assert state.presence_count(session.pk) == 2
    services.presence_disconnect(member.pk)
    services.presence_disconnect(member.pk)
    assert state.presence_count(session.pk) == 1
    assert Participant.objects.get(pk=member.pk).connections == 0


def test_the_minutes_hold_the_polls_results_and_the_questions_most_upvoted_first(world):
    from dialogues.documents import minutes_document
    from dialogues.selectors import session_minutes
    from matchplats.core.reports import render_pdf

    session = live_session(world)
    host, member = host_of(world, session), member_of(world.employer_user, session)
    poll = run(host, "poll.create", kind="single", question="Vilken insats först?",
               options=["Lärlingar", "Validering"])["result"]["poll"]
    run(host, "poll.open", poll=poll)
    first, _second = Poll.objects.get(pk=poll).options.values_list("pk", flat=True)
    run(member, "vote", poll=poll, answer=[first])
    run(host, "poll.create", kind="scale", question="Utkast som aldrig öppnades")
    one = run(member, "question.ask", text="Vem betalar?")["result"]["question"]["id"]
    two = run(member, "question.ask", text="När börjar vi?")["result"]["question"]["id"]
    hidden = run(member, "question.ask", text="Olämplig fråga")["result"]["question"]["id"]
    run(host, "question.moderate", question=hidden, action="hide")
    run(member_of(world.provider_user, session), "question.upvote", question=two)
    services.tally(session.pk)
    arena_services.session_state_set(actor=world.coordinator, session=session, state=ArenaSession.State.CLOSED)

    minutes = session_minutes(user=world.employer_user, session=ArenaSession.objects.get(pk=session.pk))
    assert [s.poll.question for s in minutes.polls] == ["Vilken insats först?"]
    assert minutes.polls[0].lines == [("Lärlingar", "1 (100 %)"), ("Validering", "0 (0 %)")]
    assert minutes.polls[0].segments == [(Participant.Kind.EMPLOYER.label, 1)]
    assert [q.pk for q in minutes.questions] == [two, one]
    pdf = render_pdf(minutes_document(minutes))
    assert pdf.startswith(b"%PDF")
